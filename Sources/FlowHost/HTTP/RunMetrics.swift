import Foundation

/// What `flowc run` counts while it serves HTTP: written by the runner and
/// the server's worker threads, read by `/metrics`.
public final class RunMetrics: @unchecked Sendable {
  // Guards every field below.
  private let lock = NSLock()
  private var requestsByStatus: [Int: Int] = [:]
  private var eventsProcessed = 0
  private var timersFired = 0

  public init() {}

  public func countRequest(status: Int) {
    lock.withLock { requestsByStatus[status, default: 0] += 1 }
  }

  public func countDrain(events: Int, timers: Int) {
    lock.withLock {
      eventsProcessed += events
      timersFired += timers
    }
  }

  /// Prometheus text exposition format 0.0.4.
  public func prometheusText() -> String {
    let (requests, events, timers) = lock.withLock {
      (requestsByStatus, eventsProcessed, timersFired)
    }
    var lines = [
      "# HELP flowc_http_requests_total HTTP requests answered, by status code.",
      "# TYPE flowc_http_requests_total counter",
    ]
    for (status, count) in requests.sorted(by: { $0.key < $1.key }) {
      lines.append("flowc_http_requests_total{code=\"\(status)\"} \(count)")
    }
    lines += [
      "# HELP flowc_events_processed_total Events the runner has processed.",
      "# TYPE flowc_events_processed_total counter",
      "flowc_events_processed_total \(events)",
      "# HELP flowc_timers_fired_total Timers the runner has fired.",
      "# TYPE flowc_timers_fired_total counter",
      "flowc_timers_fired_total \(timers)",
    ]
    return lines.joined(separator: "\n") + "\n"
  }
}
