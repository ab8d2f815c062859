import FlowHost
import FlowIR
import Testing

@testable import FlowRuntime
@testable import MemberStore

/// SplitMix64: the same members on every run.
private struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

private let now = utc(2026, 3, 29, 12)  // the morning after Europe's DST change

private let program = """
  field birthday: date?
  field tier: string = "basic"
  field score: number = 0
  field newsletter: bool = false
  field credit: money?
  field last_visit: timestamp?

  segment big_spender      = member.total_spent >= 500 USD
  segment compound         = member.total_spent >= 500 USD and member.order_count >= 3 and not (member.tags has "vip") and member.last_order_at within 90d
  segment loyal            = member.order_count >= 3 and not (member.tags has "vip")
  segment lapsed           = member.last_order_at before 90d ago
  segment lapsed_weeks     = member.last_order_at before 2w ago
  segment engaged          = member.last_open_at within 14d or member.last_click_at within 7d
  segment opened_hours     = member.last_open_at before 36h ago
  segment clicked_minutes  = member.last_click_at within 90m
  segment high_aov         = member.average_order_value > 80 USD
  segment low_aov          = member.average_order_value <= 80 USD
  segment euro_spender     = member.total_spent > 100 EUR
  segment emailable        = member.consent.email
  segment not_emailable    = not member.consent.email
  segment named            = member.first_name == "Ann" or member.last_name != "Smith"
  segment german           = member.locale == "de"
  segment not_phone        = not (member.phone == "555-0100")
  segment joined_recently  = member.joined_at within 2w
  segment joined_before    = member.joined_at < member.first_order_at
  segment order_span       = member.first_order_at != member.last_order_at
  segment adult_birthday   = member.birthday <= 2008-03-29
  segment birthday_gone    = member.birthday before 1000d ago
  segment gold             = member.tier == "gold"
  segment not_basic        = member.tier != "basic"
  segment high_score       = member.score > 2.5
  segment whole_score      = member.score == 3
  segment news             = member.newsletter
  segment no_news          = not member.newsletter
  segment credit_rich      = member.credit >= 20 USD
  segment credit_small     = member.credit < 20.5 USD
  segment visited          = member.last_visit within 30d
  segment visit_old        = member.last_visit before 1d ago
  segment tagged           = member.tags has "vip" or member.tags has "wholesale"
  segment nested           = big_spender or (emailable and gold)
  segment nested_not       = not nested and (lapsed or news)
  segment by_id            = member.id == "7"
  segment by_timezone      = member.timezone == "Europe/Berlin"
  segment layer_at_risk    = member.rfm_layer == "at_risk" or member.rfm_layer == "champions"
  segment recent_low_spend = member.rfm_recency >= 4 and member.rfm_monetary < 3
  segment unscored         = not (member.rfm_frequency >= 1)
  segment few_orders       = member.order_count < 2 or member.total_spent <= 0 USD
  segment not_loyal        = not loyal and not (member.total_spent != 240 USD)
  segment mirrored         = 3 <= member.order_count and 100 EUR < member.total_spent
  """

@Suite struct SegmentSQLTests {
  /// Every segment's SQL picks out exactly the members the evaluator puts in it.
  /// A fixed-offset shop zone takes the constant-bound path for members
  /// without a zone; a DST one goes through the calendar function.
  @Test(arguments: ["UTC", "America/New_York"])
  func sqlAgreesWithTheEvaluatorMemberForMember(shopZone: String) throws {
    let h = try Harness(program, shopZone: shopZone)
    var random = SeededGenerator(state: 42)
    let ids = try h.store.transaction {
      try (0..<300).map { _ in try makeMember(h.store, &random) }
    }
    _ = try h.store.refreshRFM()
    try h.store.transaction {
      for id in ids { try h.engine.profileChanged(memberID: id, now: now) }
    }
    let compiler = SegmentSQL(program: h.program, shop: h.engine.shop, now: now)
    try compiler.defineFunctions(on: h.store)
    var nonEmpty = 0
    var drivenByAggregates = 0
    for segment in h.program.segments {
      var expected: [Int64] = []
      for id in ids {
        let member = try #require(try h.engine.loadMember(id, now: now))
        let evaluator = Evaluator(now: now, member: member, currency: "USD")
        if evaluator.truth(segment.predicate) { expected.append(id) }
      }
      let condition = try #require(try compiler.condition(segment: segment.name))
      let answered = try h.store.members(where: condition).map(\.id)
      #expect(answered == expected, "segment \(segment.name)")
      #expect(try h.store.countMembers(where: condition) == expected.count)
      if compiler.needsAggregates(segment: segment.name) {
        // Answered from member_aggregates alone: the same members.
        drivenByAggregates += 1
        #expect(
          try h.store.members(where: condition, needsAggregates: true).map(\.id) == expected,
          "segment \(segment.name) from member_aggregates")
        let alone = try #require(try compiler.aggregatesOnlyCondition(segment: segment.name))
        #expect(try h.store.countMembers(where: alone, aggregatesOnly: true) == expected.count)
      }
      if !expected.isEmpty && expected.count < ids.count { nonEmpty += 1 }
    }
    #expect(drivenByAggregates >= 5)
    // The data is varied enough that almost every segment splits the members.
    #expect(nonEmpty >= h.program.segments.count - 2)
  }

  @Test func unknownSegmentHasNoCondition() throws {
    let h = try Harness(program)
    let compiler = SegmentSQL(program: h.program, shop: h.engine.shop, now: now)
    #expect(try compiler.condition(segment: "nope") == nil)
  }
}

/// A member with a random mix of profile, fields, aggregates, tags and consent.
private func makeMember(_ store: SQLiteFlowStore, _ random: inout SeededGenerator) throws -> Int64 {
  func pick<T>(_ options: [T]) -> T { options.randomElement(using: &random)! }
  func maybe<T>(_ value: T) -> T? { Bool.random(using: &random) ? value : nil }
  // Instants cluster around the edges of the windows the segments test.
  func instant() -> Int64 {
    let days: Int64 = pick([0, 1, 2, 6, 7, 8, 13, 14, 15, 29, 30, 31, 89, 90, 91, 400])
    let jitter = pick([0, 0, -1, 1, Int64.random(in: -7200...7200, using: &random)])
    return now - days * day + jitter
  }
  var fields: [String] = []
  if let birthday = maybe(pick(["1990-05-17", "2008-03-29", "2008-03-30", "1998-7-4", "bad"])) {
    fields.append("\"birthday\":\"\(birthday)\"")
  }
  if let tier = maybe(pick(["\"gold\"", "\"basic\"", "\"silver\"", "null", "3"])) {
    fields.append("\"tier\":\(tier)")
  }
  if let score = maybe(pick(["3", "2.5", "2.75", "true", "\"4\""])) {
    fields.append("\"score\":\(score)")
  }
  if let news = maybe(pick(["true", "false", "1"])) { fields.append("\"newsletter\":\(news)") }
  if let credit = maybe(
    pick([
      "{\"amount\":\"20.00\",\"currency\":\"USD\"}", "{\"amount\":20.5,\"currency\":\"usd\"}",
      "{\"amount\":\"19.99\",\"currency\":\"USD\"}", "{\"amount\":\"50\",\"currency\":\"EUR\"}",
      "\"20 USD\"",
    ]))
  {
    fields.append("\"credit\":\(credit)")
  }
  if let visit = maybe(
    pick([String(instant()), String(instant()) + ".9", "\"2026-03-20T10:00:00Z\"", "\"soon\""]))
  {
    fields.append("\"last_visit\":\(visit)")
  }
  let timezone = pick([nil, nil, "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Mars/Base"])
  let id = try store.createMember(
    MemberRecord(
      id: 0, email: "m\(Int.random(in: 0..<1_000_000, using: &random))@example.com",
      firstName: maybe(pick(["Ann", "Bob"])), lastName: maybe(pick(["Smith", "Jones"])),
      phone: maybe(pick(["555-0100", "555-0101"])), locale: maybe(pick(["de", "en"])),
      timezone: timezone, joinedAt: instant(), fieldsJSON: "{" + fields.joined(separator: ",") + "}"
    ),
    createdAt: now - 500 * day)
  if Int.random(in: 0..<5, using: &random) > 0 {
    var aggregates = MemberAggregates()
    aggregates.orderCount = Int64.random(in: 0...6, using: &random)
    if aggregates.orderCount > 0 {
      aggregates.totalSpentCents = pick([0, 9_999, 24_000, 49_999, 50_000, 120_000])
      aggregates.currency = pick(["USD", "USD", "EUR"])
      let first = instant()
      aggregates.firstOrderAt = first
      aggregates.lastOrderAt = pick([first, instant()])
    }
    aggregates.lastOpenAt = maybe(instant())
    aggregates.lastClickAt = maybe(now - Int64.random(in: 0...12_000, using: &random))
    try store.saveAggregates(aggregates, memberID: id)
  }
  for tag in ["vip", "wholesale"] where Int.random(in: 0..<4, using: &random) == 0 {
    try store.setTag(tag, memberID: id, present: true, at: now - day)
  }
  for _ in 0..<Int.random(in: 0...3, using: &random) {
    let status = pick([
      ConsentStatus.optedIn, ConsentStatus.confirmed, ConsentStatus.unsubscribed,
      ConsentStatus.pending,
    ])
    let at = pick([now - 10 * day, now - day, now + day])
    try store.recordConsent(
      memberID: id, channel: pick(["email", "email", "sms"]), status: status, source: "test",
      occurredAt: at, recordedAt: at, evidence: nil)
  }
  if Int.random(in: 0..<10, using: &random) == 0, let record = try store.member(id: id) {
    try store.suppress(email: record.email, reason: "bounce", at: now - day)
  }
  return id
}
