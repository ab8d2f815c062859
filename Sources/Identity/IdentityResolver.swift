import FlowIR
import Foundation
import MemberStore

/// Finds the member a record describes, creating, updating or merging members
/// under the program's identity rules. Every call runs inside the caller's
/// store transaction.
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

  private let store: FlowStore
  private let rules: IdentityRules
  private let fields: [String: FieldDecl]
  private let keys: IdentityKeys
  private let shopCurrency: String

  /// - Parameters:
  ///   - fields: the program's custom fields, to convert `MemberInput.fields`.
  ///   - defaultCountry: ISO 3166 code used to read phone numbers without `+`.
  public init(
    store: FlowStore, rules: IdentityRules, fields: [FieldDecl], defaultCountry: String?,
    shopCurrency: String
  ) {
    self.store = store
    self.rules = rules
    self.fields = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    self.keys = IdentityKeys(
      ignoresPlusAddressing: rules.ignoresPlusAddressing, country: defaultCountry?.uppercased())
    self.shopCurrency = shopCurrency
  }

  /// Creates, updates or merges members for one record at `now`. A new member
  /// gets a `member_joined` event unless `announcingJoin` is false (a signup
  /// joins at its confirmation); nothing already stored is lost. With
  /// `updatingProfile` false a member found keeps its profile as stored,
  /// even the spelling of its address (a signup anyone may post).
  public func upsert(
    _ input: MemberInput, at now: Int64, announcingJoin: Bool = true,
    updatingProfile: Bool = true
  ) throws(InputError) -> Resolution {
    // Everything is checked before anything is written.
    let recordKeys = try keys.keys(of: input)
    let fieldValues = try FieldValues.convert(input.fields, declared: fields)
    for consent in input.consent {
      guard consent.channel == "email" || consent.channel == "sms" else {
        throw InputError("consent channel '\(consent.channel)' is not email or sms")
      }
      guard ConsentStatus.all.contains(consent.status) else {
        throw InputError(
          "consent status '\(consent.status)' is not one of \(ConsentStatus.all.sorted().joined(separator: ", "))"
        )
      }
    }
    if let summary = input.orderSummary, summary.totalSpent.currency != shopCurrency {
      throw InputError(
        "order total \(summary.totalSpent.currency) is not the shop's currency \(shopCurrency)")
    }
    do {
      var resolution = try resolve(input, keys: recordKeys, at: now)
      try apply(
        input, fields: fieldValues, to: resolution.memberID, created: resolution.created,
        updatingProfile: updatingProfile, at: now)
      if resolution.created && announcingJoin {
        _ = try store.appendEvent(
          memberID: resolution.memberID, name: "member_joined",
          occurredAt: input.joinedAt ?? now, payload: "{}", externalID: nil)
      }
      resolution.merged.sort()
      return resolution
    } catch let error as InputError {
      throw error
    } catch {
      throw InputError("could not store the record: \(error)")
    }
  }

  /// Stores an order and its `order_placed` event for the buyer (resolved
  /// like `upsert`); nil when the external id was already stored.
  public func addOrder(_ order: OrderInput, at now: Int64) throws(InputError) -> Resolution? {
    var buyer = order.customer
    if buyer.joinedAt == nil { buyer.joinedAt = order.placedAt }
    let resolution = try upsert(buyer, at: now)
    do {
      let memberID = resolution.memberID
      let itemCount = order.items.reduce(0) { $0 + $1.quantity }
      guard
        try store.addOrder(
          memberID: memberID, externalID: order.externalID, placedAt: order.placedAt,
          totalCents: order.total.cents, currency: order.total.currency, itemCount: itemCount,
          presentmentCents: order.presentmentTotal?.cents,
          presentmentCurrency: order.presentmentTotal?.currency)
      else { return nil }
      _ = try store.appendEvent(
        memberID: memberID, name: "order_placed", occurredAt: order.placedAt,
        payload: Self.orderPayload(order), externalID: order.externalID)
      if order.buyerAcceptsMarketing == true {
        try store.recordConsent(
          memberID: memberID, channel: "email", status: ConsentStatus.optedIn, source: "checkout",
          occurredAt: order.placedAt, recordedAt: now, evidence: "order \(order.externalID)")
      }
      _ = try store.refreshOrderAggregates(memberID: memberID, at: now, throughOrder: nil)
      return resolution
    } catch {
      throw InputError("could not store order \(order.externalID): \(error)")
    }
  }

  /// Merges member `other` into `survivor` (`flowc members merge`), ignoring the rules.
  public func merge(_ other: Int64, into survivor: Int64, reason: String, at now: Int64) throws {
    _ = try mergeMoving(other, into: survivor, reason: reason, at: now)
  }

  /// `merge(_:into:reason:at:)`, saying what moved.
  public func mergeMoving(_ other: Int64, into survivor: Int64, reason: String, at now: Int64)
    throws -> MergeMoves
  {
    guard other != survivor else { throw InputError("cannot merge member \(other) into itself") }
    for id in [survivor, other] {
      guard try store.member(id: id) != nil, try store.mergedInto(memberID: id) == nil else {
        throw InputError("no member \(id) (or it was merged into another)")
      }
    }
    return try merge(other, into: survivor, reason: reason, source: "manual", at: now)
  }

  // MARK: Resolving

  private func resolve(_ input: MemberInput, keys recordKeys: [IdentityKey], at now: Int64) throws
    -> Resolution
  {
    var owners: [(key: IdentityKey, member: Int64)] = []
    for key in recordKeys {
      if let member = try store.memberID(identity: key.kind, value: key.value) {
        owners.append((key, member))
      }
    }
    let matched = Set(owners.map(\.member))
    if matched.isEmpty {
      let id = try createMember(input, keys: recordKeys, at: now)
      return Resolution(memberID: id, created: true, merged: [], conflicts: [])
    }
    if matched.count == 1, let id = matched.first,
      owners.allSatisfy({ policy($0.key.kind) == .merge })
    {
      try addKeys(recordKeys, except: owners.map(\.key), to: id)
      return Resolution(memberID: id, created: false, merged: [], conflicts: [])
    }
    return try resolveMany(input, keys: recordKeys, owners: owners, at: now)
  }

  /// A record naming two or more members: those joined by keys the rules let
  /// merge become one (the oldest); the others are recorded as conflicts.
  private func resolveMany(
    _ input: MemberInput, keys recordKeys: [IdentityKey],
    owners: [(key: IdentityKey, member: Int64)],
    at now: Int64
  ) throws -> Resolution {
    var emails: [Int64: String] = [:]
    for id in Set(owners.map(\.member)) {
      emails[id] = try store.member(id: id).map { comparable($0.email) } ?? ""
    }
    var group: [Int64] = []
    var reasons: [Int64: IdentityKey] = [:]
    for owner in owners where policy(owner.key.kind) == .merge && !group.contains(owner.member) {
      group.append(owner.member)
      reasons[owner.member] = owner.key
    }
    // The email a shared browser or phone is checked against: the record's,
    // else the group's.
    var groupEmail = input.email.map(comparable) ?? ""
    if groupEmail.isEmpty {
      groupEmail = group.lazy.compactMap { emails[$0] }.first { !$0.isEmpty } ?? ""
    }
    var conflicts: [(key: IdentityKey, member: Int64)] = []
    for owner in owners where !group.contains(owner.member) {
      let other = emails[owner.member] ?? ""
      let compatible = other.isEmpty || groupEmail.isEmpty || other == groupEmail
      if policy(owner.key.kind) == .mergeUnlessEmailsDiffer && compatible {
        group.append(owner.member)
        reasons[owner.member] = owner.key
        if groupEmail.isEmpty { groupEmail = other }
      } else {
        conflicts.append(owner)
      }
    }
    if group.isEmpty && groupEmail.isEmpty {
      // Keys that never merge, and nothing else: the oldest owner is this record.
      let anchor = try oldest(conflicts.map(\.member))
      group.append(anchor)
      conflicts.removeAll { $0.member == anchor }
    }
    let survivor: Int64
    var created = false
    if group.isEmpty {
      // Only keys people share, all naming someone else: this is a new person.
      survivor = try createMember(input, keys: recordKeys, addingKeys: false, at: now)
      created = true
    } else {
      survivor = try oldest(group)
    }
    var merged: [Int64] = []
    for member in group where member != survivor && !merged.contains(member) {
      let key = reasons[member]!
      _ = try merge(
        member, into: survivor, reason: "\(key.kind):\(key.value)", source: input.source, at: now)
      merged.append(member)
    }
    var conflicting: [Int64] = []
    for conflict in conflicts where conflict.member != survivor && !merged.contains(conflict.member)
    {
      try store.recordConflict(
        IdentityConflict(
          key: conflict.key, memberIDs: [conflict.member, survivor].sorted(), source: input.source,
          at: now))
      // A shared browser's history follows whoever identified on it last.
      if conflict.key.kind == "visitor", !(input.email ?? "").isEmpty {
        try store.moveIdentity(conflict.key, to: survivor)
      }
      if !conflicting.contains(conflict.member) { conflicting.append(conflict.member) }
    }
    try addKeys(recordKeys, except: [], to: survivor)
    return Resolution(
      memberID: survivor, created: created, merged: merged, conflicts: conflicting.sorted())
  }

  private func policy(_ kind: String) -> IdentityRules.Policy {
    rules.policy(for: kind == "email_base" ? "email" : kind)
  }

  /// An address as compared for "the emails differ".
  private func comparable(_ email: String) -> String {
    let address = email.trimmingSpaces.lowercased()
    return rules.ignoresPlusAddressing ? IdentityKeys.withoutPlus(address) : address
  }

  private func oldest(_ members: [Int64]) throws -> Int64 {
    var best: (created: Int64, id: Int64)?
    for id in members {
      let created = try store.memberCreatedAt(id: id) ?? Int64.max
      if best == nil || (created, id) < best! { best = (created, id) }
    }
    return best!.id
  }

  private func createMember(
    _ input: MemberInput, keys recordKeys: [IdentityKey], addingKeys: Bool = true, at now: Int64
  ) throws -> Int64 {
    let phone = recordKeys.first { $0.kind == "phone" }?.value
    let id = try store.createMember(
      MemberRecord(
        id: 0, email: input.email?.trimmingSpaces ?? "", firstName: input.firstName,
        lastName: input.lastName, phone: phone, locale: input.locale, timezone: input.timezone,
        joinedAt: input.joinedAt ?? now),
      createdAt: now)
    if addingKeys { try addKeys(recordKeys, except: [], to: id) }
    return id
  }

  /// Keys are added, never taken: one already naming another member stays there.
  private func addKeys(_ recordKeys: [IdentityKey], except known: [IdentityKey], to id: Int64)
    throws
  {
    for key in recordKeys where !known.contains(key) {
      try store.addIdentity(kind: key.kind, value: key.value, memberID: id)
    }
  }

  // MARK: Applying a record

  private func apply(
    _ input: MemberInput, fields fieldValues: [String: Any], to id: Int64, created: Bool,
    updatingProfile: Bool, at now: Int64
  ) throws {
    // A member just created already has the record's profile.
    if (!created && updatingProfile) || !fieldValues.isEmpty {
      try updateProfile(id, from: input, fields: fieldValues)
    }
    for tag in input.tags where !tag.trimmingSpaces.isEmpty {
      try store.setTag(tag.trimmingSpaces, memberID: id, present: true, at: now)
    }
    for consent in input.consent {
      try store.recordConsent(
        memberID: id, channel: consent.channel, status: consent.status, source: input.source,
        occurredAt: consent.occurredAt ?? now, recordedAt: now, evidence: consent.evidence)
    }
    if let summary = input.orderSummary {
      // Keyed by the store the totals describe (a customer export and a
      // purchasing summary of the same Shopify customer replace each other).
      let system = input.externalIDs.first?.split(separator: ":").first.map(String.init)
      try store.saveOrderSummary(
        memberID: id, source: system ?? input.source, orderCount: summary.orderCount,
        totalCents: summary.totalSpent.cents, currency: summary.totalSpent.currency,
        asOf: summary.asOf)
      _ = try store.refreshOrderAggregates(memberID: id, at: now, throughOrder: nil)
    }
  }

  private func updateProfile(
    _ id: Int64, from input: MemberInput, fields fieldValues: [String: Any]
  )
    throws
  {
    guard var member = try store.member(id: id) else { return }
    let before = member
    if let email = input.email?.trimmingSpaces, !email.isEmpty { member.email = email }
    if let phone = input.phone, !phone.trimmingSpaces.isEmpty {
      member.phone = try keys.phoneE164(phone)
    }
    if let value = input.firstName, !value.isEmpty { member.firstName = value }
    if let value = input.lastName, !value.isEmpty { member.lastName = value }
    if let value = input.locale, !value.isEmpty { member.locale = value }
    if let value = input.timezone, !value.isEmpty { member.timezone = value }
    if !fieldValues.isEmpty {
      var object = Self.object(member.fieldsJSON)
      object.merge(fieldValues) { _, new in new }
      member.fieldsJSON = Self.json(object)
    }
    if member != before { try store.updateMember(member) }
  }

  // MARK: Merging

  private func merge(
    _ other: Int64, into survivor: Int64, reason: String, source: String, at now: Int64
  )
    throws -> MergeMoves
  {
    guard let kept = try store.member(id: survivor), let gone = try store.member(id: other) else {
      throw InputError("no member \(survivor) or \(other)")
    }
    let snapshot = Self.json([
      "survivor": try snapshot(kept), "merged": try snapshot(gone),
    ])
    let moves = try store.mergeMember(other, into: survivor, at: now)
    try store.updateMember(Self.profile(kept, filledFrom: gone))
    try store.recordMerge(
      MergeLogEntry(
        survivor: survivor, merged: other, snapshot: snapshot, reason: reason, source: source,
        at: now))
    return moves
  }

  private func snapshot(_ member: MemberRecord) throws -> [String: Any] {
    var profile: [String: Any] = ["id": member.id, "email": member.email]
    profile["first_name"] = member.firstName
    profile["last_name"] = member.lastName
    profile["phone"] = member.phone
    profile["locale"] = member.locale
    profile["timezone"] = member.timezone
    profile["joined_at"] = member.joinedAt
    profile["fields"] = Self.object(member.fieldsJSON)
    profile["identities"] = try store.identities(memberID: member.id).map {
      "\($0.kind):\($0.value)"
    }
    return profile
  }

  /// The survivor's non-empty values win; its gaps are filled from the other.
  static func profile(_ kept: MemberRecord, filledFrom gone: MemberRecord) -> MemberRecord {
    func pick(_ a: String?, _ b: String?) -> String? { (a ?? "").isEmpty ? b : a }
    var result = kept
    if kept.email.isEmpty { result.email = gone.email }
    result.firstName = pick(kept.firstName, gone.firstName)
    result.lastName = pick(kept.lastName, gone.lastName)
    result.phone = pick(kept.phone, gone.phone)
    result.locale = pick(kept.locale, gone.locale)
    result.timezone = pick(kept.timezone, gone.timezone)
    var fields = object(gone.fieldsJSON)
    fields.merge(object(kept.fieldsJSON)) { _, kept in kept }
    result.fieldsJSON = json(fields)
    return result
  }

  // MARK: JSON

  static func object(_ text: String) -> [String: Any] {
    guard text != "{}", let data = text.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }

  static func json(_ object: Any) -> String {
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }

  private static func money(_ money: Money) -> [String: Any] {
    ["amount": money.decimalString, "currency": money.currency]
  }

  static func orderPayload(_ order: OrderInput) -> String {
    var payload: [String: Any] = [
      "order_id": order.externalID, "total": money(order.total),
      "items": order.items.map {
        [
          "product_id": $0.productID, "title": $0.title, "price": money($0.price),
          "quantity": $0.quantity,
        ] as [String: Any]
      },
    ]
    payload["cart_id"] = order.cartID
    return json(payload)
  }
}
