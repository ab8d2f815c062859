import Foundation

/// A token bucket per key (an IP address, a member), in memory and safe to
/// share across the server's threads: each key may make `requests` requests
/// at once, then `requests` more every `seconds`, evenly spread. Time is the
/// caller's clock in whole seconds, so tests decide what "now" is.
final class RateLimiter: @unchecked Sendable {
  /// Levels count 1/`seconds` of a request, so refilling `requests` every
  /// `seconds` adds a whole `requests` units a second.
  private struct Bucket {
    var level: Int64
    var updatedAt: Int64
  }

  private let lock = NSLock()
  private let requests: Int64
  private let seconds: Int64
  private var buckets: [String: Bucket] = [:]
  /// When the map reaches this many keys, the full buckets are dropped.
  private var sweepAt = 10_000

  init(requests: Int, perSeconds seconds: Int) {
    self.requests = Int64(max(requests, 1))
    self.seconds = Int64(max(seconds, 1))
  }

  private var capacity: Int64 { requests * seconds }

  /// Takes one request for `key` at `now`: nil when it may go on, else the
  /// whole seconds until it may (for `Retry-After`).
  func take(_ key: String, at now: Int64) -> Int64? {
    lock.withLock {
      if buckets.count >= sweepAt { sweep(at: now) }
      var bucket = buckets[key].map { refilled($0, at: now) } ?? full(at: now)
      defer { buckets[key] = bucket }
      guard bucket.level >= seconds else {
        return (seconds - bucket.level + requests - 1) / requests
      }
      bucket.level -= seconds
      return nil
    }
  }

  private func full(at now: Int64) -> Bucket { Bucket(level: capacity, updatedAt: now) }

  private func refilled(_ bucket: Bucket, at now: Int64) -> Bucket {
    // Any bucket is full after `seconds`; a clock that went back refills nothing.
    let elapsed = min(max(now - bucket.updatedAt, 0), seconds)
    return Bucket(
      level: min(capacity, bucket.level + elapsed * requests),
      updatedAt: max(now, bucket.updatedAt))
  }

  /// A full bucket says nothing a new one would not. The next sweep waits
  /// until the map doubles, so many busy keys do not make every call a sweep.
  private func sweep(at now: Int64) {
    buckets = buckets.filter { refilled($0.value, at: now).level < capacity }
    sweepAt = max(10_000, buckets.count * 2)
  }
}

/// How often signups may come and confirmation emails go.
struct SignupLimits: Sendable {
  /// `POST /v1/subscribe` requests per client IP address.
  let perIP: RateLimiter
  /// Confirmation emails per member: signups from many addresses cannot
  /// flood one inbox.
  let confirmationsPerMember = RateLimiter(requests: 3, perSeconds: 3600)

  init(perIPPerMinute: Int) {
    perIP = RateLimiter(requests: perIPPerMinute, perSeconds: 60)
  }
}
