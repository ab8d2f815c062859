/// Which identity keys may join two member records into one: the program's
/// `merge on ...` / `never merge on ...` declarations over safe defaults.
public struct IdentityRules: Codable, Hashable, Sendable {
  /// What a shared key does when it points at two different members.
  public enum Policy: String, Codable, Hashable, Sendable {
    /// The members are one person: merge them.
    case merge
    /// Merge, unless both members have an email and the emails differ (a
    /// shared browser or family phone); then record a conflict instead.
    case mergeUnlessEmailsDiffer = "merge_unless_emails_differ"
    /// Never merge on this key; record a conflict.
    case never
  }

  /// Identity kinds every program knows: `email`, `phone`, `visitor` (an
  /// anonymous browser id) and the store ids the importers write.
  public static let builtinKinds: [String] = [
    "email", "phone", "visitor", "shopify", "woo", "mailchimp", "klaviyo", "cdnow",
  ]

  /// Policies the program set explicitly, by identity kind.
  public var policies: [String: Policy]
  /// `match email ignoring plus addressing`: `ann+news@x` matches `ann@x`
  /// (the address is still stored as written).
  public var ignoresPlusAddressing: Bool

  public init(policies: [String: Policy] = [:], ignoresPlusAddressing: Bool = false) {
    self.policies = policies
    self.ignoresPlusAddressing = ignoresPlusAddressing
  }

  /// The policy for a kind: the program's, else the safe default (keys that
  /// people share merge only when emails agree; every other key merges).
  public func policy(for kind: String) -> Policy {
    if let policy = policies[kind] { return policy }
    return kind == "phone" || kind == "visitor" ? .mergeUnlessEmailsDiffer : .merge
  }
}
