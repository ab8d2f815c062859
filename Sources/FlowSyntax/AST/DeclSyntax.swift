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
  /// `merge on K, ...`, `merge on K, ... unless emails differ` or `never merge on K, ...`.
  case mergeRule(MergeRuleSyntax)
  /// `match email ignoring plus addressing`
  case matchIgnoringPlusAddressing(Span)
  /// `identity NAME`: a custom identity kind, such as an id an import maps.
  case identity(Name, Span)
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

/// A merge rule: what a shared identity key of each kind does to two members.
package struct MergeRuleSyntax: Sendable, Hashable {
  /// The rule's three forms.
  package enum Policy: Sendable, Hashable {
    /// `merge on K`
    case merge
    /// `merge on K unless emails differ`
    case mergeUnlessEmailsDiffer
    /// `never merge on K`
    case never
  }
  package var policy: Policy
  /// The identity kinds, as written (at least one).
  package var kinds: [Name]
  package var span: Span
}
