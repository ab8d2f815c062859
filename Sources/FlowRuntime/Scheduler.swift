import MemberStore

/// How the scheduler tells time.
public enum ClockMode: Sendable {
  /// Replay: the clock jumps to each event or timer in turn, never backwards.
  case virtual
  /// Live: work is done at the current system time, given by the closure.
  case system(@Sendable () -> Int64)
}

/// What one drain did.
public struct DrainReport: Sendable, Hashable {
  public var events = 0
  public var timers = 0
  /// The clock after the last item (virtual mode), or the last `now` used.
  public var clock: Int64 = 0
}

/// Feeds pending events and due timers to the engine in time order, a batch
/// per transaction. Due work is found through the store's indexes on event
/// time and timer due time, never by scanning members.
public final class Scheduler {
  private let engine: FlowEngine
  private var store: FlowStore { engine.store }
  /// Upcoming events read ahead in one query; only the engine consumes them.
  private var upcoming: ArraySlice<StoredEvent> = []
  /// The runtime-state entry holding the virtual clock, so a replay resumes.
  public static let virtualClockKey = "virtual_clock"

  public init(engine: FlowEngine) {
    self.engine = engine
  }

  /// Processes everything due at or before `until`; after each committed batch
  /// calls `afterCommit` with the work done so far (to deliver the outbox and
  /// report progress). Stops early, between
  /// batches, when `shouldStop` says so.
  public func drain(
    until: Int64, mode: ClockMode, batchSize: Int = 2000,
    afterCommit: (DrainReport) throws -> Void = { _ in }, shouldStop: () -> Bool = { false }
  ) throws -> DrainReport {
    var report = DrainReport()
    var finished = false
    upcoming = []
    defer { upcoming = [] }
    while !finished && !shouldStop() {
      try store.transaction {
        var clock = try store.runtimeValue(Self.virtualClockKey) ?? Int64.min
        for _ in 0..<batchSize {
          guard let item = try nextItem(until: until) else {
            finished = true
            break
          }
          let now: Int64
          switch mode {
          case .virtual:
            clock = max(clock, item.time)
            now = clock
          case .system(let systemNow):
            now = systemNow()
          }
          report.clock = now
          switch item {
          case .event(let event):
            upcoming.removeFirst()
            try engine.process(event, now: now)
            report.events += 1
          case .timer(let timer):
            try engine.fire(timer, now: now)
            report.timers += 1
          }
        }
        if case .virtual = mode, clock != Int64.min {
          try store.setRuntimeValue(Self.virtualClockKey, clock)
        }
      }
      try afterCommit(report)
    }
    return report
  }

  /// When the next timer is due, for a live runner deciding how long to sleep.
  public func nextTimerDue() throws -> Int64? { try store.nextTimerDue() }

  private enum Item {
    case event(StoredEvent)
    case timer(StoredTimer)

    var time: Int64 {
      switch self {
      case .event(let event): return event.occurredAt
      case .timer(let timer): return timer.dueAt
      }
    }
  }

  /// The earliest due item; a timer goes before an event at the same moment.
  private func nextItem(until: Int64) throws -> Item? {
    if upcoming.isEmpty {
      upcoming = try store.pendingEvents(notAfter: until, limit: 1000)[...]
    }
    let event = upcoming.first
    let timer = try store.nextDueTimer(notAfter: event?.occurredAt ?? until)
    if let timer { return .timer(timer) }
    return event.map(Item.event)
  }
}
