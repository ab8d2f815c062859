/// A token of the expression language inside `{{ }}` and tag markup.
struct ExpressionToken {
  enum Kind: Equatable {
    case identifier, string, integer, float
    case dot, dotDot, leftBracket, rightBracket, leftParen, rightParen
    case pipe, colon, comma, equals, comparison, end
  }
  var kind: Kind
  /// Byte range in the template source.
  var range: Range<Int>
  /// Decoded text: identifier name, string contents (without quotes), number or operator.
  var text: String
}

/// Splits markup into expression tokens. Identifiers may contain `-` and end in `?`, as in
/// Shopify's Liquid (`{{ first-name }}`, `{{ product.available? }}`).
enum ExpressionLexer {
  static func tokenize(_ bytes: [UInt8], _ range: Range<Int>) throws(Failure) -> [ExpressionToken] {
    var tokens: [ExpressionToken] = []
    var i = range.lowerBound
    let end = range.upperBound
    func text(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
    while i < end {
      let b = bytes[i]
      if Lexer.isSpace(b) {
        i += 1
        continue
      }
      let start = i
      switch b {
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        var j = i + 1
        while j < end && bytes[j] != b { j += 1 }
        guard j < end else { throw Failure("unterminated string literal", at: start) }
        tokens.append(ExpressionToken(kind: .string, range: start..<j + 1, text: text(i + 1..<j)))
        i = j + 1
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
        var j = i + 1
        if b == UInt8(ascii: "-") && (j >= end || !isDigit(bytes[j])) {
          throw Failure("unexpected character '-'", at: start)
        }
        while j < end && isDigit(bytes[j]) { j += 1 }
        var kind = ExpressionToken.Kind.integer
        // `1.5` is a float but `1..5` is a range, so a dot needs a digit after it.
        if j + 1 < end && bytes[j] == UInt8(ascii: ".") && isDigit(bytes[j + 1]) {
          kind = .float
          j += 1
          while j < end && isDigit(bytes[j]) { j += 1 }
        }
        tokens.append(ExpressionToken(kind: kind, range: start..<j, text: text(start..<j)))
        i = j
      case UInt8(ascii: "."):
        if i + 1 < end && bytes[i + 1] == UInt8(ascii: ".") {
          tokens.append(ExpressionToken(kind: .dotDot, range: i..<i + 2, text: ".."))
          i += 2
        } else {
          tokens.append(ExpressionToken(kind: .dot, range: i..<i + 1, text: "."))
          i += 1
        }
      case UInt8(ascii: "["): tokens.append(single(.leftBracket, i, "[")); i += 1
      case UInt8(ascii: "]"): tokens.append(single(.rightBracket, i, "]")); i += 1
      case UInt8(ascii: "("): tokens.append(single(.leftParen, i, "(")); i += 1
      case UInt8(ascii: ")"): tokens.append(single(.rightParen, i, ")")); i += 1
      case UInt8(ascii: "|"): tokens.append(single(.pipe, i, "|")); i += 1
      case UInt8(ascii: ":"): tokens.append(single(.colon, i, ":")); i += 1
      case UInt8(ascii: ","): tokens.append(single(.comma, i, ",")); i += 1
      case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
        let next: UInt8 = i + 1 < end ? bytes[i + 1] : 0
        if next == UInt8(ascii: "=") || (b == UInt8(ascii: "<") && next == UInt8(ascii: ">")) {
          tokens.append(ExpressionToken(kind: .comparison, range: i..<i + 2, text: text(i..<i + 2)))
          i += 2
        } else if b == UInt8(ascii: "<") || b == UInt8(ascii: ">") {
          tokens.append(single(.comparison, i, b == UInt8(ascii: "<") ? "<" : ">"))
          i += 1
        } else if b == UInt8(ascii: "=") {
          tokens.append(single(.equals, i, "="))
          i += 1
        } else {
          throw Failure("unexpected character '!'", at: start)
        }
      default:
        guard isIdentifierStart(b) else {
          throw Failure("unexpected character '\(text(i..<i + 1))'", at: start)
        }
        var j = i + 1
        while j < end
          && (Lexer.isWordByte(bytes[j]) || bytes[j] == UInt8(ascii: "-") || bytes[j] >= 0x80)
        {
          j += 1
        }
        if j < end && bytes[j] == UInt8(ascii: "?") { j += 1 }
        tokens.append(ExpressionToken(kind: .identifier, range: start..<j, text: text(start..<j)))
        i = j
      }
    }
    tokens.append(ExpressionToken(kind: .end, range: end..<end, text: ""))
    return tokens
  }

  private static func single(_ kind: ExpressionToken.Kind, _ at: Int, _ text: String)
    -> ExpressionToken
  {
    ExpressionToken(kind: kind, range: at..<at + 1, text: text)
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  /// Letters, `_`, and bytes of non-ASCII characters.
  static func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b >= 0x80
  }
}
