import FlowIR
import MemberStore

/// Finds the member a record describes, creating, updating or merging members
/// under the program's identity rules. Every call runs inside the caller's
/// store transaction.
///
/// CONTRACT STUB: the signatures are fixed; the bodies are to be written.
public final class IdentityResolver {
  /// What `upsert` did.
  public struct Resolution: Sendable, Hashable {
    public var memberID: Int64
    public var created: Bool
    /// Members merged into `memberID` by this record.
    public var merged: [Int64]
    /// Members the record also matched but that the rules kept apart.
    public var conflicts: [Int64]
  }

  /// A record that cannot be stored (an unparseable phone, a field value of
  /// the wrong type), with a reason fit for `path:line: reason`.
  public struct InputError: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
  }

  /// - Parameters:
  ///   - fields: the program's custom fields, to convert `MemberInput.fields`.
  ///   - defaultCountry: ISO 3166 code used to read phone numbers without `+`.
  public init(
    store: FlowStore, rules: IdentityRules, fields: [FieldDecl], defaultCountry: String?,
    shopCurrency: String
  ) {
    fatalError("IdentityResolver: not implemented yet")
  }

  /// Creates, updates or merges members for one record at `now`. A new member
  /// gets a `member_joined` event; nothing already stored is lost.
  public func upsert(_ input: MemberInput, at now: Int64) throws(InputError) -> Resolution {
    fatalError("IdentityResolver: not implemented yet")
  }

  /// Stores an order and its `order_placed` event for the buyer (resolved
  /// like `upsert`); nil when the external id was already stored.
  public func addOrder(_ order: OrderInput, at now: Int64) throws(InputError) -> Resolution? {
    fatalError("IdentityResolver: not implemented yet")
  }

  /// Merges member `other` into `survivor` (`flowc members merge`), ignoring the rules.
  public func merge(_ other: Int64, into survivor: Int64, reason: String, at now: Int64) throws {
    fatalError("IdentityResolver: not implemented yet")
  }
}
