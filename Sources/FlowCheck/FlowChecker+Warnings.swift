import FlowIR
import FlowSyntax

extension FlowChecker {
  /// Warnings: the flow runs, but probably not as its author meant.
  func warnAboutIntent(
    _ flow: FlowDeclSyntax, _ lowered: Flow, _ triggerClause: FlowClauseSyntax?,
    _ problems: inout [CheckProblem]
  ) {
    let sends = Self.mostSends(flow.steps)
    if sends >= 2, lowered.exits.isEmpty {
      problems.append(.seriesWithoutGoal(flow: flow.name.text, sends: sends, flow.name.span))
    }
    var trigger: TriggerSyntax?
    if case .trigger(let syntax) = triggerClause?.kind { trigger = syntax }
    let onlyIf = flow.clauses.lazy.compactMap { clause -> ExprSyntax? in
      if case .onlyIf(let condition) = clause.kind { condition } else { nil }
    }.first
    SegmentLifetime(segments: env.segments).checkWaits(
      flow.steps, trigger: trigger, onlyIf: onlyIf, &problems)
  }

  /// The most emails one member can get from `steps`: split and `if` arms
  /// are alternatives, so an A/B test of two emails is one email.
  static func mostSends(_ steps: [StepSyntax]) -> Int {
    steps.reduce(0) { total, step in
      switch step.kind {
      case .send: total + 1
      case .wait, .waitUntil: total
      case .waitForEvent(let wait): total + mostSends(wait.otherwise ?? [])
      case .branch(let arms, let otherwise):
        total + ((arms.map { mostSends($0.steps) } + [mostSends(otherwise ?? [])]).max() ?? 0)
      case .split(let arms, let otherwise):
        total + ((arms.map { mostSends($0.steps) } + [mostSends(otherwise)]).max() ?? 0)
      }
    }
  }
}
