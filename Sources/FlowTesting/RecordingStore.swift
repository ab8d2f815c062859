import MemberStore

/// One step-log line, with the member it concerns.
struct StepTrace: Sendable, Hashable {
  var instance: Int64
  var member: Int64
  var flow: String
  var step: String
  var outcome: StepOutcome
  var reason: String?
  var at: Int64
}

/// A store that passes everything to the real one and remembers the step
/// log and instance endings as the interpreter writes them. The `FlowStore`
/// protocol has no way to read the step log back, and this keeps SQL out of
/// the test runner: what the engine logged is exactly what it did.
final class RecordingStore: FlowStore {
  private let base: FlowStore
  private var memberOfInstance: [Int64: Int64] = [:]
  private(set) var steps: [StepTrace] = []
  /// Ended instances, by id; a missing id is still active.
  private(set) var endings: [Int64: InstanceStatus] = [:]

  init(_ base: FlowStore) { self.base = base }

  // MARK: Recorded

  func createInstance(
    flow: String, version: String, memberID: Int64, enteredAt: Int64, triggerPayload: String
  ) throws -> Int64 {
    let id = try base.createInstance(
      flow: flow, version: version, memberID: memberID, enteredAt: enteredAt,
      triggerPayload: triggerPayload)
    memberOfInstance[id] = memberID
    return id
  }

  func logStep(
    instanceID: Int64, flow: String, step: String, outcome: StepOutcome, reason: String?,
    at: Int64
  ) throws {
    try base.logStep(
      instanceID: instanceID, flow: flow, step: step, outcome: outcome, reason: reason, at: at)
    steps.append(
      StepTrace(
        instance: instanceID, member: memberOfInstance[instanceID] ?? 0, flow: flow, step: step,
        outcome: outcome, reason: reason, at: at))
  }

  func endInstance(id: Int64, status: InstanceStatus, at: Int64, reason: String?) throws {
    try base.endInstance(id: id, status: status, at: at, reason: reason)
    endings[id] = status
  }

  // MARK: Passed through

  func transaction<T>(_ body: () throws -> T) throws -> T { try base.transaction(body) }
  func createMember(_ member: MemberRecord, createdAt: Int64) throws -> Int64 {
    try base.createMember(member, createdAt: createdAt)
  }
  func member(id: Int64) throws -> MemberRecord? { try base.member(id: id) }
  func memberState(id: Int64, at: Int64) throws -> MemberState? {
    try base.memberState(id: id, at: at)
  }
  func memberID(identity kind: String, value: String) throws -> Int64? {
    try base.memberID(identity: kind, value: value)
  }
  func addIdentity(kind: String, value: String, memberID: Int64) throws {
    try base.addIdentity(kind: kind, value: value, memberID: memberID)
  }
  func aggregates(memberID: Int64) throws -> MemberAggregates {
    try base.aggregates(memberID: memberID)
  }
  func saveAggregates(_ aggregates: MemberAggregates, memberID: Int64) throws {
    try base.saveAggregates(aggregates, memberID: memberID)
  }
  func rfmScores(memberID: Int64) throws -> RFMScores? {
    try base.rfmScores(memberID: memberID)
  }
  func refreshRFM() throws -> [Int64] {
    try base.refreshRFM()
  }
  func recordConsent(
    memberID: Int64, channel: String, status: String, source: String, occurredAt: Int64,
    recordedAt: Int64, evidence: String?
  ) throws {
    try base.recordConsent(
      memberID: memberID, channel: channel, status: status, source: source,
      occurredAt: occurredAt, recordedAt: recordedAt, evidence: evidence)
  }
  func consentStatus(memberID: Int64, channel: String, at: Int64) throws -> String? {
    try base.consentStatus(memberID: memberID, channel: channel, at: at)
  }
  func isSuppressed(email: String) throws -> Bool { try base.isSuppressed(email: email) }
  func suppress(email: String, reason: String, at: Int64) throws {
    try base.suppress(email: email, reason: reason, at: at)
  }
  func identities(memberID: Int64) throws -> [IdentityKey] {
    try base.identities(memberID: memberID)
  }
  func moveIdentity(_ key: IdentityKey, to memberID: Int64) throws {
    try base.moveIdentity(key, to: memberID)
  }
  func memberCreatedAt(id: Int64) throws -> Int64? { try base.memberCreatedAt(id: id) }
  func mergedInto(memberID: Int64) throws -> Int64? { try base.mergedInto(memberID: memberID) }
  func mergeMember(_ other: Int64, into survivor: Int64, at: Int64) throws -> MergeMoves {
    try base.mergeMember(other, into: survivor, at: at)
  }
  func recordMerge(_ entry: MergeLogEntry) throws { try base.recordMerge(entry) }
  func recordConflict(_ conflict: IdentityConflict) throws { try base.recordConflict(conflict) }
  func addOrder(
    memberID: Int64, externalID: String, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int, presentmentCents: Int64?, presentmentCurrency: String?
  ) throws -> Bool {
    try base.addOrder(
      memberID: memberID, externalID: externalID, placedAt: placedAt, totalCents: totalCents,
      currency: currency, itemCount: itemCount, presentmentCents: presentmentCents,
      presentmentCurrency: presentmentCurrency)
  }
  func saveOrderSummary(
    memberID: Int64, source: String, orderCount: Int, totalCents: Int64, currency: String,
    asOf: Int64
  ) throws {
    try base.saveOrderSummary(
      memberID: memberID, source: source, orderCount: orderCount, totalCents: totalCents,
      currency: currency, asOf: asOf)
  }
  func orderRow(
    forEvent eventID: Int64, memberID: Int64, placedAt: Int64, totalCents: Int64,
    currency: String, itemCount: Int
  ) throws -> Int64 {
    try base.orderRow(
      forEvent: eventID, memberID: memberID, placedAt: placedAt, totalCents: totalCents,
      currency: currency, itemCount: itemCount)
  }
  func refreshOrderAggregates(memberID: Int64, at: Int64, throughOrder: Int64?) throws
    -> MemberAggregates
  {
    try base.refreshOrderAggregates(memberID: memberID, at: at, throughOrder: throughOrder)
  }
  func updateMember(_ member: MemberRecord) throws { try base.updateMember(member) }
  func appendEvent(
    memberID: Int64, name: String, occurredAt: Int64, payload: String, externalID: String?
  ) throws -> Int64? {
    try base.appendEvent(
      memberID: memberID, name: name, occurredAt: occurredAt, payload: payload,
      externalID: externalID)
  }
  func insertOrder(
    memberID: Int64, externalID: String?, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int
  ) throws {
    try base.insertOrder(
      memberID: memberID, externalID: externalID, placedAt: placedAt, totalCents: totalCents,
      currency: currency, itemCount: itemCount)
  }
  func pendingEvents(notAfter: Int64, limit: Int) throws -> [StoredEvent] {
    try base.pendingEvents(notAfter: notAfter, limit: limit)
  }
  func markProcessed(eventID: Int64) throws { try base.markProcessed(eventID: eventID) }
  func latestEventTime() throws -> Int64? { try base.latestEventTime() }
  func segments(memberID: Int64) throws -> Set<String> { try base.segments(memberID: memberID) }
  func setSegment(_ segment: String, memberID: Int64, member isIn: Bool, at: Int64) throws {
    try base.setSegment(segment, memberID: memberID, member: isIn, at: at)
  }
  func tags(memberID: Int64) throws -> Set<String> { try base.tags(memberID: memberID) }
  func setTag(_ tag: String, memberID: Int64, present: Bool, at: Int64) throws {
    try base.setTag(tag, memberID: memberID, present: present, at: at)
  }
  func schedule(
    _ kind: TimerKind, memberID: Int64, instanceID: Int64?, key: String, dueAt: Int64
  ) throws {
    try base.schedule(kind, memberID: memberID, instanceID: instanceID, key: key, dueAt: dueAt)
  }
  func cancelTimer(_ kind: TimerKind, memberID: Int64, key: String) throws {
    try base.cancelTimer(kind, memberID: memberID, key: key)
  }
  func nextDueTimer(notAfter: Int64) throws -> StoredTimer? {
    try base.nextDueTimer(notAfter: notAfter)
  }
  func nextTimerDue() throws -> Int64? { try base.nextTimerDue() }
  func deleteTimer(id: Int64) throws { try base.deleteTimer(id: id) }
  func instance(id: Int64) throws -> FlowInstanceRecord? { try base.instance(id: id) }
  func activeInstances(memberID: Int64) throws -> [FlowInstanceRecord] {
    try base.activeInstances(memberID: memberID)
  }
  func latestInstance(flow: String, memberID: Int64) throws -> FlowInstanceRecord? {
    try base.latestInstance(flow: flow, memberID: memberID)
  }
  func moveInstance(id: Int64, toStep step: String?) throws {
    try base.moveInstance(id: id, toStep: step)
  }
  func stepCounts() throws -> [StepCount] { try base.stepCounts() }
  func skippedSends() throws -> [SkippedSends] { try base.skippedSends() }
  func saveProgram(version: String, ir: String, at: Int64) throws {
    try base.saveProgram(version: version, ir: ir, at: at)
  }
  func upsertProduct(_ product: ProductRecord, at: Int64) throws -> Bool {
    try base.upsertProduct(product, at: at)
  }
  func products() throws -> [ProductRecord] { try base.products() }
  func recordPurchases(memberID: Int64, productIDs: [String]) throws {
    try base.recordPurchases(memberID: memberID, productIDs: productIDs)
  }
  func purchasedProducts(memberID: Int64) throws -> Set<String> {
    try base.purchasedProducts(memberID: memberID)
  }
  func productBuyerCounts() throws -> [String: Int] { try base.productBuyerCounts() }
  func emailCount(memberID: Int64, since: Int64) throws -> Int {
    try base.emailCount(memberID: memberID, since: since)
  }
  func enqueue(
    idempotencyKey: String, instanceID: Int64, memberID: Int64, flow: String, step: String,
    recipient: String, createdAt: Int64, message: [UInt8]
  ) throws -> Bool {
    try base.enqueue(
      idempotencyKey: idempotencyKey, instanceID: instanceID, memberID: memberID, flow: flow,
      step: step, recipient: recipient, createdAt: createdAt, message: message)
  }
  func pendingOutbox(limit: Int) throws -> [OutboxMessage] { try base.pendingOutbox(limit: limit) }
  func pendingOutbox(after id: Int64, limit: Int) throws -> [OutboxMessage] {
    try base.pendingOutbox(after: id, limit: limit)
  }
  func markFailed(_ id: Int64, reason: String, at: Int64) throws {
    try base.markFailed(id, reason: reason, at: at)
  }
  func markDelivered(_ ids: ClosedRange<Int64>, at: Int64) throws {
    try base.markDelivered(ids, at: at)
  }
  func runtimeValue(_ name: String) throws -> Int64? { try base.runtimeValue(name) }
  func setRuntimeValue(_ name: String, _ value: Int64) throws {
    try base.setRuntimeValue(name, value)
  }
  func setting(_ key: String) throws -> String? { try base.setting(key) }
  func setSetting(_ key: String, _ value: String) throws { try base.setSetting(key, value) }
}
