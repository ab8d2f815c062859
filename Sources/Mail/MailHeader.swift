/// One extra header field, written after the standard ones.
///
/// The name should be ASCII (`X-Flow`); characters that are not allowed in a
/// field name are dropped when written. The value may hold any text: it is
/// RFC 2047-encoded when needed and folded when long.
public struct MailHeader: Sendable, Hashable {
  /// The field name, e.g. `X-Flow-Step`.
  public var name: String
  /// The unencoded field value.
  public var value: String

  /// Creates a header field from a name and an unencoded value.
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}
