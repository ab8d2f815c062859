/// The checked, typed program: what the compiler hands the runtime.
///
/// Every name here has been resolved and every expression type-checked, so the
/// runtime never re-validates. The IR is `Codable` so a compiled program can be
/// stored beside the flow instances that entered it.
public struct Program: Codable, Hashable, Sendable {
  /// Custom member fields, beyond the built-in ones.
  public var fields: [FieldDecl]
  /// Event schemas, built-in and declared.
  public var events: [EventDecl]
  /// Segments in dependency order: a segment only refers to earlier ones.
  public var segments: [SegmentDecl]
  /// Computed tags.
  public var tags: [TagDecl]
  /// Flows in source order.
  public var flows: [Flow]
  /// Which identity keys merge two members into one.
  public var identity: IdentityRules

  /// Creates a program from its parts.
  public init(
    fields: [FieldDecl] = [], events: [EventDecl] = [], segments: [SegmentDecl] = [],
    tags: [TagDecl] = [], flows: [Flow] = [], identity: IdentityRules = IdentityRules()
  ) {
    self.fields = fields
    self.events = events
    self.segments = segments
    self.tags = tags
    self.flows = flows
    self.identity = identity
  }
}

/// A custom member field: `field birthday: date`.
public struct FieldDecl: Codable, Hashable, Sendable {
  public var name: String
  public var type: ValueType
  /// The value a member has before anything sets it.
  public var defaultValue: Value?

  public init(name: String, type: ValueType, defaultValue: Value? = nil) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
  }
}

/// An event schema: `event cart_abandoned { cart_id: string, value: money }`.
public struct EventDecl: Codable, Hashable, Sendable {
  public var name: String
  public var fields: [EventField]
  /// True for the predeclared events (`member_joined`, `order_placed`, ...).
  public var isBuiltin: Bool

  public init(name: String, fields: [EventField], isBuiltin: Bool = false) {
    self.name = name
    self.fields = fields
    self.isBuiltin = isBuiltin
  }
}

/// One typed field of an event.
public struct EventField: Codable, Hashable, Sendable {
  public var name: String
  public var type: ValueType

  public init(name: String, type: ValueType) {
    self.name = name
    self.type = type
  }
}

/// A named predicate over a member: `segment vip = member.total_spent >= 500 USD`.
public struct SegmentDecl: Codable, Hashable, Sendable {
  public var name: String
  public var predicate: Expr

  public init(name: String, predicate: Expr) {
    self.name = name
    self.predicate = predicate
  }
}

/// A tag kept on members while a predicate holds: `tag "tier:vip" when vip`.
public struct TagDecl: Codable, Hashable, Sendable {
  public var tag: String
  public var predicate: Expr

  public init(tag: String, predicate: Expr) {
    self.tag = tag
    self.predicate = predicate
  }
}
