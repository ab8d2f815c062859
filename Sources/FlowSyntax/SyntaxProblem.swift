import FlowDiagnostics

/// A lexing or parsing problem, as data. `Diagnostics+Syntax.swift` turns
/// these into worded diagnostics, so detection sites never build messages.
package enum SyntaxProblem: Sendable, Hashable {
  case unexpectedCharacter(byte: UInt8, Span)
  case unterminatedString(Span)
  case malformedNumber(NumberFault, Span)
  case malformedDuration(Span)
  case malformedTime(Span)
  case invalidEscape(Span)
  /// `expected` describes what the grammar wanted; `found` the token there.
  case expected(String, found: String, Span)
  case nestingTooDeep(limit: Int, Span)
  /// Too many `and`/`or` operators in one expression.
  case expressionTooLong(limit: Int, Span)
  case missingSendProperty(property: String, step: String, Span)
  case duplicateSendProperty(property: String, Span, first: Span)

  /// Why a numeric literal is malformed.
  package enum NumberFault: Sendable, Hashable {
    case extraDot
    case moneyPrecision
    case tooLarge
    case badDate
    case fractionalPercent
  }
}
