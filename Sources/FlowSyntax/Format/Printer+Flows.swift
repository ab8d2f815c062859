extension Printer {
  /// Clauses and steps stay in source order (moving them would move the
  /// comments between them).
  mutating func printFlow(_ flow: FlowDeclSyntax) {
    let open = token(atOrAfter: flow.name.span.end)
    openingLine("flow \(flow.name.text) {", from: flow.span.start, to: open.end)
    enum Item {
      case clause(FlowClauseSyntax)
      case step(StepSyntax)
    }
    let items =
      (flow.clauses.map { (start: $0.span.start, item: Item.clause($0)) }
      + flow.steps.map { (start: $0.span.start, item: Item.step($0)) })
      .sorted { $0.start < $1.start }
    for (_, item) in items {
      switch item {
      case .clause(let clause):
        line(clauseText(clause.kind), from: clause.span.start, to: clause.span.end)
      case .step(let step): printStep(step)
      }
    }
    closingLine(at: token(atOrAfter: flow.span.end - 1))
  }

  private func clauseText(_ clause: FlowClauseSyntax.Kind) -> String {
    switch clause {
    case .trigger(let trigger): "trigger " + triggerText(trigger)
    case .onlyIf(let condition): "only if " + expression(condition, .or)
    case .reentryNever: "reentry never"
    case .reentryAfter(let duration): "reentry after " + durationText(duration)
    case .exitWhen(let event, let condition):
      "exit when event \(event.text)" + (condition.map { " where " + expression($0, .or) } ?? "")
    case .quietHours(let start, let end): "quiet hours \(timeText(start))-\(timeText(end)) local"
    case .limit(let limit): "limit " + limitText(limit)
    }
  }

  private func triggerText(_ trigger: TriggerSyntax) -> String {
    switch trigger {
    case .memberJoined: "member_joined"
    case .event(let event): "event " + event.text
    case .anniversary(let field, _, let time): "on member.\(field) at \(timeText(time)) local"
    case .entersSegment(let segment): "enters segment " + segment.text
    case .invalid: ""  // only after a syntax error, and such files are not printed
    }
  }

  private mutating func printStep(_ step: StepSyntax) {
    let start = step.span.start
    switch step.kind {
    case .send(let name, let template, let subject):
      openingLine("send \(name.text) {", from: start, to: token(atOrAfter: name.span.end).end)
      let properties = [("template", template), ("subject ", subject)]
        .compactMap { key, value in value.map { (key, $0) } }
        .sorted { $0.1.span.start < $1.1.span.start }
      for (key, value) in properties {
        let keyword = tokens[tokenIndex(atOrAfter: value.span.start) - 1]
        line("\(key) \(quoted(value.value))", from: keyword.start, to: value.span.end)
      }
      closingLine(at: token(atOrAfter: step.span.end - 1))
    case .wait(let duration):
      line("wait " + durationText(duration), from: start, to: step.span.end)
    case .waitUntil(let days, let time):
      var text = "wait until"
      if let days { text += " " + days.text }
      if let time { text += " \(timeText(time)) local" }
      line(text, from: start, to: step.span.end)
    case .waitForEvent(let wait):
      var text = "wait for event " + wait.event.text
      if let condition = wait.condition { text += " where " + expression(condition, .or) }
      text += " up to " + durationText(wait.timeout)
      guard let otherwise = wait.otherwise else {
        line(text, from: start, to: step.span.end)
        return
      }
      let open = token(atOrAfter: token(atOrAfter: wait.timeout.span.end).end)  // after `else`
      openingLine(text + " else {", from: start, to: open.end)
      closingLine(at: printBlock(otherwise, after: open))
    case .branch(let arms, let otherwise):
      var open = token(atOrAfter: arms[0].condition.span.end)
      openingLine("if \(expression(arms[0].condition, .or)) {", from: start, to: open.end)
      for (previous, arm) in zip(arms, arms.dropFirst()) {
        let close = printBlock(previous.steps, after: open)
        open = token(atOrAfter: arm.condition.span.end)
        closingLine(
          at: close, continuation: " else if \(expression(arm.condition, .or)) {", to: open.end)
      }
      var close = printBlock(arms[arms.count - 1].steps, after: open)
      if let otherwise {
        let elseOpen = token(atOrAfter: token(atOrAfter: close.end).end)
        closingLine(at: close, continuation: " else {", to: elseOpen.end)
        close = printBlock(otherwise, after: elseOpen)
      }
      closingLine(at: close)
    case .split(let arms, let otherwise):
      var open = token(atOrAfter: arms[0].percentSpan.end)
      openingLine("split \(percentText(arms[0])) {", from: start, to: open.end)
      for (previous, arm) in zip(arms, arms.dropFirst()) {
        let close = printBlock(previous.steps, after: open)
        open = token(atOrAfter: arm.percentSpan.end)
        closingLine(at: close, continuation: " \(percentText(arm)) {", to: open.end)
      }
      let close = printBlock(arms[arms.count - 1].steps, after: open)
      let elseOpen = token(atOrAfter: token(atOrAfter: close.end).end)
      closingLine(at: close, continuation: " else {", to: elseOpen.end)
      closingLine(at: printBlock(otherwise, after: elseOpen))
    }
  }

  /// Prints a block's steps (its `{` is `open`) and returns its `}`.
  private mutating func printBlock(_ steps: [StepSyntax], after open: Token) -> Token {
    for step in steps { printStep(step) }
    return token(atOrAfter: steps.last?.span.end ?? open.end)
  }

  private func percentText(_ arm: SplitArm) -> String {
    source(arm.percentSpan.start, arm.percentSpan.end)
  }
}
