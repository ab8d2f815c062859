/// A mailbox: an address plus an optional human-readable name.
///
/// Values are taken as given; `MIMEWriter` strips line breaks and other
/// control characters when it writes them, so a hostile display name cannot
/// inject headers.
public struct MailAddress: Sendable, Hashable {
  /// The addr-spec, e.g. `ada@shop.example.com`.
  public var email: String
  /// The display name, e.g. `Ada Lovelace`; `nil` or empty writes a bare address.
  public var displayName: String?

  /// Creates a mailbox from an address and an optional display name.
  public init(email: String, displayName: String? = nil) {
    self.email = email
    self.displayName = displayName
  }
}
