import FlowDiagnostics

// All wording for lexing and parsing problems lives here.
extension SyntaxProblem {
  /// The user-facing diagnostic for this problem.
  package var diagnostic: Diagnostic {
    switch self {
    case .unexpectedCharacter(let byte, let span):
      let shown =
        byte >= 0x21 && byte < 0x7F
        ? "'\(Character(Unicode.Scalar(byte)))'"
        : "byte 0x\(String(byte, radix: 16, uppercase: true))"
      return Diagnostic(
        .unexpectedCharacter, "unexpected character \(shown)", at: span,
        label: "not part of the language",
        help: span.end - span.start > 1 ? "remove these characters" : "remove this character")
    case .unterminatedString(let span):
      return Diagnostic(
        .unterminatedString, "unterminated string", at: span, label: "string starts here",
        help: "close the string with '\"' on the same line")
    case .malformedNumber(let fault, let span):
      let (message, help): (String, String) =
        switch fault {
        case .extraDot: ("malformed number", "a number has at most one '.'")
        case .moneyPrecision:
          ("money amount has more than two decimal places", "write cents at most, e.g. '19.99 EUR'")
        case .tooLarge: ("number is too large", "use a smaller amount")
        case .badDate: ("malformed date literal", "write dates as YYYY-MM-DD, e.g. '2024-02-29'")
        case .fractionalPercent: ("percentage must be a whole number", "write e.g. '50%'")
        }
      return Diagnostic(.malformedNumber, message, at: span, help: help)
    case .malformedDuration(let span):
      return Diagnostic(
        .malformedDuration, "malformed duration", at: span, label: "unknown unit",
        help: "write a whole number followed by m, h, d or w, e.g. '3d'")
    case .malformedTime(let span):
      return Diagnostic(
        .malformedTime, "malformed time of day", at: span,
        help: "write times as HH:MM, e.g. '09:00'")
    case .invalidEscape(let span):
      return Diagnostic(
        .invalidEscape, "invalid escape sequence in string", at: span,
        help: "valid escapes are \\\", \\\\, \\n, \\t and \\u{HEX}")
    case .expected(let what, let found, let span):
      return Diagnostic(
        .expectedToken, "expected \(what), found \(found)", at: span, label: "unexpected here")
    case .nestingTooDeep(let limit, let span):
      return Diagnostic(
        .nestingTooDeep, "nesting is too deep", at: span, label: "more than \(limit) levels",
        help: "split the expression into segments")
    case .expressionTooLong(let limit, let span):
      return Diagnostic(
        .nestingTooDeep, "expression is too long", at: span,
        label: "more than \(limit) 'and'/'or' operators",
        help: "split the expression into segments")
    case .missingSendProperty(let property, let step, let span):
      return Diagnostic(
        .missingSendProperty, "send step '\(step)' has no \(property)", at: span,
        label: "missing '\(property)'",
        help: property == "template"
          ? "add 'template \"NAME\"' inside the braces" : "add 'subject \"...\"' inside the braces")
    case .duplicateSendProperty(let property, let span, let first):
      return Diagnostic(
        .duplicateSendProperty, "'\(property)' is given twice", at: span,
        label: "second '\(property)'",
        notes: [.init("first given here", at: first)], help: "keep only one")
    }
  }
}
