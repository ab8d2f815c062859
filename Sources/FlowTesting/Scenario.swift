import FlowDiagnostics
import FlowIR

/// One `scenario "..." ... end` block of a `.flowtest` file, as written.
struct Scenario: Sendable {
  var name: String
  /// The `scenario` line.
  var origin: SourceLine
  /// Overrides the shop's zone from `shop.json` for this scenario.
  var shopTimezone: String?
  var members: [MemberSpec] = []
  /// Lines in time order (the parser rejects a time going backwards).
  var timeline: [TimelineEntry] = []
  /// Where the clock stops; nil means the default horizon (see `horizon`).
  var runUntil: Int64?
  var expectations: [Expectation] = []

  init(name: String, origin: SourceLine) {
    self.name = name
    self.origin = origin
  }

  /// How far past the last time the scenario writes the clock runs when
  /// there is no `run until`: long enough for the example flows' waits
  /// (14d, 30d) to end, short enough that yearly triggers do not fire again.
  static let defaultRunOn: Int64 = 30 * 86_400

  /// The instant the clock is advanced to before expectations are checked.
  var horizon: Int64 {
    if let runUntil { return runUntil }
    let written =
      timeline.map(\.at)
      + expectations.compactMap { expectation in
        if case .send(_, _, let at?) = expectation.kind { return at.instant }
        return nil
      }
    return (written.max() ?? 0) + Self.defaultRunOn
  }
}

/// A line of a scenario file, kept for reports: where it is and what it says.
public struct SourceLine: Sendable, Hashable {
  public var path: String
  public var line: Int
  /// Column of the line's first word, 1-based.
  public var column: Int
  /// The line's text without leading and trailing blanks.
  public var text: String
}

/// A name or value as written, with its place for diagnostics.
struct Located<Value: Sendable>: Sendable {
  var value: Value
  var span: Span
}

/// `member ann email "ann@example.com" timezone "Europe/Berlin" consent`.
struct MemberSpec: Sendable {
  var name: Located<String>
  var assignments: [FieldAssignment]
  /// Email consent (opted in) from the moment the member first appears.
  var consent: Bool
}

/// `FIELD VALUE` on a `member`, `set` or `event` line.
struct FieldAssignment: Sendable {
  var field: Located<String>
  var value: Located<ScenarioValue>
}

/// A literal in a scenario, written as in `.flow` files.
enum ScenarioValue: Sendable, Hashable {
  case string(String)
  /// Kept as written, so `25` and `25.0` round-trip as the author typed them.
  case number(String)
  case money(Money)
  case date(CalendarDate)
  case bool(Bool)

  /// The language's name for the kind of value, for type mismatch messages.
  var typeName: String {
    switch self {
    case .string: "string"
    case .number: "number"
    case .money: "money"
    case .date: "date"
    case .bool: "bool"
    }
  }
}

/// `at MOMENT ...`: something that happens to a member at a time.
struct TimelineEntry: Sendable {
  enum Action: Sendable {
    /// `event NAME MEMBER FIELD VALUE ...`
    case event(name: Located<String>, fields: [FieldAssignment])
    /// `set MEMBER FIELD VALUE ...`
    case set([FieldAssignment])
  }

  var at: Int64
  var member: Located<String>
  var action: Action
}

/// An instant as written, with the zone it was written in (nil: UTC), so
/// reports show times the way the author thinks of them.
struct Moment: Sendable, Hashable {
  var instant: Int64
  var zone: String?
}

/// One `expect` line.
struct Expectation: Sendable {
  enum Kind: Sendable {
    /// `expect send STEP to MEMBER [at MOMENT]`
    case send(step: Located<String>, member: Located<String>, at: Moment?)
    /// `expect no send [STEP] [to MEMBER]`
    case noSend(step: Located<String>?, member: Located<String>?)
    /// `expect MEMBER [not] in segment NAME`
    case segment(member: Located<String>, segment: Located<String>, isIn: Bool)
    /// `expect MEMBER [not] tagged "TAG"`
    case tag(member: Located<String>, tag: Located<String>, present: Bool)
  }

  var kind: Kind
  var source: SourceLine
}
