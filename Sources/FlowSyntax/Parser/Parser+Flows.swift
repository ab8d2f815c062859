import FlowDiagnostics

extension Parser {
  static let clauseKeywords = KeywordSet([.trigger, .only, .reentry, .exit, .quiet, .limit])
  static let stepKeywords = KeywordSet([.send, .wait, .if, .split])
  // `event`, `segment` and friends also occur inside clauses, so inside a flow
  // only step and clause keywords (and `flow`, see `recover`) resynchronise.
  private static let flowItemStops = clauseKeywords.union(stepKeywords)
  private static let stepStops = stepKeywords

  /// `flow NAME '{' { clause | step } '}'`
  mutating func parseFlow() -> FlowDeclSyntax? {
    let start = advance()
    guard let name = expectName("a flow name") else { return nil }
    guard expect(.leftBrace, "'{'") != nil else { return nil }
    var clauses: [FlowClauseSyntax] = []
    var steps: [StepSyntax] = []
    while !at(.rightBrace), !atEnd {
      let before = index
      let problemsBefore = problemCount
      if at(.word), Self.clauseKeywords.contains(current.keyword) {
        if let clause = parseClause() { clauses.append(clause) }
      } else if at(.word), Self.stepKeywords.contains(current.keyword) {
        if let step = parseStep() { steps.append(step) }
      } else if at(.word), Self.declarationKeywords.contains(current.keyword),
        current.keyword != .event, current.keyword != .limit
      {
        break  // the '}' is missing; let the caller report it and go on
      } else {
        expected("a flow clause or a step ('trigger', 'send', 'wait', 'if', 'split', ...)")
      }
      if problemCount > problemsBefore {
        if index == before { advance() }
        if !(at(.word) && Self.flowItemStops.contains(current.keyword)) {
          recover(to: Self.flowItemStops)
        }
      }
      if index == before, !atEnd { advance() }
    }
    expect(.rightBrace, "'}' to close flow '\(name.text)'")
    return FlowDeclSyntax(name: name, clauses: clauses, steps: steps, span: span(from: start))
  }

  // MARK: Clauses

  private mutating func parseClause() -> FlowClauseSyntax? {
    let start = current
    let kind: FlowClauseSyntax.Kind?
    switch advance().keyword {
    case .trigger:
      kind = .trigger(parseTrigger() ?? .invalid(span(from: start)))
    case .only:
      kind = expect(.if) ? .onlyIf(parseExpression()) : nil
    case .reentry:
      if at(.never) {
        advance()
        kind = .reentryNever
      } else if at(.after) {
        advance()
        kind = parseDuration().map(FlowClauseSyntax.Kind.reentryAfter)
      } else {
        expected("'never' or 'after'")
        kind = nil
      }
    case .exit:
      guard expect(.when), expect(.event), let event = expectName("an event name") else {
        return nil
      }
      var condition: ExprSyntax?
      if at(.where) {
        advance()
        condition = parseExpression()
      }
      kind = .exitWhen(event: event, condition: condition)
    case .quiet:
      guard expect(.hours), let from = parseTime(),
        expect(.minus, "'-' between the two times") != nil,
        let to = parseTime(), expect(.local)
      else { return nil }
      kind = .quietHours(start: from, end: to)
    case .limit:
      kind = parseLimit().map(FlowClauseSyntax.Kind.limit)
    default:
      kind = nil
    }
    return kind.map { FlowClauseSyntax(kind: $0, span: span(from: start)) }
  }

  /// `'member_joined' | 'event' NAME | 'on' 'member' '.' path 'at' TIME 'local'
  /// | 'enters' 'segment' NAME`
  private mutating func parseTrigger() -> TriggerSyntax? {
    if at(.word), current.keyword == .none, text(current) == "member_joined" {
      return .memberJoined(span(advance()))
    }
    switch current.keyword {
    case .event where at(.word):
      advance()
      return expectName("an event name").map(TriggerSyntax.event)
    case .on where at(.word):
      advance()
      guard expect(.member), expect(.dot, "'.' and a member field") != nil,
        let (path, pathSpan) = parseMemberPath()
      else { return nil }
      guard expect(.at), let time = parseTime(), expect(.local) else { return nil }
      return .anniversary(field: path, fieldSpan: pathSpan, at: time)
    case .enters where at(.word):
      advance()
      guard expect(.segment) else { return nil }
      return expectName("a segment name").map(TriggerSyntax.entersSegment)
    default:
      expected("'member_joined', 'event NAME', 'on member.FIELD' or 'enters segment NAME'")
      return nil
    }
  }

  // MARK: Steps

  /// `'{' { step } '}'`: the body of an `if`/`else`/split arm.
  private mutating func parseBlock() -> [StepSyntax] {
    guard expect(.leftBrace, "'{'") != nil else { return [] }
    var steps: [StepSyntax] = []
    guard enterNesting() else {
      leaveNesting()
      recover(to: KeywordSet([]))  // jump the over-deep block entirely
      expect(.rightBrace, "'}'")
      return []
    }
    while !at(.rightBrace), !atEnd {
      let before = index
      let problemsBefore = problemCount
      if at(.word), Self.stepKeywords.contains(current.keyword) {
        if let step = parseStep() { steps.append(step) }
      } else if at(.word), current.keyword == .flow {
        break
      } else {
        expected("a step ('send', 'wait', 'if' or 'split') or '}'")
      }
      if problemCount > problemsBefore {
        if index == before { advance() }
        if !(at(.word) && Self.stepStops.contains(current.keyword)) { recover(to: Self.stepStops) }
      }
      if index == before, !atEnd { advance() }
    }
    leaveNesting()
    expect(.rightBrace, "'}'")
    return steps
  }

  private mutating func parseStep() -> StepSyntax? {
    let start = current
    let kind: StepSyntax.Kind?
    switch advance().keyword {
    case .send: kind = parseSend()
    case .wait:
      if at(.for) {
        advance()
        kind = parseWaitForEvent().map(StepSyntax.Kind.waitForEvent)
      } else if at(.until) {
        advance()
        kind = parseWaitUntil()
      } else {
        kind = parseDuration().map(StepSyntax.Kind.wait)
      }
    case .if: kind = parseBranch()
    case .split: kind = parseSplit()
    default: kind = nil
    }
    return kind.map { StepSyntax(kind: $0, span: span(from: start)) }
  }

  /// `send NAME '{' { 'template' STRING | 'subject' STRING } '}'`
  private mutating func parseSend() -> StepSyntax.Kind? {
    let sendSpan = span(tokens[index - 1])
    guard let name = expectName("a step name") else { return nil }
    guard expect(.leftBrace, "'{'") != nil else { return nil }
    var template: StringLiteral?
    var subject: StringLiteral?
    while !at(.rightBrace), !atEnd {
      let keyword = current.keyword
      guard at(.word), keyword == .template || keyword == .subject else {
        expected("'template', 'subject' or '}'")
        recover(to: KeywordSet([]))
        break
      }
      let keyToken = advance()
      guard at(.string) else {
        expected("a string")
        continue
      }
      let value = parseString()
      let previous = keyword == .template ? template : subject
      if let previous {
        report(
          .duplicateSendProperty(property: keyword.spelling, span(keyToken), first: previous.span))
      } else if keyword == .template {
        template = value
      } else {
        subject = value
      }
    }
    expect(.rightBrace, "'}'")
    for (property, value) in [("template", template), ("subject", subject)] where value == nil {
      report(.missingSendProperty(property: property, step: name.text, sendSpan.through(name.span)))
    }
    return .send(name: name, template: template, subject: subject)
  }

  /// `'for' 'event' NAME [ 'where' expr ] 'up' 'to' DURATION [ 'else' block ]`
  private mutating func parseWaitForEvent() -> WaitForEventSyntax? {
    guard expect(.event), let event = expectName("an event name") else { return nil }
    var condition: ExprSyntax?
    if at(.where) {
      advance()
      condition = parseExpression()
    }
    guard expectWord("up"), expectWord("to"), let timeout = parseDuration() else { return nil }
    var otherwise: [StepSyntax]?
    if at(.else) {
      advance()
      otherwise = parseBlock()
    }
    return WaitForEventSyntax(
      event: event, condition: condition, timeout: timeout, otherwise: otherwise)
  }

  /// `'until' [ DAYS ] [ TIME 'local' ]`, at least one of the two. The days
  /// word is checked by the checker, so a typo gets a did-you-mean.
  private mutating func parseWaitUntil() -> StepSyntax.Kind? {
    var days: Name?
    if at(.word), current.keyword == .none {
      let token = advance()
      days = Name(text: text(token), span: span(token))
    }
    guard at(.time) || days == nil else { return .waitUntil(days: days, time: nil) }
    guard let time = parseTime(), expect(.local) else { return nil }
    return .waitUntil(days: days, time: time)
  }

  /// `'if' expr block { 'else' 'if' expr block } [ 'else' block ]`
  private mutating func parseBranch() -> StepSyntax.Kind {
    var arms = [BranchArm(condition: parseExpression(), steps: parseBlock())]
    var otherwise: [StepSyntax]?
    while at(.else) {
      advance()
      if at(.if) {
        advance()
        arms.append(BranchArm(condition: parseExpression(), steps: parseBlock()))
      } else {
        otherwise = parseBlock()
        break
      }
    }
    return .branch(arms: arms, otherwise: otherwise)
  }

  /// `'split' PERCENT block { PERCENT block } 'else' block`
  private mutating func parseSplit() -> StepSyntax.Kind? {
    var arms: [SplitArm] = []
    repeat {
      guard at(.percent) else {
        expected("a percentage such as '50%'")
        return nil
      }
      let token = advance()
      let percent = parseInteger(token.start, token.end - 1)
      arms.append(SplitArm(percent: percent, percentSpan: span(token), steps: parseBlock()))
    } while at(.percent)
    guard expect(.else) else { return .split(arms: arms, otherwise: []) }
    return .split(arms: arms, otherwise: parseBlock())
  }
}
