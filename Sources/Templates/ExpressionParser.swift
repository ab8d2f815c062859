/// Parses expression tokens into `Expression`, `FilteredExpression` and `Condition`.
///
/// One parser covers one piece of markup; tag parsers read what they need and then call
/// `expectEnd()` so that trailing junk is an error rather than silently ignored.
struct ExpressionParser {
  private let tokens: [ExpressionToken]
  private(set) var index = 0

  init(_ bytes: [UInt8], _ range: Range<Int>) throws(Failure) {
    tokens = try ExpressionLexer.tokenize(bytes, range)
  }

  var current: ExpressionToken { tokens[index] }
  var atEnd: Bool { tokens[index].kind == .end }

  mutating func advance() -> ExpressionToken {
    let token = tokens[index]
    if token.kind != .end { index += 1 }
    return token
  }

  /// Consumes the current token if it has `kind` (and `text`, when given).
  mutating func accept(_ kind: ExpressionToken.Kind, _ text: String? = nil) -> Bool {
    guard current.kind == kind, text == nil || current.text == text else { return false }
    index += 1
    return true
  }

  mutating func expect(_ kind: ExpressionToken.Kind, _ what: String) throws(Failure)
    -> ExpressionToken
  {
    guard current.kind == kind else { throw unexpected(expected: what) }
    return advance()
  }

  func expectEnd() throws(Failure) {
    guard atEnd else { throw unexpected(expected: "end of markup") }
  }

  func unexpected(expected: String) -> Failure {
    let found = current.kind == .end ? "end of markup" : "'\(current.text)'"
    return Failure("expected \(expected), found \(found)", at: current.range.lowerBound)
  }

  /// `expr | filter: args | filter ...`
  mutating func parseFiltered() throws(Failure) -> FilteredExpression {
    let base = try parseExpression()
    var filters: [FilterCall] = []
    while accept(.pipe) {
      let nameToken = try expect(.identifier, "a filter name")
      guard let filter = Filter(rawValue: nameToken.text) else {
        throw Failure("unknown filter '\(nameToken.text)'", at: nameToken.range.lowerBound)
      }
      var call = FilterCall(filter: filter, arguments: [], keywordArguments: [])
      if accept(.colon) {
        repeat {
          // `name: value` is a keyword argument; a bare name is a variable.
          if current.kind == .identifier && tokens[index + 1].kind == .colon {
            let name = advance().text
            _ = advance()
            call.keywordArguments.append((name, try parseExpression()))
          } else {
            call.arguments.append(try parseExpression())
          }
        } while accept(.comma)
      }
      try checkArity(call, at: nameToken.range.lowerBound)
      filters.append(call)
    }
    return FilteredExpression(base: base, filters: filters)
  }

  /// Wrong argument counts are parse errors, so they are caught before any render.
  private func checkArity(_ call: FilterCall, at offset: Int) throws(Failure) {
    let arity = call.filter.arity
    let name = call.filter.rawValue
    if !arity.contains(call.arguments.count) {
      let expected =
        arity.lowerBound == arity.upperBound
        ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)"
      throw Failure(
        "filter '\(name)' takes \(expected) arguments, got \(call.arguments.count)", at: offset)
    }
    for keyword in call.keywordArguments where !call.filter.keywords.contains(keyword.name) {
      throw Failure("filter '\(name)' has no argument '\(keyword.name)'", at: offset)
    }
  }

  /// A literal, lookup or range.
  mutating func parseExpression() throws(Failure) -> Expression {
    let token = current
    switch token.kind {
    case .string:
      index += 1
      return .literal(.string(token.text))
    case .integer:
      index += 1
      guard let value = Int(token.text) else {
        throw Failure("number '\(token.text)' is too large", at: token.range.lowerBound)
      }
      return .literal(.int(value))
    case .float:
      index += 1
      return .literal(.double(Double(token.text) ?? 0))
    case .leftParen:
      index += 1
      let start = try parseExpression()
      _ = try expect(.dotDot, "'..' in a range")
      let end = try parseExpression()
      _ = try expect(.rightParen, "')' to close the range")
      return .range(start, end)
    case .leftBracket:
      index += 1
      let key = try parseExpression()
      _ = try expect(.rightBracket, "']'")
      return .lookup(root: .index(key), path: try parsePath(), at: token.range.lowerBound)
    case .identifier:
      index += 1
      switch token.text {
      case "nil", "null": return .literal(.null)
      case "true": return .literal(.bool(true))
      case "false": return .literal(.bool(false))
      case "empty": return .empty
      case "blank": return .blank
      default:
        return .lookup(root: .name(token.text), path: try parsePath(), at: token.range.lowerBound)
      }
    default:
      throw unexpected(expected: "an expression")
    }
  }

  /// `.name` and `[expr]` steps after a root name.
  private mutating func parsePath() throws(Failure) -> [PathSegment] {
    var path: [PathSegment] = []
    while true {
      if accept(.dot) {
        let name = try expect(.identifier, "a property name after '.'")
        path.append(.name(name.text))
      } else if accept(.leftBracket) {
        path.append(.index(try parseExpression()))
        _ = try expect(.rightBracket, "']'")
      } else {
        return path
      }
    }
  }

  /// `a == b and c or d`, folded to the right. Read in a loop and capped, so
  /// a hostile condition cannot build a tree deep enough to exhaust the stack.
  mutating func parseCondition() throws(Failure) -> Condition {
    var operands = [try parseComparison()]
    var isAnd: [Bool] = []
    while true {
      if accept(.identifier, "and") {
        isAnd.append(true)
      } else if accept(.identifier, "or") {
        isAnd.append(false)
      } else {
        break
      }
      if isAnd.count > Self.maxOperators {
        throw Failure(
          "a condition has more than \(Self.maxOperators) 'and'/'or'",
          at: current.range.lowerBound)
      }
      operands.append(try parseComparison())
    }
    var result = operands[operands.count - 1]
    for index in stride(from: isAnd.count - 1, through: 0, by: -1) {
      result = isAnd[index] ? .and(operands[index], result) : .or(operands[index], result)
    }
    return result
  }

  static let maxOperators = 500

  private mutating func parseComparison() throws(Failure) -> Condition {
    let left = try parseExpression()
    let op: ComparisonOperator?
    if current.kind == .comparison {
      // `<>` is an old spelling of `!=`.
      op = current.text == "<>" ? .notEqual : ComparisonOperator(rawValue: current.text)
    } else if current.kind == .identifier && current.text == "contains" {
      op = .contains
    } else {
      op = nil
    }
    guard let op else { return .value(left) }
    index += 1
    return .comparison(left, op, try parseExpression())
  }
}
