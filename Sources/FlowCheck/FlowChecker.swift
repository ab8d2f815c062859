import FlowDiagnostics
import FlowIR
import FlowSyntax

/// Checks one flow's clauses and steps and lowers it to `FlowIR.Flow`.
struct FlowChecker: Sendable {
  let env: Environment
  let checker: ExpressionChecker

  init(env: Environment) {
    self.env = env
    self.checker = ExpressionChecker(env: env)
  }

  func check(_ flow: FlowDeclSyntax, _ problems: inout [CheckProblem]) -> Flow {
    // The trigger decides what `trigger.F` means, so resolve it first.
    var triggerClause: FlowClauseSyntax?
    var firstSpans: [String: Span] = [:]
    for clause in flow.clauses {
      let key: String
      switch clause.kind {
      case .trigger:
        if let first = triggerClause {
          problems.append(.duplicateTrigger(clause.span, first: first.span))
        } else {
          triggerClause = clause
        }
        continue
      case .exitWhen: continue  // may repeat
      case .onlyIf: key = "only if"
      case .reentryNever, .reentryAfter: key = "reentry"
      case .quietHours: key = "quiet hours"
      case .limit: key = "limit"
      }
      if let first = firstSpans[key] {
        problems.append(.duplicateClause(clause: key, clause.span, first: first))
      } else {
        firstSpans[key] = clause.span
      }
    }

    var trigger = Trigger.memberJoined
    var triggerScope = TriggerScope.unknown
    if case .trigger(let syntax) = triggerClause?.kind {
      (trigger, triggerScope) = resolveTrigger(syntax, &problems)
    } else {
      problems.append(.missingTrigger(flow: flow.name.text, flow.name.span))
    }
    let scope = ExprScope(trigger: triggerScope, event: nil)

    var result = Flow(name: flow.name.text, trigger: trigger, entry: nil, steps: [])
    var seenReentry = false
    var seenOnlyIf = false
    var seenQuiet = false
    var seenLimit = false
    result.limit = env.defaultLimit
    for clause in flow.clauses {
      switch clause.kind {
      case .trigger: break
      case .onlyIf(let condition):
        let lowered = checker.condition(condition, "the 'only if' condition", scope, &problems)
        if !seenOnlyIf { result.onlyIf = lowered }
        seenOnlyIf = true
      case .reentryNever:
        if !seenReentry { result.reentry = .never }
        seenReentry = true
      case .reentryAfter(let duration):
        let value = ExpressionChecker.duration(duration, &problems)
        if !seenReentry, let value { result.reentry = .after(value) }
        seenReentry = true
      case .exitWhen(let event, let condition):
        result.exits.append(exitRule(event, condition, triggerScope, &problems))
      case .quietHours(let start, let end):
        let from = ExpressionChecker.time(start, &problems)
        let to = ExpressionChecker.time(end, &problems)
        if !seenQuiet, let from, let to { result.quietHours = QuietHours(start: from, end: to) }
        seenQuiet = true
      case .limit(let limit):
        let checked = ExpressionChecker.limit(limit, &problems)
        if !seenLimit { result.limit = checked }
        seenLimit = true
      }
    }

    // A yearly trigger is meant to fire every year: without a `reentry`
    // clause, a birthday flow may run again once the previous run is a day old.
    if !seenReentry, case .anniversary = result.trigger {
      result.reentry = .after(Duration(1, .days))
    }

    var lowering = StepLowering(checker: checker, env: env, triggerScope: triggerScope)
    result.steps = lowering.lower(flow.steps, &problems)
    result.entry = result.steps.first?.name
    warnAboutIntent(flow, result, triggerClause, &problems)
    return result
  }

  private func resolveTrigger(_ syntax: TriggerSyntax, _ problems: inout [CheckProblem]) -> (
    Trigger, TriggerScope
  ) {
    switch syntax {
    case .invalid:
      return (.memberJoined, .unknown)
    case .memberJoined:
      return (.memberJoined, .noFields("trigger 'member_joined'"))
    case .event(let name):
      guard let fields = env.eventFields[name.text] else {
        problems.append(.unknownEvent(name.text, name.span, candidates: env.events.map(\.name)))
        return (.event(name.text), .unknown)
      }
      let trigger: Trigger = name.text == "member_joined" ? .memberJoined : .event(name.text)
      let scope: TriggerScope =
        fields.isEmpty
        ? .noFields("trigger event '\(name.text)'") : .fields(event: name.text, fields)
      return (trigger, scope)
    case .anniversary(let field, let fieldSpan, let at):
      let time = ExpressionChecker.time(at, &problems) ?? LocalTime(hour: 0, minute: 0)
      if let type = env.memberFields[field] {
        if type.base != .date {
          problems.append(.anniversaryNotDate(field: field, found: type, fieldSpan))
        }
      } else {
        problems.append(
          .unknownMemberField(path: field, fieldSpan, candidates: Array(env.memberFields.keys)))
      }
      return (.anniversary(field: field, at: time), .noFields("trigger 'on member.\(field)'"))
    case .entersSegment(let name):
      if env.segments[name.text] == nil {
        problems.append(.unknownSegment(name.text, name.span, candidates: Array(env.segments.keys)))
      }
      return (.entersSegment(name.text), .noFields("trigger 'enters segment \(name.text)'"))
    }
  }

  private func exitRule(
    _ event: Name, _ condition: ExprSyntax?, _ triggerScope: TriggerScope,
    _ problems: inout [CheckProblem]
  ) -> ExitRule {
    let fields = env.eventFields[event.text]
    if fields == nil {
      problems.append(.unknownEvent(event.text, event.span, candidates: env.events.map(\.name)))
    } else if event.text == "member_joined" {
      problems.append(.joinNeverComes(construct: "exit when event", event.span))
    }
    var rule = ExitRule(event: event.text)
    if let condition {
      // With an unknown event, `event.F` cannot be judged; stay quiet about it.
      let scope = ExprScope(
        trigger: triggerScope, event: fields.map { (event.text, $0) })
      if fields != nil {
        rule.condition = checker.condition(condition, "the 'where' condition", scope, &problems)
      }
    }
    return rule
  }
}
