/// Everything the runtime and importers need from a member store.
///
/// Each backend keeps its SQL behind this protocol, so a PostgreSQL backend can
/// follow without touching the runtime. All writes made inside `transaction`
/// commit together or not at all.
public protocol FlowStore: AnyObject {
  /// Runs `body` in one write transaction; a thrown error rolls it back.
  func transaction<T>(_ body: () throws -> T) throws -> T

  // MARK: Members
  func createMember(_ member: MemberRecord, createdAt: Int64) throws -> Int64
  func member(id: Int64) throws -> MemberRecord?
  /// Profile, aggregates, email consent at `at`, suppression, tags and segments.
  func memberState(id: Int64, at: Int64) throws -> MemberState?
  func memberID(identity kind: String, value: String) throws -> Int64?
  func addIdentity(kind: String, value: String, memberID: Int64) throws
  func aggregates(memberID: Int64) throws -> MemberAggregates
  func saveAggregates(_ aggregates: MemberAggregates, memberID: Int64) throws
  func recordConsent(
    memberID: Int64, channel: String, status: String, source: String, occurredAt: Int64,
    recordedAt: Int64, evidence: String?) throws
  /// The latest consent status on a channel at a moment, or nil if none was recorded.
  func consentStatus(memberID: Int64, channel: String, at: Int64) throws -> String?
  func isSuppressed(email: String) throws -> Bool
  func suppress(email: String, reason: String, at: Int64) throws
  /// Rewrites a member's profile and custom fields (everything but `id` and
  /// `joinedAt`), as a profile edit from outside the flows does.
  func updateMember(_ member: MemberRecord) throws

  // MARK: Events and orders
  /// Appends an event; with an external id already stored, does nothing and returns nil.
  func appendEvent(
    memberID: Int64, name: String, occurredAt: Int64, payload: String, externalID: String?
  )
    throws -> Int64?
  func insertOrder(
    memberID: Int64, externalID: String?, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int) throws
  /// The earliest unprocessed events at or before `notAfter`, by time then id.
  func pendingEvents(notAfter: Int64, limit: Int) throws -> [StoredEvent]
  func markProcessed(eventID: Int64) throws
  func latestEventTime() throws -> Int64?

  // MARK: Products
  /// Adds or replaces a catalog product; true if anything changed.
  func upsertProduct(_ product: ProductRecord, at: Int64) throws -> Bool
  /// The whole catalog, by id.
  func products() throws -> [ProductRecord]
  func recordPurchases(memberID: Int64, productIDs: [String]) throws
  /// Ids of the products a member has bought.
  func purchasedProducts(memberID: Int64) throws -> Set<String>
  /// How many members bought each product (popularity for recommendations).
  func productBuyerCounts() throws -> [String: Int]

  // MARK: Segments and tags
  func segments(memberID: Int64) throws -> Set<String>
  func setSegment(_ segment: String, memberID: Int64, member isIn: Bool, at: Int64) throws
  func tags(memberID: Int64) throws -> Set<String>
  func setTag(_ tag: String, memberID: Int64, present: Bool, at: Int64) throws

  // MARK: RFM
  /// A member's scores; nil for a member without orders (or before the first pass).
  func rfmScores(memberID: Int64) throws -> RFMScores?
  /// Recomputes every member's quintiles in one pass, writes those that
  /// changed, and returns the ids of the members whose scores changed.
  func refreshRFM() throws -> [Int64]

  // MARK: Timers
  /// Creates or moves the timer with this (kind, member, key).
  func schedule(
    _ kind: TimerKind, memberID: Int64, instanceID: Int64?, key: String, dueAt: Int64) throws
  func cancelTimer(_ kind: TimerKind, memberID: Int64, key: String) throws
  /// The earliest timer due at or before `notAfter`.
  func nextDueTimer(notAfter: Int64) throws -> StoredTimer?
  func nextTimerDue() throws -> Int64?
  func deleteTimer(id: Int64) throws

  // MARK: Flow instances
  func createInstance(
    flow: String, version: String, memberID: Int64, enteredAt: Int64, triggerPayload: String
  )
    throws -> Int64
  func instance(id: Int64) throws -> FlowInstanceRecord?
  func activeInstances(memberID: Int64) throws -> [FlowInstanceRecord]
  /// The most recent instance of a flow for a member, active or not.
  func latestInstance(flow: String, memberID: Int64) throws -> FlowInstanceRecord?
  func moveInstance(id: Int64, toStep step: String?) throws
  func endInstance(id: Int64, status: InstanceStatus, at: Int64, reason: String?) throws
  func logStep(
    instanceID: Int64, flow: String, step: String, outcome: StepOutcome, reason: String?,
    at: Int64) throws
  func stepCounts() throws -> [StepCount]
  /// Skipped sends grouped by flow, step and reason, most frequent first.
  func skippedSends() throws -> [SkippedSends]
  func saveProgram(version: String, ir: String, at: Int64) throws

  // MARK: Outbox
  /// How many emails were queued for a member after `since` (frequency caps).
  func emailCount(memberID: Int64, since: Int64) throws -> Int
  /// Adds a message unless one with the same idempotency key exists; true if added.
  func enqueue(
    idempotencyKey: String, instanceID: Int64, memberID: Int64, flow: String, step: String,
    recipient: String, createdAt: Int64, message: [UInt8]
  ) throws -> Bool
  /// Undelivered messages in id order.
  func pendingOutbox(limit: Int) throws -> [OutboxMessage]
  /// Undelivered messages with an id above `id`, in id order.
  func pendingOutbox(after id: Int64, limit: Int) throws -> [OutboxMessage]
  /// Marks delivered every pending message with an id in `ids` and drops its bytes.
  func markDelivered(_ ids: ClosedRange<Int64>, at: Int64) throws
  /// Marks a pending message refused for good (it will not be tried again) and drops its bytes.
  func markFailed(_ id: Int64, reason: String, at: Int64) throws

  // MARK: Identity
  func identities(memberID: Int64) throws -> [IdentityKey]
  /// Points an existing key at another member (an anonymous visitor's
  /// history going to the member who identified last).
  func moveIdentity(_ key: IdentityKey, to memberID: Int64) throws
  /// When the member's row was created; nil for an unknown id.
  func memberCreatedAt(id: Int64) throws -> Int64?
  /// The member a merged-away member became part of; nil if not merged.
  func mergedInto(memberID: Int64) throws -> Int64?
  /// Moves everything of `other` to `survivor` and marks `other` merged:
  /// identities, events, orders, consent (its precedence recomputed), tags,
  /// purchases, order summaries, outbox rows, timers and flow instances (of a
  /// flow both are in, the survivor's goes on and the other's is ended).
  /// Order aggregates are recomputed as of `at`.
  func mergeMember(_ other: Int64, into survivor: Int64, at: Int64) throws -> MergeMoves
  func recordMerge(_ entry: MergeLogEntry) throws
  func recordConflict(_ conflict: IdentityConflict) throws
  /// Stores an imported order; false when its external id was already stored.
  func addOrder(
    memberID: Int64, externalID: String, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int, presentmentCents: Int64?, presentmentCurrency: String?
  ) throws -> Bool
  /// Adds or replaces the totals `source` reports for a member.
  func saveOrderSummary(
    memberID: Int64, source: String, orderCount: Int, totalCents: Int64, currency: String,
    asOf: Int64) throws
  /// The order row an `order_placed` event describes (same external id),
  /// created from the event when no import stored one.
  func orderRow(
    forEvent eventID: Int64, memberID: Int64, placedAt: Int64, totalCents: Int64,
    currency: String, itemCount: Int
  ) throws -> Int64
  /// Recomputes and saves the order figures (summaries plus the orders placed
  /// after them, up to `at`; at `at` itself only up to order row
  /// `throughOrder`, so same-second orders count one by one). Opens and clicks
  /// are kept. Returns the member's aggregates.
  func refreshOrderAggregates(memberID: Int64, at: Int64, throughOrder: Int64?) throws
    -> MemberAggregates

  // MARK: Runtime state
  func runtimeValue(_ name: String) throws -> Int64?
  func setRuntimeValue(_ name: String, _ value: Int64) throws
  func setting(_ key: String) throws -> String?
  func setSetting(_ key: String, _ value: String) throws
}

/// What deploying new flows over running instances needs beyond the runtime's
/// store: flow versions, where instances are parked, and a record of deploys.
/// Apart from `FlowStore` because only the host deploys, never the engine.
public protocol DeployStore: FlowStore {
  /// Keeps a compiled flow's IR under its version; loading it again updates `loaded_at`.
  func saveFlowVersion(flow: String, version: String, ir: String, at: Int64) throws
  func flowVersionIR(flow: String, version: String) throws -> String?
  /// Every flow name ever loaded.
  func loadedFlows() throws -> Set<String>
  /// Every active instance, in id order.
  func parkedInstances() throws -> [ParkedInstance]
  func setInstanceVersion(id: Int64, version: String) throws
  func recordDeploy(_ deploy: DeployRecord) throws
}
