import FlowDiagnostics

/// An identifier as written, with its span.
package struct Name: Sendable, Hashable {
  package var text: String
  package var span: Span
}

/// A decoded string literal with the span of its quotes and contents.
package struct StringLiteral: Sendable, Hashable {
  package var value: String
  package var span: Span
}

/// `3d`: an amount and a unit (`m h d w`).
package struct DurationLiteral: Sendable, Hashable {
  /// Units as written; the checker maps them to `FlowIR.Duration.Unit`.
  package enum Unit: UInt8, Sendable, Hashable {
    case minutes, hours, days, weeks
  }
  package var amount: Int
  package var unit: Unit
  package var span: Span
}

/// `09:00`: not range-checked by the parser (the checker reports `25:00`).
package struct TimeLiteral: Sendable, Hashable {
  package var hour: Int
  package var minute: Int
  package var span: Span
}
