/// Work waiting in the store, for the `/metrics` gauges of `flowc run`.
public struct Backlog: Sendable, Hashable {
  /// Timers due at or before the moment asked about.
  public var dueTimers: Int
  /// Emails queued and not yet delivered or refused.
  public var outboxPending: Int
  /// Seconds since the oldest pending email was queued; 0 when none waits.
  public var outboxLag: Int64
  /// Seconds the earliest timer is past due; 0 when none is due.
  public var timerLag: Int64

  public init(dueTimers: Int, outboxPending: Int, outboxLag: Int64 = 0, timerLag: Int64 = 0) {
    self.dueTimers = dueTimers
    self.outboxPending = outboxPending
    self.outboxLag = outboxLag
    self.timerLag = timerLag
  }
}

extension SQLiteFlowStore {
  /// Index-backed counts and ends: `timers_due` and the rows of
  /// `outbox_messages` (a row there is exactly a message waiting for
  /// delivery; the lowest id is the oldest).
  public func backlog(now: Int64) throws -> Backlog {
    let timers = try db.prepare("SELECT count(*) FROM timers WHERE due_at <= ?").bind(.int(now))
    defer { timers.reset() }
    let outbox = try db.prepare("SELECT count(*) FROM outbox_messages")
    defer { outbox.reset() }
    let earliestTimer = try db.prepare("SELECT min(due_at) FROM timers")
    defer { earliestTimer.reset() }
    let oldestEmail = try db.prepare(
      """
      SELECT o.created_at FROM outbox o
      WHERE o.id = (SELECT min(outbox_id) FROM outbox_messages)
      """)
    defer { oldestEmail.reset() }
    _ = try timers.step()
    _ = try outbox.step()
    _ = try earliestTimer.step()
    let queuedAt = try oldestEmail.step() ? oldestEmail.int(0) : nil
    let lag = { (since: Int64?) in since.map { max(0, now - $0) } ?? 0 }
    return Backlog(
      dueTimers: Int(timers.int(0)), outboxPending: Int(outbox.int(0)),
      outboxLag: lag(queuedAt), timerLag: lag(earliestTimer.optionalInt(0)))
  }
}
