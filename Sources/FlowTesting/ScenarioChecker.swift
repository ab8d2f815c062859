import FlowDiagnostics
import FlowIR
import Foundation

/// Checks a parsed scenario against the compiled program: every member,
/// event, field, step and segment it names must exist, and values must fit
/// the declared types. Mistakes here are FL8001 diagnostics, found before
/// anything runs.
struct ScenarioChecker {
  let program: Program

  /// Profile fields a scenario may write, all optional strings in the language.
  static let profileFields = ["email", "first_name", "last_name", "phone", "locale", "timezone"]

  func check(_ scenario: Scenario) -> [Diagnostic] {
    var problems: [ScenarioProblem] = []
    // Every check throws only ScenarioProblem; one problem per name, all names checked.
    func collect(_ body: () throws -> Void) {
      do { try body() } catch { problems += [error as? ScenarioProblem].compactMap { $0 } }
    }
    let members = scenario.members.map(\.name.value)
    func known(_ member: Located<String>) throws {
      guard !members.contains(member.value) else { return }
      throw ScenarioProblem(
        message: "no member '\(member.value)' in this scenario", span: member.span,
        help: Suggestion.closest(to: member.value, among: members).map { "did you mean '\($0)'?" }
          ?? "declare it with a 'member \(member.value) ...' line")
    }
    for member in scenario.members {
      for assignment in member.assignments { collect { try checkMemberField(assignment) } }
    }
    for entry in scenario.timeline {
      collect { try known(entry.member) }
      switch entry.action {
      case .event(let name, let fields):
        collect { try checkEvent(name, fields) }
      case .set(let fields):
        for assignment in fields { collect { try checkMemberField(assignment) } }
      }
    }
    for expectation in scenario.expectations {
      switch expectation.kind {
      case .send(let step, let member, _):
        collect { _ = try SendStep.resolve(step, in: program) }
        collect { try known(member) }
      case .noSend(let step, let member):
        if let step { collect { _ = try SendStep.resolve(step, in: program) } }
        if let member { collect { try known(member) } }
      case .segment(let member, let segment, _):
        collect { try known(member) }
        collect { try checkSegment(segment) }
      case .tag(let member, let tag, _):
        collect { try known(member) }
        collect { try checkTag(tag) }
      }
    }
    return problems.map(\.diagnostic)
  }

  private func checkMemberField(_ assignment: FieldAssignment) throws {
    let name = assignment.field.value
    if Self.profileFields.contains(name) {
      guard case .string(let text) = assignment.value.value else {
        throw mismatch(assignment, expected: "string")
      }
      if name == "timezone", TimeZone(identifier: text) == nil {
        throw ScenarioProblem(
          message: "unknown time zone '\(text)'", span: assignment.value.span)
      }
      return
    }
    guard let field = program.fields.first(where: { $0.name == name }) else {
      let candidates = Self.profileFields + program.fields.map(\.name)
      throw unknown("member field", assignment.field, among: candidates)
    }
    try checkType(field.type, assignment)
  }

  private func checkEvent(_ name: Located<String>, _ fields: [FieldAssignment]) throws {
    guard let event = program.events.first(where: { $0.name == name.value }) else {
      throw unknown("event", name, among: program.events.map(\.name))
    }
    for assignment in fields {
      guard let field = event.fields.first(where: { $0.name == assignment.field.value }) else {
        throw unknown(
          "field of event '\(event.name)'", assignment.field, among: event.fields.map(\.name))
      }
      try checkType(field.type, assignment)
    }
  }

  private func checkSegment(_ segment: Located<String>) throws {
    guard !program.segments.contains(where: { $0.name == segment.value }) else { return }
    throw unknown("segment", segment, among: program.segments.map(\.name))
  }

  private func checkTag(_ tag: Located<String>) throws {
    guard !program.tags.contains(where: { $0.tag == tag.value }) else { return }
    throw unknown("tag", tag, among: program.tags.map(\.tag))
  }

  private func checkType(_ type: ValueType, _ assignment: FieldAssignment) throws {
    let expected: String
    switch type {
    case .optional(let inner): return try checkType(inner, assignment)
    case .string: expected = "string"
    case .number: expected = "number"
    case .money: expected = "money"
    case .bool: expected = "bool"
    case .date: expected = "date"
    default:
      throw ScenarioProblem(
        message: "field '\(assignment.field.value)' cannot be given a value in a scenario yet",
        span: assignment.field.span)
    }
    guard assignment.value.value.typeName == expected else {
      throw mismatch(assignment, expected: expected)
    }
  }

  private func mismatch(_ assignment: FieldAssignment, expected: String) -> ScenarioProblem {
    ScenarioProblem(
      message:
        "'\(assignment.field.value)' takes a \(expected) value, not a \(assignment.value.value.typeName)",
      span: assignment.value.span)
  }

  private func unknown(_ kind: String, _ name: Located<String>, among candidates: [String])
    -> ScenarioProblem
  {
    ScenarioProblem(
      message: "unknown \(kind) '\(name.value)'", span: name.span,
      help: Suggestion.closest(to: name.value, among: candidates).map { "did you mean '\($0)'?" })
  }
}

/// A `send` step of the program, named as `STEP` or `FLOW.STEP` in a scenario.
struct SendStep: Hashable, Sendable {
  var flow: String
  var step: String

  /// Resolves a written step name; a bare name must belong to exactly one flow.
  static func resolve(_ written: Located<String>, in program: Program) throws -> SendStep {
    let parts = written.value.split(separator: ".", maxSplits: 1).map(String.init)
    let flows = parts.count == 2 ? program.flows.filter { $0.name == parts[0] } : program.flows
    let stepName = parts.last ?? written.value
    let matches = flows.filter { flow in
      guard case .send = flow.step(named: stepName)?.action else { return false }
      return true
    }
    guard let flow = matches.first else {
      let sends = program.flows.flatMap { flow in
        flow.steps.compactMap { step -> String? in
          guard case .send = step.action else { return nil }
          return step.name
        }
      }
      throw ScenarioProblem(
        message: "no send step '\(written.value)' in the flows", span: written.span,
        help: Suggestion.closest(to: stepName, among: sends).map { "did you mean '\($0)'?" })
    }
    guard matches.count == 1 else {
      let names = matches.map { "\($0.name).\(stepName)" }.joined(separator: " or ")
      throw ScenarioProblem(
        message: "several flows have a step '\(stepName)'", span: written.span,
        help: "write \(names)")
    }
    return SendStep(flow: flow.name, step: stepName)
  }
}
