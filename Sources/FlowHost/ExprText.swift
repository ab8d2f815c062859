import FlowIR

extension Expr {
  /// The expression written back as flow source, with parentheses only where
  /// precedence needs them: `member.total_spent >= 500 USD and member.order_count >= 3`.
  public var sourceText: String {
    switch self {
    case .literal(let value): return value.sourceText
    case .member(let path): return "member.\(path)"
    case .event(let path): return "event.\(path)"
    case .trigger(let path): return "trigger.\(path)"
    case .segment(let name): return name
    case .not(let operand): return "not " + operand.wrapped(below: precedence)
    case .and(let left, let right):
      return left.wrapped(below: precedence) + " and " + right.wrapped(below: precedence)
    case .or(let left, let right):
      return left.wrapped(below: precedence) + " or " + right.wrapped(below: precedence)
    case .compare(let op, let left, let right):
      return left.wrapped(below: precedence + 1) + " \(op.rawValue) "
        + right.wrapped(below: precedence + 1)
    case .before(let operand, let duration):
      return operand.wrapped(below: precedence + 1) + " before \(duration.sourceText) ago"
    case .within(let operand, let duration):
      return operand.wrapped(below: precedence + 1) + " within \(duration.sourceText)"
    case .has(let collection, let element):
      return collection.wrapped(below: precedence + 1) + " has "
        + element.wrapped(below: precedence + 1)
    }
  }

  /// Binding strength: `or` loosest, then `and`, `not`, the relations, atoms.
  private var precedence: Int {
    switch self {
    case .or: return 1
    case .and: return 2
    case .not: return 3
    case .compare, .before, .within, .has: return 4
    case .literal, .member, .event, .trigger, .segment: return 5
    }
  }

  private func wrapped(below minimum: Int) -> String {
    precedence < minimum ? "(\(sourceText))" : sourceText
  }
}

extension Value {
  /// The value as a flow literal: `500 USD`, `"vip"`, `90d`, `2024-02-29`.
  public var sourceText: String {
    switch self {
    case .null: return "null"
    case .string(let text): return doubleQuoted(text)
    case .number(let number):
      if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
      return String(number)
    case .money(let money): return money.sourceText
    case .bool(let flag): return flag ? "true" : "false"
    case .date(let date): return date.isoText
    case .timestamp(let seconds): return String(seconds)
    case .duration(let duration): return duration.sourceText
    case .list(let items): return "[" + items.map(\.sourceText).joined(separator: ", ") + "]"
    }
  }
}

extension Money {
  /// `500 USD`, or `12.50 USD` when there are cents.
  public var sourceText: String {
    let amount = cents % 100 == 0 ? String(cents / 100) : decimalString
    return "\(amount) \(currency)"
  }
}

extension Duration {
  /// `90d`, `12h`, `2w`.
  public var sourceText: String { "\(amount)\(unit.rawValue)" }
}

extension LocalTime {
  /// `HH:MM`.
  public var sourceText: String {
    "\(CalendarDate.twoDigits(hour)):\(CalendarDate.twoDigits(minute))"
  }
}

/// A double-quoted string with `"`, `\\` and newlines escaped: the language's
/// string literals, and Graphviz's quoted IDs, use the same rules.
func doubleQuoted(_ text: String) -> String {
  var result = "\""
  for character in text {
    switch character {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    default: result.append(character)
    }
  }
  return result + "\""
}
