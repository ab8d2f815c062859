import FlowDiagnostics

/// An expression node with its span.
package struct ExprSyntax: Sendable, Hashable {
  package var kind: Kind
  package var span: Span

  /// Expression shapes, mirroring the grammar's precedence levels.
  package indirect enum Kind: Sendable, Hashable {
    case literal(Literal)
    /// `member.a.b`: the dotted path after `member.`, and that path's span.
    case member(path: String, pathSpan: Span)
    /// `event.F`
    case event(Name)
    /// `trigger.F`
    case trigger(Name)
    /// A bare identifier names a segment.
    case segment(Name)
    case not(ExprSyntax)
    case and(ExprSyntax, ExprSyntax)
    case or(ExprSyntax, ExprSyntax)
    case compare(CompareOperator, ExprSyntax, ExprSyntax)
    /// `X before D ago`
    case before(ExprSyntax, DurationLiteral)
    /// `X within D`
    case within(ExprSyntax, DurationLiteral)
    /// `X has Y`
    case has(ExprSyntax, ExprSyntax)
    /// Placeholder where parsing failed (already reported).
    case missing
  }

  /// Literal values; money is exact minor units.
  package enum Literal: Sendable, Hashable {
    case number(Double)
    case money(cents: Int64, currency: String)
    case duration(DurationLiteral)
    case bool(Bool)
    case string(String)
    case date(year: Int, month: Int, day: Int)
  }

  /// `== != < <= > >=`
  package enum CompareOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
    case greater = ">", greaterEqual = ">="
  }
}
