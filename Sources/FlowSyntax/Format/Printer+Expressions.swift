/// Expression levels from the loosest binding to the tightest, as the parser
/// reads them.
enum Precedence: Int, Comparable {
  case or, and, not, comparison, primary

  static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
}

extension Printer {
  /// `expression` as text that parses back to the same tree in a place that
  /// takes `level` or tighter: parentheses only where precedence needs them.
  func expression(_ expression: ExprSyntax, _ level: Precedence) -> String {
    let (text, own) = printed(expression)
    return own < level ? "(" + text + ")" : text
  }

  private func printed(_ node: ExprSyntax) -> (String, Precedence) {
    switch node.kind {
    case .literal(let literal): return (literalText(literal, at: node.span.start), .primary)
    case .member(let path, _): return ("member." + path, .primary)
    case .event(let field): return ("event." + field.text, .primary)
    case .trigger(let field): return ("trigger." + field.text, .primary)
    case .segment(let name): return (name.text, .primary)
    case .not(let operand): return ("not " + expression(operand, .not), .not)
    // `and`/`or` chains lean left: a right operand at the same level was parenthesised.
    case .and(let left, let right):
      return (expression(left, .and) + " and " + expression(right, .not), .and)
    case .or(let left, let right):
      return (expression(left, .or) + " or " + expression(right, .and), .or)
    case .compare(let op, let left, let right):
      return (
        "\(expression(left, .primary)) \(op.rawValue) \(expression(right, .primary))", .comparison
      )
    case .before(let subject, let duration):
      return ("\(expression(subject, .primary)) before \(durationText(duration)) ago", .comparison)
    case .within(let subject, let duration):
      return ("\(expression(subject, .primary)) within \(durationText(duration))", .comparison)
    case .has(let container, let element):
      return (
        "\(expression(container, .primary)) has \(expression(element, .primary))", .comparison
      )
    case .missing:
      return ("", .primary)  // only after a syntax error, and such files are not printed
    }
  }

  /// Literals as written, except strings, which are quoted canonically. The
  /// literal's span may start at parentheses around it.
  private func literalText(_ literal: ExprSyntax.Literal, at start: UInt32) -> String {
    var index = tokenIndex(atOrAfter: start)
    while tokens[index].kind == .leftParen { index += 1 }
    let token = tokens[index]
    switch literal {
    case .string(let value): return quoted(value)
    case .money(_, let currency): return source(token.start, token.end) + " " + currency
    case .number, .duration, .bool, .date: return source(token.start, token.end)
    }
  }

  func durationText(_ duration: DurationLiteral) -> String {
    source(duration.span.start, duration.span.end)
  }

  func timeText(_ time: TimeLiteral) -> String { source(time.span.start, time.span.end) }

  func typeText(_ type: TypeSyntax) -> String {
    let base =
      switch type.kind {
      case .named(let name): name.text
      case .list(let element): "list<\(typeText(element))>"
      case .missing: ""  // only after a syntax error
      }
    return type.isOptional ? base + "?" : base
  }

  /// A string literal for `value`: `"` and `\` escaped, line feeds and tabs
  /// as `\n` and `\t`, other control characters as `\u{...}`.
  func quoted(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
