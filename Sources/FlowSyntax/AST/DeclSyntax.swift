import FlowDiagnostics

/// A parsed file: its declarations in source order.
package struct FileSyntax: Sendable, Hashable {
  package var file: Int
  package var decls: [DeclSyntax]
}

/// A top-level declaration.
package enum DeclSyntax: Sendable, Hashable {
  case field(FieldDeclSyntax)
  case event(EventDeclSyntax)
  case segment(SegmentDeclSyntax)
  case tag(TagDeclSyntax)
  case flow(FlowDeclSyntax)
  /// `limit N emails per DURATION`: the program's default frequency cap.
  case limit(LimitSyntax, Span)
}

/// `field NAME: TYPE [= LITERAL]`
package struct FieldDeclSyntax: Sendable, Hashable {
  package var name: Name
  package var type: TypeSyntax
  /// Parsed as a primary expression; the checker insists it is a literal.
  package var defaultValue: ExprSyntax?
  package var span: Span
}

/// `event NAME { f: T, ... }`
package struct EventDeclSyntax: Sendable, Hashable {
  /// One `f: T` entry.
  package struct Field: Sendable, Hashable {
    package var name: Name
    package var type: TypeSyntax
  }
  package var name: Name
  package var fields: [Field]
  package var span: Span
}

/// `segment NAME = EXPR`
package struct SegmentDeclSyntax: Sendable, Hashable {
  package var name: Name
  package var predicate: ExprSyntax
  package var span: Span
}

/// `tag "STRING" when EXPR`
package struct TagDeclSyntax: Sendable, Hashable {
  package var tag: StringLiteral
  package var predicate: ExprSyntax
  package var span: Span
}
