import FlowDiagnostics

extension Parser {
  /// `expr = or`; precedence from low to high: `or`, `and`, `not`,
  /// comparison, primary.
  mutating func parseExpression() -> ExprSyntax {
    if depth == 0 { operatorCount = 0 }
    var left = parseAnd()
    while at(.or) {
      let op = advance()
      let right = parseAnd()
      if countOperator(op) {
        left = ExprSyntax(kind: .or(left, right), span: left.span.through(right.span))
      }
    }
    return left
  }

  /// Counts a binary operator against `maxOperators`; false once over the
  /// limit, so the caller drops the operand instead of deepening the tree
  /// (a 100k-long `a and a and ...` chain would overflow the stack when the
  /// tree is freed or checked).
  private mutating func countOperator(_ op: Token) -> Bool {
    operatorCount += 1
    if operatorCount == Self.maxOperators + 1 {
      report(.expressionTooLong(limit: Self.maxOperators, span(op)))
    }
    return operatorCount <= Self.maxOperators
  }

  private mutating func parseAnd() -> ExprSyntax {
    var left = parseNot()
    while at(.and) {
      let op = advance()
      let right = parseNot()
      if countOperator(op) {
        left = ExprSyntax(kind: .and(left, right), span: left.span.through(right.span))
      }
    }
    return left
  }

  private mutating func parseNot() -> ExprSyntax {
    guard at(.not) else { return parseComparison() }
    let start = advance()
    defer { leaveNesting() }
    guard enterNesting() else { return skipTooDeep(start) }
    let operand = parseNot()
    return ExprSyntax(kind: .not(operand), span: span(start).through(operand.span))
  }

  /// `primary [ op primary | 'before' DURATION 'ago' | 'within' DURATION | 'has' primary ]`
  private mutating func parseComparison() -> ExprSyntax {
    let left = parsePrimary()
    let op: ExprSyntax.CompareOperator? =
      switch current.kind {
      case .equalEqual: .equal
      case .notEqual: .notEqual
      case .less: .less
      case .lessEqual: .lessEqual
      case .greater: .greater
      case .greaterEqual: .greaterEqual
      default: nil
      }
    if let op {
      advance()
      let right = parsePrimary()
      return ExprSyntax(kind: .compare(op, left, right), span: left.span.through(right.span))
    }
    if at(.before) {
      advance()
      guard let duration = parseDuration() else { return left }
      expect(.ago)
      return ExprSyntax(kind: .before(left, duration), span: span(from: tokenAt(left.span)))
    }
    if at(.within) {
      advance()
      guard let duration = parseDuration() else { return left }
      return ExprSyntax(kind: .within(left, duration), span: left.span.through(duration.span))
    }
    if at(.has) {
      advance()
      let right = parsePrimary()
      return ExprSyntax(kind: .has(left, right), span: left.span.through(right.span))
    }
    return left
  }

  /// A token standing for the start of `span` (used to build spans up to here).
  private func tokenAt(_ span: Span) -> Token {
    Token(kind: .word, start: span.start, end: span.end)
  }

  /// `primary = literal | 'member' '.' path | 'event' '.' NAME | 'trigger' '.' NAME
  /// | NAME | '(' expr ')'`
  mutating func parsePrimary() -> ExprSyntax {
    let start = current
    switch current.kind {
    case .leftParen:
      advance()
      defer { leaveNesting() }
      guard enterNesting() else { return skipTooDeep(start) }
      let inner = parseExpression()
      expect(.rightParen, "')'")
      return ExprSyntax(kind: inner.kind, span: span(from: start))
    case .number:
      advance()
      // `500 USD`: a number followed by a three-letter upper-case code is money.
      if at(.word), current.keyword == .none, isCurrencyCode(current) {
        let currency = advance()
        let cents = parseCents(start)
        return literal(.money(cents: cents, currency: text(currency)), start)
      }
      return literal(.number(Double(text(start)) ?? 0), start)
    case .duration:
      guard let duration = parseDuration() else { return missing(start) }
      return literal(.duration(duration), start)
    case .string:
      return literal(.string(parseString().value), start)
    case .date:
      advance()
      let year = parseInteger(start.start, start.start + 4)
      let month = parseInteger(start.start + 5, start.start + 7)
      let day = parseInteger(start.start + 8, start.end)
      if !Self.isValidDate(year: year, month: month, day: day), start.end - start.start == 10 {
        report(.malformedNumber(.badDate, span(start)))
      }
      return literal(.date(year: year, month: month, day: day), start)
    case .word:
      switch current.keyword {
      case .true, .false:
        advance()
        return literal(.bool(start.keyword == .true), start)
      case .member:
        advance()
        guard expect(.dot, "'.' and a member field") != nil,
          let (path, pathSpan) = parseMemberPath()
        else { return missing(start) }
        return ExprSyntax(kind: .member(path: path, pathSpan: pathSpan), span: span(from: start))
      case .event, .trigger:
        advance()
        guard expect(.dot, "'.' and a field name") != nil, let field = parseFieldName() else {
          return missing(start)
        }
        let kind: ExprSyntax.Kind = start.keyword == .event ? .event(field) : .trigger(field)
        return ExprSyntax(kind: kind, span: span(from: start))
      case .none:
        advance()
        return ExprSyntax(
          kind: .segment(Name(text: text(start), span: span(start))), span: span(start))
      default:
        break
      }
    default:
      break
    }
    expected("an expression")
    return missing(start)
  }

  /// `NAME { '.' NAME }` after `member.`; keywords are fine here.
  mutating func parseMemberPath() -> (String, Span)? {
    guard let first = parseFieldName() else { return nil }
    var path = first.text
    var pathSpan = first.span
    while at(.dot), peek().kind == .word {
      advance()
      let part = advance()
      path += "." + text(part)
      pathSpan = pathSpan.through(span(part))
    }
    return (path, pathSpan)
  }

  /// A field name after a dot: any word, keywords included.
  private mutating func parseFieldName() -> Name? {
    guard at(.word) else {
      expected("a field name")
      return nil
    }
    let token = advance()
    return Name(text: text(token), span: span(token))
  }

  private func literal(_ value: ExprSyntax.Literal, _ start: Token) -> ExprSyntax {
    ExprSyntax(kind: .literal(value), span: span(from: start))
  }

  private func missing(_ start: Token) -> ExprSyntax {
    ExprSyntax(kind: .missing, span: span(start))
  }

  /// Past the nesting cap: skip the rest of this parenthesised group without
  /// recursing, leaving the closing `)` for the enclosing level.
  private mutating func skipTooDeep(_ start: Token) -> ExprSyntax {
    var open = 0
    while !atEnd {
      if at(.leftParen) {
        open += 1
      } else if at(.rightParen) {
        if open == 0 { break }
        open -= 1
      } else if at(.rightBrace) || at(.leftBrace) {
        break
      }
      advance()
    }
    return missing(start)
  }

  /// True for a real calendar day (`2024-02-29` yes, `2023-02-29` no).
  static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
    guard (1...12).contains(month), day >= 1 else { return false }
    let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]
  }

  private func isCurrencyCode(_ token: Token) -> Bool {
    guard token.end - token.start == 3 else { return false }
    return bytes[Int(token.start)..<Int(token.end)].allSatisfy { $0 >= 65 && $0 <= 90 }
  }
}
