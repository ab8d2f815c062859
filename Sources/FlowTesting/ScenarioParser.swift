import FlowDiagnostics
import FlowIR
import Foundation

/// Parses a `.flowtest` file (grammar in Docs/testing.md). Every bad line is
/// reported, not only the first; scenarios come back only from a clean file.
enum ScenarioParser {
  /// The scenarios of `file`, whose spans index `fileIndex` in the caller's file list.
  static func parse(_ file: SourceFile, fileIndex: Int) -> (
    scenarios: [Scenario], diagnostics: [Diagnostic]
  ) {
    let (lines, wordProblems) = ScenarioWords.lines(of: file, index: fileIndex)
    var diagnostics = wordProblems
    var scenarios: [Scenario] = []
    var open: (scenario: Scenario, span: Span)?
    for line in lines {
      var cursor = WordCursor(line)
      do {
        let keyword = try cursor.name("a keyword")
        switch (keyword.value, open) {
        case ("scenario", nil):
          let name = try cursor.string("the scenario's name")
          try cursor.finish()
          open = (Scenario(name: name.value, origin: line.source), keyword.span)
        case ("scenario", .some):
          throw ScenarioProblem(
            message: "a scenario starts before the previous one ends", span: keyword.span,
            help: "close the previous scenario with 'end'")
        case ("end", let current?):
          try cursor.finish()
          scenarios.append(current.scenario)
          open = nil
        case (_, nil):
          throw ScenarioProblem(
            message: "expected 'scenario', found '\(keyword.value)'", span: keyword.span)
        case (_, var current?):
          try parseLine(keyword, &cursor, line: line, into: &current.scenario)
          try cursor.finish()
          open = current
        }
      } catch let problem as ScenarioProblem {
        diagnostics.append(problem.diagnostic)
      } catch {
        diagnostics.append(Diagnostic(.invalidScenario, "\(error)", at: line.end))
      }
    }
    if let unclosed = open {
      diagnostics.append(
        Diagnostic(
          .invalidScenario, "scenario \"\(unclosed.scenario.name)\" has no 'end'",
          at: unclosed.span))
    }
    diagnostics.sort { ($0.span.start, $0.span.end) < ($1.span.start, $1.span.end) }
    return (diagnostics.isEmpty ? scenarios : [], diagnostics)
  }

  private static func parseLine(
    _ keyword: Located<String>, _ cursor: inout WordCursor, line: WordLine,
    into scenario: inout Scenario
  ) throws {
    switch keyword.value {
    case "shop":
      try cursor.expect("timezone")
      let zone = try cursor.string("a time zone")
      guard TimeZone(identifier: zone.value) != nil else {
        throw ScenarioProblem(message: "unknown time zone '\(zone.value)'", span: zone.span)
      }
      scenario.shopTimezone = zone.value
    case "member":
      let name = try cursor.name("the member's name")
      if scenario.members.contains(where: { $0.name.value == name.value }) {
        throw ScenarioProblem(message: "member '\(name.value)' is declared twice", span: name.span)
      }
      var consent = false
      var assignments: [FieldAssignment] = []
      while cursor.peek != nil {
        if cursor.take("consent") {
          consent = true
        } else {
          assignments.append(try assignment(&cursor))
        }
      }
      scenario.members.append(MemberSpec(name: name, assignments: assignments, consent: consent))
    case "at":
      let moment = try MomentSyntax.moment(&cursor)
      if let previous = scenario.timeline.last?.at, moment.instant < previous {
        throw ScenarioProblem(
          message: "this time is before the previous line's; write the timeline in time order",
          span: keyword.span)
      }
      scenario.timeline.append(try timelineEntry(at: moment.instant, &cursor))
    case "run":
      try cursor.expect("until")
      scenario.runUntil = try MomentSyntax.limit(&cursor)
      if let last = scenario.timeline.last?.at, let until = scenario.runUntil, until < last {
        throw ScenarioProblem(
          message: "'run until' is before the last timeline line", span: keyword.span)
      }
    case "expect":
      scenario.expectations.append(
        Expectation(kind: try expectation(&cursor), source: line.source))
    default:
      let keywords = ["shop", "member", "at", "run", "expect", "end"]
      throw ScenarioProblem(
        message: "unknown line '\(keyword.value)'", span: keyword.span,
        help: Suggestion.closest(to: keyword.value, among: keywords).map { "did you mean '\($0)'?" }
          ?? "a scenario line starts with one of: \(keywords.joined(separator: ", "))")
    }
  }

  /// `event NAME MEMBER FIELD VALUE ...` or `set MEMBER FIELD VALUE ...`.
  private static func timelineEntry(at instant: Int64, _ cursor: inout WordCursor) throws
    -> TimelineEntry
  {
    let verb = try cursor.name("'event' or 'set'")
    switch verb.value {
    case "event":
      let name = try cursor.name("an event name")
      let member = try cursor.name("a member")
      var fields: [FieldAssignment] = []
      while cursor.peek != nil { fields.append(try assignment(&cursor)) }
      return TimelineEntry(at: instant, member: member, action: .event(name: name, fields: fields))
    case "set":
      let member = try cursor.name("a member")
      var fields = [try assignment(&cursor)]
      while cursor.peek != nil { fields.append(try assignment(&cursor)) }
      return TimelineEntry(at: instant, member: member, action: .set(fields))
    default:
      throw ScenarioProblem(
        message: "expected 'event' or 'set', found '\(verb.value)'", span: verb.span,
        help: Suggestion.closest(to: verb.value, among: ["event", "set"]).map {
          "did you mean '\($0)'?"
        })
    }
  }

  private static func expectation(_ cursor: inout WordCursor) throws -> Expectation.Kind {
    if cursor.take("send") {
      let step = try cursor.name("a send step")
      try cursor.expect("to")
      let member = try cursor.name("a member")
      let at = cursor.take("at") ? try MomentSyntax.moment(&cursor) : nil
      return .send(step: step, member: member, at: at)
    }
    if cursor.take("no") {
      try cursor.expect("send")
      let step = cursor.peek?.text == "to" || cursor.peek == nil ? nil : try cursor.name("a step")
      let member = cursor.take("to") ? try cursor.name("a member") : nil
      return .noSend(step: step, member: member)
    }
    let member = try cursor.name("'send', 'no send' or a member")
    let isIn = !cursor.take("not")
    if cursor.take("tagged") {
      return .tag(member: member, tag: try cursor.string("a tag"), present: isIn)
    }
    try cursor.expect("in")
    try cursor.expect("segment")
    return .segment(member: member, segment: try cursor.name("a segment"), isIn: isIn)
  }

  /// `FIELD VALUE`.
  private static func assignment(_ cursor: inout WordCursor) throws -> FieldAssignment {
    let field = try cursor.name("a field name")
    return FieldAssignment(field: field, value: try value(&cursor))
  }

  /// A string, number, money (`25.00 USD`), date or bool.
  private static func value(_ cursor: inout WordCursor) throws -> Located<ScenarioValue> {
    let word = try cursor.next("a value")
    if word.isQuoted { return Located(value: .string(word.text), span: word.span) }
    if word.text == "true" || word.text == "false" {
      return Located(value: .bool(word.text == "true"), span: word.span)
    }
    if let date = MomentSyntax.date(word.text) {
      return Located(value: .date(date), span: word.span)
    }
    guard Double(word.text) != nil, word.text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
    else {
      throw ScenarioProblem(
        message: "'\(word.text)' is not a value", span: word.span,
        help: "write a string in double quotes, a number, money (25.00 USD), a date or true/false")
    }
    if let currency = cursor.peek, !currency.isQuoted, currency.text.count == 3,
      currency.text.allSatisfy({ $0.isASCII && $0.isUppercase })
    {
      _ = try cursor.next("a currency")
      guard let money = Money(decimal: word.text, currency: currency.text) else {
        throw ScenarioProblem(
          message:
            "'\(word.text) \(currency.text)' is not an amount of money (at most two decimals)",
          span: word.span.through(currency.span))
      }
      return Located(value: .money(money), span: word.span.through(currency.span))
    }
    return Located(value: .number(word.text), span: word.span)
  }
}
