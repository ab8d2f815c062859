import FlowIR
import Testing

@testable import FlowRuntime
@testable import MemberStore

private let start = utc(2026, 3, 2, 9)

@Suite struct RFMTests {
  /// Twenty buyers and two members without orders. Recency orders by
  /// 7i mod 20 days, frequency by i/2+1 orders (ties across a fifth's edge:
  /// members 4 and 5 both have 3), monetary by 3i mod 20 thousand cents.
  private func twentyBuyers(_ h: Harness) throws -> [Int64] {
    try h.store.transaction {
      var ids: [Int64] = []
      for i in 1...22 {
        let id = try h.store.createMember(
          MemberRecord(id: 0, email: "m\(i)@example.com", joinedAt: start), createdAt: start)
        ids.append(id)
        guard i <= 20 else { continue }
        var aggregates = MemberAggregates()
        aggregates.orderCount = Int64(i / 2 + 1)
        aggregates.totalSpentCents = Int64((3 * i) % 20) * 1000 + 500
        aggregates.currency = "USD"
        aggregates.lastOrderAt = start + Int64((7 * i) % 20) * day
        aggregates.firstOrderAt = aggregates.lastOrderAt
        try h.store.saveAggregates(aggregates, memberID: id)
      }
      return ids
    }
  }

  @Test func quintilesAreComputedOverBuyersWithTiesByID() throws {
    let h = try Harness("segment any = member.order_count >= 0")
    let ids = try twentyBuyers(h)
    #expect(try h.store.refreshRFM() == Array(ids.prefix(20)))
    let scores = try ids.prefix(20).map { try #require(try h.store.rfmScores(memberID: $0)) }
    #expect(
      scores.map(\.recency) == [2, 4, 1, 3, 4, 1, 3, 5, 1, 3, 5, 2, 3, 5, 2, 4, 5, 2, 4, 1])
    #expect(
      scores.map(\.frequency) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5])
    #expect(
      scores.map(\.monetary) == [1, 2, 3, 4, 4, 5, 1, 2, 2, 3, 4, 5, 5, 1, 2, 3, 3, 4, 5, 1])
    #expect(try h.store.rfmScores(memberID: ids[20]) == nil)
    // Members 1, 2, 3, 4, 8, 10, 12, 13, 14, 18.
    let layers = try [0, 1, 2, 3, 7, 9, 11, 12, 13, 17].map {
      try h.engine.loadMember(ids[$0], now: start)?.value("rfm_layer", currency: "USD")
    }
    #expect(
      layers
        == [
          "hibernating", "promising", "lost", "about_to_sleep", "potential_loyalist",
          "need_attention", "at_risk", "loyal", "champions", "cant_lose",
        ].map(Value.string))
    #expect(
      try h.engine.loadMember(ids[21], now: start)?.value("rfm_layer", currency: "USD") == .null)
  }

  @Test func aSecondPassWritesOnlyWhatChanged() throws {
    let h = try Harness("segment any = member.order_count >= 0")
    let ids = try twentyBuyers(h)
    _ = try h.store.refreshRFM()
    #expect(try h.store.refreshRFM() == [])
    // Member 21 buys for the first time, most recently of all: recency
    // shifts every member past them down the ranking where a fifth's edge moves.
    try h.store.transaction {
      var aggregates = MemberAggregates()
      aggregates.orderCount = 1
      aggregates.totalSpentCents = 100
      aggregates.lastOrderAt = start + 30 * day
      try h.store.saveAggregates(aggregates, memberID: ids[20])
    }
    let changed = try h.store.refreshRFM()
    #expect(changed.contains(ids[20]))
    #expect(
      try h.store.rfmScores(memberID: ids[20]) == RFMScores(recency: 5, frequency: 1, monetary: 1))
    #expect(changed.count < 21)
  }

  /// The daily pass runs at the shop's midnight and fires `enters segment`
  /// for members whose layer put them in a segment.
  @Test func theDailyPassMovesMembersIntoLayerSegments() throws {
    let h = try Harness(
      """
      segment top = member.rfm_layer == "champions"
      flow celebrate {
        trigger enters segment top
        send thanks { template "t" subject "Thanks" }
      }
      """, shopZone: "America/New_York")
    var members: [Int64] = []
    for k in 1...5 {
      let id = try h.join("m\(k)@example.com", at: start)
      members.append(id)
      for n in 0..<k { try h.order(id, at: start + Int64(k * 3600 + n)) }
    }
    // 2026-03-03 00:00 in New York is 05:00 UTC.
    let midnight = utc(2026, 3, 3, 5)
    try h.drain(until: midnight - 1)
    #expect(try h.timers(member: 0) == [.init(kind: "rfm", key: "", dueAt: midnight)])
    #expect(try h.outbox().isEmpty)
    try h.drain(until: midnight)
    // Member k scores R=k, F=k: 4 and 5 are champions.
    #expect(try h.outbox().map(\.recipient) == ["m4@example.com", "m5@example.com"])
    #expect(try h.outbox().map(\.createdAt) == [midnight, midnight])
    #expect(try h.timers(member: 0).map(\.dueAt) == [utc(2026, 3, 4, 5)])
    // Nothing changes the next night: no second entry.
    try h.drain(until: utc(2026, 3, 4, 6))
    #expect(try h.outbox().count == 2)
  }

  /// Without a condition reading RFM fields there is no daily pass to pay for.
  @Test func noPassWithoutAnRFMCondition() throws {
    let h = try Harness("segment buyer = member.order_count >= 1")
    let ann = try h.join("ann@example.com", at: start)
    try h.order(ann, at: start + 1)
    try h.drain(until: start + 3 * day)
    #expect(try h.timers(member: 0).isEmpty)
    #expect(try h.store.rfmScores(memberID: ann) == nil)
  }
}
