/// Work waiting in the store, for the `/metrics` gauges of `flowc run`.
public struct Backlog: Sendable, Hashable {
  /// Timers due at or before the moment asked about.
  public var dueTimers: Int
  /// Emails queued and not yet delivered or refused.
  public var outboxPending: Int

  public init(dueTimers: Int, outboxPending: Int) {
    self.dueTimers = dueTimers
    self.outboxPending = outboxPending
  }
}

extension SQLiteFlowStore {
  /// Two index-backed counts: `timers_due` and the rows of `outbox_messages`
  /// (a row there is exactly a message waiting for delivery).
  public func backlog(now: Int64) throws -> Backlog {
    let timers = try db.prepare("SELECT count(*) FROM timers WHERE due_at <= ?").bind(.int(now))
    defer { timers.reset() }
    let outbox = try db.prepare("SELECT count(*) FROM outbox_messages")
    defer { outbox.reset() }
    _ = try timers.step()
    _ = try outbox.step()
    return Backlog(dueTimers: Int(timers.int(0)), outboxPending: Int(outbox.int(0)))
  }
}
