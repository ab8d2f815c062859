import FlowDiagnostics

/// A written type: `string`, `list<item>`, `number?`.
package struct TypeSyntax: Sendable, Hashable {
  /// The shape before the optional marker.
  package indirect enum Kind: Sendable, Hashable {
    /// A simple name, resolved by the checker (so typos get a did-you-mean).
    case named(Name)
    case list(TypeSyntax)
    /// Parsing failed; already reported.
    case missing
  }
  package var kind: Kind
  /// True when followed by `?`.
  package var isOptional: Bool
  package var span: Span
}
