import FlowDiagnostics
import FlowIR
import FlowSyntax
import Templates

/// Checks a flow's steps and flattens nested blocks into `Flow.steps`.
///
/// Two passes: naming first (pre-order, so `wait_1`, `if_1`, `split_1` count
/// per kind in source order), then emission, because a step's `next` is the
/// name of its following sibling, which is only known after the nested
/// blocks before it have been named.
struct StepLowering {
  let checker: ExpressionChecker
  let env: Environment
  let triggerScope: TriggerScope
  let templates: [String: TemplateSummary]
  /// What the flow's sends hand their templates.
  let supply: TemplateSupply
  private var scope: ExprScope { ExprScope(trigger: triggerScope, event: nil) }

  /// A step with its resolved name and named children.
  private struct Named {
    var name: String
    var syntax: StepSyntax
    /// For an `if`: the name of each arm's branch step (`else if` gets its own).
    var armNames: [String] = []
    var arms: [[Named]] = []
    var otherwise: [Named] = []
  }

  private var counts: [String: Int] = [:]
  /// First span of each step name, for duplicate reports.
  private var seen: [String: Span] = [:]

  init(checker: ExpressionChecker, env: Environment, triggerScope: TriggerScope) {
    self.checker = checker
    self.env = env
    self.triggerScope = triggerScope
    self.templates = env.templates
    self.supply = TemplateSupply(memberFields: env.memberFields.keys, trigger: triggerScope)
  }

  /// Checks and lowers `steps`; returns the flat step list in source order.
  mutating func lower(_ steps: [StepSyntax], _ problems: inout [CheckProblem]) -> [Step] {
    let named = name(steps, &problems)
    var out: [Step] = []
    emit(named, continuation: nil, into: &out, &problems)
    return out
  }

  // MARK: Naming

  private mutating func name(_ steps: [StepSyntax], _ problems: inout [CheckProblem]) -> [Named] {
    steps.map { step in
      switch step.kind {
      case .send(let name, _, _):
        claim(name.text, name.span, &problems)
        return Named(name: name.text, syntax: step)
      case .wait, .waitUntil:
        return Named(name: implicitName("wait", step, 4, &problems), syntax: step)
      case .waitForEvent(let wait):
        var node = Named(name: implicitName("wait", step, 4, &problems), syntax: step)
        node.otherwise = name(wait.otherwise ?? [], &problems)
        return node
      case .branch(let arms, let otherwise):
        var node = Named(name: "", syntax: step)
        for (index, arm) in arms.enumerated() {
          // The first arm's name is the `if` keyword's; an `else if` is its own branch.
          node.armNames.append(
            implicitName("if", step, 2, &problems, at: index == 0 ? nil : arm.condition.span))
          node.arms.append(name(arm.steps, &problems))
        }
        node.name = node.armNames[0]
        node.otherwise = name(otherwise ?? [], &problems)
        return node
      case .split(let arms, let otherwise):
        var node = Named(name: implicitName("split", step, 5, &problems), syntax: step)
        node.arms = arms.map { name($0.steps, &problems) }
        node.otherwise = name(otherwise, &problems)
        return node
      }
    }
  }

  private mutating func implicitName(
    _ kind: String, _ step: StepSyntax, _ keywordLength: UInt32, _ problems: inout [CheckProblem],
    at span: Span? = nil
  ) -> String {
    let count = (counts[kind] ?? 0) + 1
    counts[kind] = count
    let name = "\(kind)_\(count)"
    claim(name, span ?? Self.keywordSpan(step, keywordLength), &problems)
    return name
  }

  /// The span of the keyword that starts `step`, `keywordLength` bytes long.
  private static func keywordSpan(_ step: StepSyntax, _ keywordLength: UInt32) -> Span {
    Span(file: step.span.file, start: step.span.start, end: step.span.start + keywordLength)
  }

  private mutating func claim(_ name: String, _ span: Span, _ problems: inout [CheckProblem]) {
    if let first = seen[name] {
      problems.append(.duplicateStep(name, span, first: first))
    } else {
      seen[name] = span
    }
  }

  // MARK: Emission

  private func emit(
    _ block: [Named], continuation: String?, into out: inout [Step],
    _ problems: inout [CheckProblem]
  ) {
    for (index, node) in block.enumerated() {
      let next = index + 1 < block.count ? block[index + 1].name : continuation
      switch node.syntax.kind {
      case .send(let sendName, let template, let subject):
        if let template { check(template, sentBy: sendName.text, &problems) }
        if let subject {
          switch env.subjects.variables(of: subject.value) {
          case .success(let variables):
            supply.check(Self.reads(variables, in: subject), template: nil, &problems)
          case .failure(let error):
            problems.append(.subjectSyntax(Self.liquidMessage(error), subject.span))
          }
        }
        let action = SendAction(template: template?.value ?? "", subject: subject?.value ?? "")
        out.append(Step(name: node.name, action: .send(action), next: next))
      case .wait(let duration):
        let value = ExpressionChecker.duration(duration, &problems) ?? FlowIR.Duration(1, .days)
        out.append(Step(name: node.name, action: .wait(value), next: next))
      case .waitForEvent(let wait):
        let action = waitForEvent(
          wait, timeoutTarget: node.otherwise.first?.name ?? next, &problems)
        out.append(Step(name: node.name, action: .waitForEvent(action), next: next))
        emit(node.otherwise, continuation: next, into: &out, &problems)
      case .waitUntil(let days, let time):
        let weekdays = days.map { Self.weekdays($0, &problems) } ?? []
        let localTime = time.flatMap { ExpressionChecker.time($0, &problems) }
        out.append(
          Step(
            name: node.name, action: .waitUntil(WaitUntil(weekdays: weekdays, time: localTime)),
            next: next))
      case .branch(let arms, _):
        let otherwiseTarget = node.otherwise.first?.name ?? next
        var reachability = Reachability()
        for (armIndex, arm) in arms.enumerated() {
          let checked = checker.condition(arm.condition, "the 'if' condition", scope, &problems)
          reachability.arm(
            arm.condition, checked, firstStep: node.arms[armIndex].first?.syntax.span, &problems)
          let condition = checked ?? .literal(.bool(false))
          let elseTarget = armIndex + 1 < arms.count ? node.armNames[armIndex + 1] : otherwiseTarget
          let thenTarget = node.arms[armIndex].first?.name ?? next
          out.append(
            Step(
              name: node.armNames[armIndex],
              action: .branch(condition: condition, then: thenTarget, else: elseTarget), next: nil))
          emit(node.arms[armIndex], continuation: next, into: &out, &problems)
        }
        reachability.otherwise(firstStep: node.otherwise.first?.syntax.span, &problems)
        emit(node.otherwise, continuation: next, into: &out, &problems)
      case .split(let arms, _):
        var irArms: [FlowIR.SplitArm] = []
        var sum = 0
        var weightsOK = true
        for (armIndex, arm) in arms.enumerated() {
          if !(1...99).contains(arm.percent) {
            problems.append(.splitWeightOutOfRange(percent: arm.percent, arm.percentSpan))
            weightsOK = false
          }
          sum = sum.addingReportingOverflow(min(arm.percent, 1000)).partialValue
          irArms.append(
            FlowIR.SplitArm(percent: arm.percent, target: node.arms[armIndex].first?.name ?? next))
        }
        if weightsOK, sum >= 100, let first = arms.first, let last = arms.last {
          problems.append(
            .splitWeightsTooLarge(sum: sum, first.percentSpan.through(last.percentSpan)))
        }
        irArms.append(
          FlowIR.SplitArm(percent: max(0, 100 - sum), target: node.otherwise.first?.name ?? next))
        out.append(Step(name: node.name, action: .split(irArms), next: nil))
        var shapes: [(ArmShape, Span)] = []
        for (armIndex, armSteps) in node.arms.enumerated() {
          let start = out.count
          emit(armSteps, continuation: next, into: &out, &problems)
          shapes.append((ArmShape(out[start...]), arms[armIndex].percentSpan))
        }
        let otherwiseStart = out.count
        emit(node.otherwise, continuation: next, into: &out, &problems)
        let otherwiseSpan = node.otherwise.first?.syntax.span ?? Self.keywordSpan(node.syntax, 5)
        shapes.append((ArmShape(out[otherwiseStart...]), otherwiseSpan))
        Self.reportIdenticalArms(shapes, &problems)
      }
    }
  }

  /// Checks that the template exists, has an unsubscribe link (every flow
  /// send is marketing) and reads only what the flow supplies.
  private func check(
    _ template: StringLiteral, sentBy send: String, _ problems: inout [CheckProblem]
  ) {
    guard let summary = templates[template.value] else {
      problems.append(
        .unknownTemplate(template.value, template.span, candidates: Array(templates.keys)))
      return
    }
    if !summary.hasUnsubscribeLink {
      problems.append(.missingUnsubscribeLink(template: template.value, template.span))
    }
    supply.check(
      summary.reads, template: (template.value, usedBy: send, at: template.span), &problems)
  }

  /// A subject's reads, placed in the flow file. Without escapes the string's
  /// text is its value, one quote in; otherwise they span the whole string.
  private static func reads(_ variables: [VariableReference], in literal: StringLiteral)
    -> [TemplateSummary.Read]
  {
    let span = literal.span
    let verbatim = span.end - span.start == UInt32(literal.value.utf8.count) + 2
    return variables.map {
      var read = TemplateSummary.read($0, file: span.file, base: span.start + 1)
      if !verbatim { read.span = span }
      return read
    }
  }

  /// Reports each split arm that does what an earlier arm does.
  private static func reportIdenticalArms(
    _ shapes: [(ArmShape, Span)], _ problems: inout [CheckProblem]
  ) {
    for (index, (shape, span)) in shapes.enumerated() {
      if let first = shapes[..<index].first(where: { $0.0 == shape }) {
        problems.append(.identicalSplitArms(span, first: first.1))
      }
    }
  }

  /// A Liquid error's message without the template name and position, which
  /// the diagnostic shows itself.
  static func liquidMessage(_ error: TemplateError) -> String { error.message }

  private func waitForEvent(
    _ wait: WaitForEventSyntax, timeoutTarget: String?, _ problems: inout [CheckProblem]
  ) -> WaitForEvent {
    let timeout = ExpressionChecker.duration(wait.timeout, &problems) ?? FlowIR.Duration(1, .days)
    var action = WaitForEvent(
      event: wait.event.text, timeout: timeout, timeoutTarget: timeoutTarget)
    guard let fields = env.eventFields[wait.event.text] else {
      problems.append(
        .unknownEvent(wait.event.text, wait.event.span, candidates: env.events.map(\.name)))
      return action
    }
    if wait.event.text == "member_joined" {
      problems.append(.joinNeverComes(construct: "wait for event", wait.event.span))
    }
    if let condition = wait.condition {
      let scope = ExprScope(trigger: triggerScope, event: (wait.event.text, fields))
      action.condition = checker.condition(condition, "the 'where' condition", scope, &problems)
    }
    return action
  }

  /// ISO weekday numbers for a `wait until` day word.
  static func weekdays(_ word: Name, _ problems: inout [CheckProblem]) -> [Int] {
    if let days = dayWords[word.text] { return days }
    problems.append(.unknownWeekday(word.text, word.span, candidates: Array(dayWords.keys)))
    return []
  }

  private static let dayWords: [String: [Int]] = {
    let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    var words = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, [$0 + 1]) })
    words["weekday"] = [1, 2, 3, 4, 5]
    words["weekend"] = [6, 7]
    return words
  }()
}
