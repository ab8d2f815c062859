import FlowIR
import Foundation
import MemberStore

/// The interpreter: applies events and timers to members and moves them
/// through flows. All state lives in the store; the caller wraps each call in
/// a transaction, so a step's state change and its outbox row commit together.
public final class FlowEngine {
  let program: Program
  /// Each flow's version (a hash of its IR), recorded on the instances that enter it.
  let versions: [String: String]
  let store: FlowStore
  let composer: MessageComposing
  let shop: ShopSettings
  private let shopCalendar: ZonedCalendar
  private var calendars: [String: ZonedCalendar] = [:]
  let flowsByName: [String: Flow]
  private let segmentPredicates: [String: Expr]
  let eventSchemas: [String: [EventField]]
  /// True when some segment or tag depends on time passing, so members need
  /// a timer at the next moment one may change.
  private let hasTimeDependence: Bool
  /// The catalog, read at the first send; a catalog imported while running
  /// is picked up at the next start.
  private var recommender: Recommender?
  /// True when a segment, tag or flow condition reads an RFM field: only
  /// then does the daily pass run (a replay would otherwise pay for one
  /// pass per replayed day).
  private let usesRFM: Bool
  /// Whether this engine made sure the daily RFM timer exists.
  private var rfmTimerChecked = false

  init(
    program: Program, versions: [String: String], store: FlowStore, composer: MessageComposing,
    shop: ShopSettings
  ) {
    self.program = program
    self.versions = versions
    self.store = store
    self.composer = composer
    self.shop = shop
    shopCalendar = ZonedCalendar(zone: TimeZone(identifier: shop.timezone) ?? .gmt)
    flowsByName = Dictionary(program.flows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    segmentPredicates = Dictionary(
      program.segments.map { ($0.name, $0.predicate) }, uniquingKeysWith: { a, _ in a })
    eventSchemas = Dictionary(
      program.events.map { ($0.name, $0.fields) }, uniquingKeysWith: { a, _ in a })
    hasTimeDependence =
      program.segments.contains { $0.predicate.dependsOnTime }
      || program.tags.contains { $0.predicate.dependsOnTime }
    usesRFM = program.conditions.contains { $0.mentionsRFM }
  }

  // MARK: Entry points

  /// Applies one stored event at `now`: aggregates, exits, segments, triggers.
  public func process(_ event: StoredEvent, now: Int64) throws {
    try ensureRFMTimer(now: now)
    guard var member = try loadMember(event.memberID, now: now) else {
      try store.markProcessed(eventID: event.id)
      return
    }
    let raw = PayloadCodec.object(event.payload)
    let payload = PayloadCodec.values(raw, schema: eventSchemas[event.name] ?? [])
    try applyEffects(of: event, payload: payload, to: &member)
    if event.name == "order_placed", let items = raw["items"] as? [[String: Any]] {
      let products = items.compactMap { $0["product_id"] as? String }
      try store.recordPurchases(memberID: member.record.id, productIDs: products)
    }

    try applyToInstances(event: event.name, payload: payload, member: &member, now: now)
    try refreshSegments(&member, now: now)
    for flow in program.flows where flow.trigger.matches(eventName: event.name) {
      try enter(flow, member: &member, trigger: raw, now: now)
    }
    if event.name == "member_joined" { try scheduleAnniversaries(member, now: now) }
    try store.markProcessed(eventID: event.id)
  }

  /// Fires one due timer at `now` and removes it.
  public func fire(_ timer: StoredTimer, now: Int64) throws {
    try store.deleteTimer(id: timer.id)
    try ensureRFMTimer(now: now)
    // The one timer that is no member's.
    if timer.kind == .rfm { return try recomputeRFM(now: now) }
    guard var member = try loadMember(timer.memberID, now: now) else { return }
    switch timer.kind {
    case .rfm: return
    case .segments:
      try refreshSegments(&member, now: now)
    case .anniversary:
      guard let flow = flowsByName[timer.key] else { return }
      try enter(flow, member: &member, trigger: [:], now: now)
      try scheduleAnniversary(flow, member: member, now: now)
    case .resume:
      guard let id = timer.instanceID, let instance = try store.instance(id: id),
        instance.status == .active
      else { return }
      try resume(instance, member: &member, now: now)
    }
  }

  /// Applies a change to a member's profile (fields, timezone) made outside
  /// the event stream: segments and tags are re-evaluated and yearly
  /// triggers re-timed for the new date or zone. Call it in the transaction
  /// that wrote the change.
  public func profileChanged(memberID: Int64, now: Int64) throws {
    guard var member = try loadMember(memberID, now: now) else { return }
    try refreshSegments(&member, now: now)
    try scheduleAnniversaries(member, now: now)
  }

  /// Catalog products for a member's email; none without a catalog.
  func recommendations(for member: MemberView) throws -> [ProductRecord] {
    if recommender == nil {
      recommender = Recommender(
        catalog: try store.products(), buyers: try store.productBuyerCounts())
    }
    guard let recommender, !recommender.isEmpty else { return [] }
    return recommender.pick(
      memberTags: member.tags, purchased: try store.purchasedProducts(memberID: member.record.id),
      limit: shop.recommendationCount)
  }

  // MARK: Members

  func loadMember(_ id: Int64, now: Int64) throws -> MemberView? {
    guard let state = try store.memberState(id: id, at: now) else { return nil }
    let consented = state.emailConsent.map(ConsentStatus.allowsMarketing) ?? false
    return MemberView(
      record: state.record, fields: customFields(state.record.fieldsJSON),
      aggregates: state.aggregates, tags: state.tags, segments: state.segments,
      mayEmail: consented && !state.suppressed,
      calendar: state.record.timezone.flatMap(calendar(named:)) ?? shopCalendar,
      rfm: try store.rfmScores(memberID: id))
  }

  private func calendar(named name: String) -> ZonedCalendar? {
    if let cached = calendars[name] { return cached }
    guard let zone = TimeZone(identifier: name) else { return nil }
    let calendar = ZonedCalendar(zone: zone)
    calendars[name] = calendar
    return calendar
  }

  private func customFields(_ json: String) -> [String: Value] {
    guard !program.fields.isEmpty else { return [:] }
    let raw = PayloadCodec.object(json)
    var values: [String: Value] = [:]
    for field in program.fields {
      values[field.name] =
        raw[field.name].map { PayloadCodec.value($0, as: field.type) } ?? field.defaultValue
    }
    return values
  }

  private func applyEffects(
    of event: StoredEvent, payload: [String: Value], to member: inout MemberView
  ) throws {
    var aggregates = member.aggregates
    switch event.name {
    case "order_placed":
      // Recomputed from the store, not incremented, so imported summaries,
      // merges and replays give the same figures.
      var total: Money?
      if case .money(let money) = payload["total"] { total = money }
      let itemCount = if case .list(let items) = payload["items"] { items.count } else { 0 }
      let order = try store.orderRow(
        forEvent: event.id, memberID: member.record.id, placedAt: event.occurredAt,
        totalCents: total?.cents ?? 0, currency: total?.currency ?? "", itemCount: itemCount)
      member.aggregates = try store.refreshOrderAggregates(
        memberID: member.record.id, at: event.occurredAt, throughOrder: order)
      return
    case "email_opened":
      aggregates.lastOpenAt = event.occurredAt
    case "email_clicked":
      aggregates.lastClickAt = event.occurredAt
    case "unsubscribed":
      // The intake's unsubscribe link records the withdrawal itself (with
      // its evidence) before appending this event; one record is enough.
      if try store.consentStatus(memberID: member.record.id, channel: "email", at: event.occurredAt)
        != ConsentStatus.unsubscribed
      {
        try store.recordConsent(
          memberID: member.record.id, channel: "email", status: ConsentStatus.unsubscribed,
          source: "event:unsubscribed", occurredAt: event.occurredAt,
          recordedAt: event.occurredAt, evidence: nil)
      }
      member.mayEmail = false
      return
    default:
      return
    }
    member.aggregates = aggregates
    try store.saveAggregates(aggregates, memberID: member.record.id)
  }

  // MARK: Segments and tags

  /// Re-evaluates every segment and tag for one member, records changes, fires
  /// `enters segment` triggers, and schedules the next moment time alone could
  /// change a result. No other member is looked at.
  private func refreshSegments(_ member: inout MemberView, now: Int64) throws {
    guard !program.segments.isEmpty || !program.tags.isEmpty else { return }
    let id = member.record.id
    var entered: [String] = []
    for segment in program.segments {
      let isIn = evaluator(member, now: now).truth(segment.predicate)
      guard isIn != member.segments.contains(segment.name) else { continue }
      try store.setSegment(segment.name, memberID: id, member: isIn, at: now)
      if isIn {
        member.segments.insert(segment.name)
        entered.append(segment.name)
      } else {
        member.segments.remove(segment.name)
      }
    }
    for tag in program.tags {
      let present = evaluator(member, now: now).truth(tag.predicate)
      guard present != member.tags.contains(tag.tag) else { continue }
      try store.setTag(tag.tag, memberID: id, present: present, at: now)
      if present { member.tags.insert(tag.tag) } else { member.tags.remove(tag.tag) }
    }
    if hasTimeDependence { try scheduleSegmentReview(member, now: now) }
    for segment in entered {
      for flow in program.flows where flow.trigger == .entersSegment(segment) {
        try enter(flow, member: &member, trigger: [:], now: now)
      }
    }
  }

  // MARK: RFM

  /// Schedules the first daily RFM pass unless one is pending: the next
  /// midnight after the first event or timer this store ever saw (the
  /// virtual clock in a replay), then each one reschedules the next.
  private func ensureRFMTimer(now: Int64) throws {
    guard usesRFM, !rfmTimerChecked else { return }
    rfmTimerChecked = true
    guard try store.runtimeValue(Self.rfmScheduledKey) == nil else { return }
    try scheduleRFM(after: now)
    try store.setRuntimeValue(Self.rfmScheduledKey, 1)
  }

  static let rfmScheduledKey = "rfm_timer_scheduled"

  private func scheduleRFM(after now: Int64) throws {
    let tomorrow = shopCalendar.wallClock(now).date.adding(days: 1)
    try store.schedule(
      .rfm, memberID: 0, instanceID: nil, key: "", dueAt: shopCalendar.startOfDay(tomorrow))
  }

  /// Recomputes every member's scores, then re-evaluates segments and tags
  /// of just the members whose scores changed, so a layer change fires
  /// `enters segment` as any other change does.
  private func recomputeRFM(now: Int64) throws {
    rfmTimerChecked = true
    for id in try store.refreshRFM() {
      guard var member = try loadMember(id, now: now) else { continue }
      try refreshSegments(&member, now: now)
    }
    try scheduleRFM(after: now)
  }

  private func scheduleSegmentReview(_ member: MemberView, now: Int64) throws {
    let evaluator = evaluator(member, now: now)
    let predicates = program.segments.map(\.predicate) + program.tags.map(\.predicate)
    let next = predicates.flatMap {
      evaluator.changeMoments($0, segments: segmentPredicates)
    }.min()
    if let next {
      try store.schedule(
        .segments, memberID: member.record.id, instanceID: nil, key: "", dueAt: next)
    } else {
      try store.cancelTimer(.segments, memberID: member.record.id, key: "")
    }
  }

  private func scheduleAnniversaries(_ member: MemberView, now: Int64) throws {
    for flow in program.flows {
      try scheduleAnniversary(flow, member: member, now: now)
    }
  }

  private func scheduleAnniversary(_ flow: Flow, member: MemberView, now: Int64) throws {
    guard case .anniversary(let field, let time) = flow.trigger else { return }
    guard case .date(let date) = member.value(field, currency: shop.currency) else {
      try store.cancelTimer(.anniversary, memberID: member.record.id, key: flow.name)
      return
    }
    let due = member.calendar.nextAnniversary(
      month: date.month, day: date.day, at: time, after: now)
    try store.schedule(
      .anniversary, memberID: member.record.id, instanceID: nil, key: flow.name, dueAt: due)
  }

  private func evaluator(
    _ member: MemberView, now: Int64, event: [String: Value] = [:], trigger: [String: Value] = [:]
  ) -> Evaluator {
    Evaluator(now: now, member: member, currency: shop.currency, event: event, trigger: trigger)
  }
}

extension Program {
  /// Every condition in the program: segments, tags and the flows' entry
  /// filters, exits, branches and event waits.
  fileprivate var conditions: [Expr] {
    var all = segments.map(\.predicate) + tags.map(\.predicate)
    for flow in flows {
      all += [flow.onlyIf].compactMap { $0 } + flow.exits.compactMap(\.condition)
      for step in flow.steps {
        switch step.action {
        case .branch(let condition, _, _): all.append(condition)
        case .waitForEvent(let wait): all += [wait.condition].compactMap { $0 }
        case .send, .wait, .waitUntil, .split: break
        }
      }
    }
    return all
  }
}

extension Trigger {
  /// Whether an incoming event of this name starts the flow.
  func matches(eventName: String) -> Bool {
    switch self {
    case .memberJoined: return eventName == "member_joined"
    case .event(let name): return eventName == name
    case .anniversary, .entersSegment: return false
    }
  }
}

extension Expr {
  /// Whether the expression reads `member.rfm_*`.
  fileprivate var mentionsRFM: Bool {
    switch self {
    case .member(let path): return path.hasPrefix("rfm_")
    case .literal, .event, .trigger, .segment: return false
    case .not(let inner), .before(let inner, _), .within(let inner, _): return inner.mentionsRFM
    case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .has(let a, let b):
      return a.mentionsRFM || b.mentionsRFM
    }
  }

  /// Whether the expression's truth can change with time alone.
  var dependsOnTime: Bool {
    switch self {
    case .before, .within: return true
    case .literal, .member, .event, .trigger, .segment: return false
    case .not(let inner): return inner.dependsOnTime
    case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .has(let a, let b):
      return a.dependsOnTime || b.dependsOnTime
    }
  }
}

extension FlowEngine {
  /// An engine that renders sends with `templates` and signs links with `signToken`.
  /// Throws if a subject line is not valid Liquid.
  public convenience init(
    program: Program, versions: [String: String], store: FlowStore, templates: TemplateLibrary,
    shop: ShopSettings, signToken: @escaping @Sendable (String) -> String
  ) throws {
    let composer = try TemplateComposer(
      library: templates, shop: shop, program: program, signToken: signToken)
    self.init(program: program, versions: versions, store: store, composer: composer, shop: shop)
  }
}
