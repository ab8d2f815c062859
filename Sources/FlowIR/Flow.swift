/// A compiled flow: a trigger, entry rules and a graph of named steps.
///
/// Steps are flattened: each one names the step that follows it, so the
/// runtime keeps only the current step's name for a member, and a position
/// survives edits to the flow that keep that name.
public struct Flow: Codable, Hashable, Sendable {
  public var name: String
  public var trigger: Trigger
  /// Entry filter (`only if`); nil admits everyone.
  public var onlyIf: Expr?
  public var reentry: Reentry
  /// Goals and exits (`exit when event NAME [where PRED]`), checked on every event.
  public var exits: [ExitRule]
  /// Sends due inside this local window wait for its end (`quiet hours 21:00-08:00 local`).
  public var quietHours: QuietHours?
  /// The frequency cap on this flow's sends (the flow's own `limit`, else the
  /// program's); nil when uncapped.
  public var limit: FrequencyLimit?
  /// The first step, or nil for a flow with no steps.
  public var entry: String?
  /// Every step in source order; names are unique within the flow.
  public var steps: [Step]

  public init(
    name: String, trigger: Trigger, onlyIf: Expr? = nil, reentry: Reentry = .never,
    exits: [ExitRule] = [], quietHours: QuietHours? = nil, limit: FrequencyLimit? = nil,
    entry: String?, steps: [Step]
  ) {
    self.name = name
    self.trigger = trigger
    self.onlyIf = onlyIf
    self.reentry = reentry
    self.exits = exits
    self.quietHours = quietHours
    self.limit = limit
    self.entry = entry
    self.steps = steps
  }

  /// The step with this name, if the flow has one.
  public func step(named name: String) -> Step? {
    steps.first { $0.name == name }
  }
}

/// What starts a flow for a member.
public enum Trigger: Codable, Hashable, Sendable {
  /// `trigger member_joined`.
  case memberJoined
  /// `trigger event NAME`: any event of that name (not `member_joined`).
  case event(String)
  /// `trigger on member.FIELD at HH:MM local`: yearly, on the date in a `date` field.
  case anniversary(field: String, at: LocalTime)
  /// `trigger enters segment NAME`: each time the member enters the segment.
  case entersSegment(String)
}

/// When a member may enter a flow again.
public enum Reentry: Codable, Hashable, Sendable {
  /// Once per member, ever.
  case never
  /// Again once this long has passed since the previous entry, and the previous
  /// instance has finished.
  case after(Duration)
}

/// `exit when event NAME [where PRED]`.
public struct ExitRule: Codable, Hashable, Sendable {
  public var event: String
  /// May refer to `event.*`, `trigger.*` and `member.*`.
  public var condition: Expr?

  public init(event: String, condition: Expr? = nil) {
    self.event = event
    self.condition = condition
  }
}

/// A named position in a flow.
public struct Step: Codable, Hashable, Sendable {
  /// Stable identity: explicit for sends, derived for waits, branches and
  /// splits (`wait_1`, `if_1`, `split_1`, counted per kind in source order).
  public var name: String
  public var action: Action
  /// The step that follows, or nil when the flow ends after this one.
  /// For a branch, the arms jump elsewhere and `next` is unused.
  public var next: String?

  public init(name: String, action: Action, next: String?) {
    self.name = name
    self.action = action
    self.next = next
  }
}

/// What a step does.
public enum Action: Codable, Hashable, Sendable {
  /// Render and send an email.
  case send(SendAction)
  /// Pause for a duration, then continue with `next`.
  case wait(Duration)
  /// Pause until a matching event (then `next`) or the timeout (then the
  /// timeout target).
  case waitForEvent(WaitForEvent)
  /// Pause until a local day and/or time of day, then continue with `next`.
  case waitUntil(WaitUntil)
  /// Evaluate a condition and continue with one arm; a nil arm target means
  /// the flow ends there.
  case branch(condition: Expr, then: String?, else: String?)
  /// Send each member down one arm, chosen by a stable hash of the flow
  /// instance, with the given percentages (summing to 100).
  case split([SplitArm])
}

/// One arm of a `split`: its weight in percent and the first step of the arm.
public struct SplitArm: Codable, Hashable, Sendable {
  public var percent: Int
  /// nil when the arm is empty: the flow ends there.
  public var target: String?

  public init(percent: Int, target: String?) {
    self.percent = percent
    self.target = target
  }
}

/// A local-time window in which no email is sent; it may wrap past midnight.
public struct QuietHours: Codable, Hashable, Sendable {
  public var start: LocalTime
  public var end: LocalTime

  public init(start: LocalTime, end: LocalTime) {
    self.start = start
    self.end = end
  }
}

/// `send NAME { template "T" subject "S" }`.
public struct SendAction: Codable, Hashable, Sendable {
  /// Template base name: `"welcome"` means `welcome.html.liquid` (+ `.txt.liquid`).
  public var template: String
  /// A Liquid template for the subject line.
  public var subject: String

  public init(template: String, subject: String) {
    self.template = template
    self.subject = subject
  }
}

/// `wait for event NAME [where PRED] up to D [else { ... }]`.
public struct WaitForEvent: Codable, Hashable, Sendable {
  public var event: String
  /// May refer to `event.*`, `trigger.*` and `member.*`.
  public var condition: Expr?
  public var timeout: Duration
  /// Where a member goes when the event does not come in time: the `else`
  /// block's first step, else the step after the wait (nil: the flow ends).
  public var timeoutTarget: String?

  public init(event: String, condition: Expr? = nil, timeout: Duration, timeoutTarget: String?) {
    self.event = event
    self.condition = condition
    self.timeout = timeout
    self.timeoutTarget = timeoutTarget
  }
}

/// `wait until [DAYS] [HH:MM local]`: the earliest moment, now or later, on
/// one of `weekdays` at `time` in the member's zone.
public struct WaitUntil: Codable, Hashable, Sendable {
  /// ISO weekdays (1 Monday ... 7 Sunday), ascending; empty means any day.
  public var weekdays: [Int]
  /// nil means the start of the day (or now, if today is one of `weekdays`).
  public var time: LocalTime?

  public init(weekdays: [Int], time: LocalTime?) {
    self.weekdays = weekdays
    self.time = time
  }
}

/// At most `count` emails to a member in any window of `window` (elapsed time).
public struct FrequencyLimit: Codable, Hashable, Sendable {
  public var count: Int
  public var window: Duration

  public init(count: Int, window: Duration) {
    self.count = count
    self.window = window
  }
}
