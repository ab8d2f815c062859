/// One key that names a member: `email`/`ann@x.com`, `phone`/`+14155550100`,
/// `shopify`/`7000000000001`.
public struct IdentityKey: Sendable, Hashable, Comparable {
  public var kind: String
  public var value: String

  public init(kind: String, value: String) {
    self.kind = kind
    self.value = value
  }

  public static func < (a: IdentityKey, b: IdentityKey) -> Bool {
    (a.kind, a.value) < (b.kind, b.value)
  }
}

/// A consent record as stored, whether or not it took effect.
public struct ConsentRecord: Sendable, Hashable {
  public var channel: String
  public var status: String
  public var source: String
  public var occurredAt: Int64
  public var recordedAt: Int64
  public var evidence: String?
  public var effective: Bool
}

/// A flow instance with how it ended, for showing a member.
public struct InstanceHistory: Sendable, Hashable {
  public var id: Int64
  public var flow: String
  public var status: String
  public var step: String?
  public var enteredAt: Int64
  public var endedAt: Int64?
  public var endReason: String?
}

/// One merge: `merged` became part of `survivor`.
public struct MergeLogEntry: Sendable, Hashable {
  public var survivor: Int64
  public var merged: Int64
  /// Both sides' profile and identities before the merge, as JSON.
  public var snapshot: String
  /// The shared key (`email:ann@x.com`) or `manual`.
  public var reason: String
  public var source: String
  public var at: Int64

  public init(
    survivor: Int64, merged: Int64, snapshot: String, reason: String, source: String, at: Int64
  ) {
    self.survivor = survivor
    self.merged = merged
    self.snapshot = snapshot
    self.reason = reason
    self.source = source
    self.at = at
  }
}

/// A key shared by members the identity rules keep apart.
public struct IdentityConflict: Sendable, Hashable {
  public var key: IdentityKey
  public var memberIDs: [Int64]
  public var source: String
  public var at: Int64

  public init(key: IdentityKey, memberIDs: [Int64], source: String, at: Int64) {
    self.key = key
    self.memberIDs = memberIDs
    self.source = source
    self.at = at
  }
}

/// What a merge moved from the merged member to the survivor.
public struct MergeMoves: Sendable, Hashable {
  public var identities = 0
  public var events = 0
  public var orders = 0
  public var consentRecords = 0
  public var tags = 0
  public var instances = 0
  /// Instances of a flow both members were in: the merged member's was ended.
  public var instancesEnded = 0

  public init() {}
}

/// An order as stored, for showing a member.
public struct OrderRecord: Sendable, Hashable {
  public var externalID: String?
  public var placedAt: Int64
  public var totalCents: Int64
  public var currency: String
  public var itemCount: Int64
  /// The total in the buyer's currency, when it differs from the shop's.
  public var presentmentCents: Int64?
  public var presentmentCurrency: String?
}
