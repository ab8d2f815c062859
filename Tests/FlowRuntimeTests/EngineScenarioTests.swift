import FlowIR
import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct EngineScenarioTests {
  private let t0 = utc(2024, 1, 10, 12)

  // MARK: Welcome, wait, exit

  @Test func exitDuringWaitEndsTheInstanceAtTheWaitStep() throws {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        only if member.consent.email
        exit when event order_placed
        send welcome_email { template "t" subject "Welcome" }
        wait 3d
        send follow_up { template "t" subject "Again" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.order(ann, at: t0 + day)
    try h.drain(until: t0 + 10 * day)

    let instance = try #require(try h.instances(member: ann).first)
    #expect(
      try h.log(member: ann) == [
        LogRow(
          instance: instance.id, flow: "welcome", step: "welcome_email", outcome: "entered", at: t0),
        LogRow(
          instance: instance.id, flow: "welcome", step: "welcome_email", outcome: "sent", at: t0),
        LogRow(instance: instance.id, flow: "welcome", step: "wait_1", outcome: "entered", at: t0),
        LogRow(
          instance: instance.id, flow: "welcome", step: "wait_1", outcome: "exited",
          reason: "exit when event order_placed", at: t0 + day),
      ])
    #expect(instance.status == "exited")
    #expect(instance.step == "wait_1")
    #expect(instance.endedAt == t0 + day)
    #expect(instance.endReason == "exit when event order_placed")
    #expect(try h.outbox().map(\.step) == ["welcome_email"])
    // The resume timer went with the instance.
    #expect(try h.timers(member: ann).isEmpty)
  }

  @Test func withoutAnExitTheWaitEndsAtTheSameLocalTime() throws {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        send welcome_email { template "t" subject "Welcome" }
        wait 3d
        send follow_up { template "t" subject "Again" }
      }
      """, shopZone: "America/New_York")
    // 2024-03-08 10:00 EST (15:00 UTC) + 3d = 2024-03-11 10:00 EDT (14:00 UTC).
    let joined = utc(2024, 3, 8, 15)
    let bob = try h.join("bob@example.com", at: joined)
    try h.drain(until: utc(2024, 3, 11, 13, 59, 59))
    #expect(
      try h.timers(member: bob) == [.init(kind: "resume", key: "i1", dueAt: utc(2024, 3, 11, 14))])
    #expect(try h.outbox().map(\.step) == ["welcome_email"])
    try h.drain(until: utc(2024, 4, 1))
    #expect(try h.outbox().map(\.step) == ["welcome_email", "follow_up"])
    #expect(try h.outbox().map(\.createdAt) == [joined, utc(2024, 3, 11, 14)])
    #expect(try h.instances(member: bob).map(\.status) == ["completed"])
  }

  @Test func exitRuleConditionSeesUpdatedAggregates() throws {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        exit when event order_placed where member.order_count >= 2
        send welcome_email { template "t" subject "Welcome" }
        wait 14d
        send offer { template "t" subject "Offer" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.order(ann, at: t0 + 1)  // first order: count 1, stays
    try h.order(ann, at: t0 + 2 * day)  // second order: count 2, exits
    try h.drain(until: t0 + 30 * day)
    #expect(try h.log(member: ann).last?.outcome == "exited")
    #expect(try h.log(member: ann).last?.at == t0 + 2 * day)
    #expect(try h.outbox().map(\.step) == ["welcome_email"])
  }

  // MARK: only if

  @Test func onlyIfFailingAtALaterSendExitsWithReason() throws {
    let h = try Harness(
      """
      flow nudge {
        trigger member_joined
        only if member.order_count == 0
        send first { template "t" subject "One" }
        wait 1d
        send second { template "t" subject "Two" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.order(ann, at: t0 + 3600)
    try h.drain(until: t0 + 5 * day)
    let instance = try #require(try h.instances(member: ann).first)
    #expect(instance.status == "exited")
    #expect(instance.endReason == "no longer matches only if")
    #expect(instance.endedAt == t0 + day)
    #expect(
      try h.log(member: ann).suffix(2) == [
        LogRow(
          instance: instance.id, flow: "nudge", step: "second", outcome: "entered", at: t0 + day),
        LogRow(
          instance: instance.id, flow: "nudge", step: "second", outcome: "exited",
          reason: "no longer matches only if", at: t0 + day),
      ])
    #expect(try h.outbox().map(\.step) == ["first"])
  }

  @Test func onlyIfFailingAtEntryCreatesNoInstance() throws {
    let h = try Harness(
      """
      flow f {
        trigger member_joined
        only if member.consent.email
        send a { template "t" subject "A" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0, consent: nil)
    let pending = try h.join("pat@example.com", at: t0, consent: ConsentStatus.pending)
    try h.drain(until: t0 + day)
    #expect(try h.instances(member: ann).isEmpty)
    #expect(try h.instances(member: pending).isEmpty)
    #expect(try h.outbox().isEmpty)
  }

  // MARK: Re-entry

  @Test func reentryAfterAllowsASecondEntryOnlyAfterD() throws {
    let h = try Harness(
      """
      event browsed { }
      flow again {
        trigger event browsed
        reentry after 7d
        send a { template "t" subject "A" }
      }
      flow once {
        trigger event browsed
        send b { template "t" subject "B" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    for offset in [0, 3 * day, 7 * day - 1, 7 * day, 8 * day, 14 * day - 1, 14 * day] {
      try h.event(ann, "browsed", at: t0 + offset)
    }
    try h.drain(until: t0 + 30 * day)
    #expect(
      try h.instances(member: ann, flow: "again").map(\.enteredAt) == [
        t0, t0 + 7 * day, t0 + 14 * day,
      ])
    #expect(try h.instances(member: ann, flow: "once").map(\.enteredAt) == [t0])
    #expect(try h.outbox().filter { $0.flow == "again" }.count == 3)
  }

  @Test func aRunningInstanceBlocksReentry() throws {
    let h = try Harness(
      """
      event browsed { }
      flow again {
        trigger event browsed
        reentry after 1d
        send a { template "t" subject "A" }
        wait 10d
        send b { template "t" subject "B" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.event(ann, "browsed", at: t0)
    try h.event(ann, "browsed", at: t0 + 5 * day)  // still waiting: no entry
    try h.event(ann, "browsed", at: t0 + 11 * day)  // finished 1 day ago: enters
    try h.drain(until: t0 + 30 * day)
    #expect(try h.instances(member: ann).map(\.enteredAt) == [t0, t0 + 11 * day])
  }

  // MARK: Consent

  @Test func sendWithoutConsentIsSkipped() throws {
    let h = try Harness(
      """
      flow f {
        trigger member_joined
        send a { template "t" subject "A" }
      }
      """)
    let none = try h.join("none@example.com", at: t0, consent: nil)
    // A double opt-in at t0 (after the unsubscribe at t0 - 10), so this one may be emailed;
    // a plain opt-in would not re-subscribe.
    let unsub = try h.join("unsub@example.com", at: t0, consent: ConsentStatus.confirmed)
    try h.store.recordConsent(
      memberID: unsub, channel: "email", status: ConsentStatus.unsubscribed, source: "test",
      occurredAt: t0 - 10, recordedAt: t0 - 10, evidence: nil)
    let suppressed = try h.join("bounce@example.com", at: t0)
    try h.store.suppress(email: "bounce@example.com", reason: "bounced", at: t0 - 1)
    try h.drain(until: t0 + day)

    let noneLog = try h.log(member: none)
    #expect(noneLog.map(\.outcome) == ["entered", "skipped"])
    #expect(noneLog.last?.reason == "no consent")
    #expect(try h.log(member: unsub).map(\.outcome) == ["entered", "sent"])
    #expect(try h.log(member: suppressed).map(\.outcome) == ["entered", "skipped"])
    #expect(try h.log(member: suppressed).last?.reason == "no consent")
    #expect(try h.outbox().map(\.recipient) == ["unsub@example.com"])
  }

  @Test func unsubscribedEventStopsLaterSends() throws {
    let h = try Harness(
      """
      flow f {
        trigger member_joined
        send a { template "t" subject "A" }
        wait 2d
        send b { template "t" subject "B" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.event(ann, "unsubscribed", at: t0 + day)
    try h.drain(until: t0 + 5 * day)
    #expect(
      try h.log(member: ann).map(\.outcome) == ["entered", "sent", "entered", "entered", "skipped"])
    #expect(
      try h.store.consentStatus(memberID: ann, channel: "email", at: t0 + day) == "unsubscribed")
  }

  // MARK: Time-based segments

  @Test func lapsingSegmentIsEnteredExactlyNinetyLocalDaysAfterTheLastOrder() throws {
    let h = try Harness(
      """
      segment lapsing = member.order_count >= 1 and member.last_order_at before 90d ago
      flow winback {
        trigger enters segment lapsing
        send come_back { template "t" subject "We miss you" }
      }
      """, shopZone: "Europe/Berlin")
    let ann = try h.join("ann@example.com", at: utc(2024, 1, 20, 12))
    let other = try h.join("other@example.com", at: utc(2024, 1, 20, 12))
    // 2024-02-01 12:00 UTC is 13:00 CET; 90 days on is 2024-05-01 13:00 CEST = 11:00 UTC.
    try h.order(ann, at: utc(2024, 2, 1, 12))
    try h.order(other, at: utc(2024, 2, 1, 12))
    try h.drain(until: utc(2024, 2, 1, 12))
    #expect(
      try h.timers(member: ann) == [.init(kind: "segments", key: "", dueAt: utc(2024, 5, 1, 11))])

    // A new order moves the timer: 2024-03-01 13:00 CET + 90d = 2024-05-30 13:00 CEST.
    try h.order(ann, at: utc(2024, 3, 1, 12))
    try h.drain(until: utc(2024, 3, 1, 12))
    #expect(
      try h.timers(member: ann) == [.init(kind: "segments", key: "", dueAt: utc(2024, 5, 30, 11))])
    // The other member's timer is untouched.
    #expect(
      try h.timers(member: other) == [.init(kind: "segments", key: "", dueAt: utc(2024, 5, 1, 11))])

    try h.drain(until: utc(2024, 5, 30, 10, 59, 59))
    #expect(try h.instances(member: ann).isEmpty)
    #expect(try h.segmentEnteredAt(member: ann, segment: "lapsing") == nil)
    #expect(try h.instances(member: other).map(\.enteredAt) == [utc(2024, 5, 1, 11)])

    try h.drain(until: utc(2024, 12, 31))
    #expect(try h.instances(member: ann).map(\.enteredAt) == [utc(2024, 5, 30, 11)])
    #expect(try h.segmentEnteredAt(member: ann, segment: "lapsing") == utc(2024, 5, 30, 11))
    // Nothing left that time alone could change.
    #expect(try h.timers(member: ann).isEmpty)
  }

  @Test func orderAtTheSameInstantAsTheLapseComesAfterTheTimer() throws {
    let h = try Harness(
      """
      segment lapsing = member.order_count >= 1 and member.last_order_at before 90d ago
      flow winback {
        trigger enters segment lapsing
        exit when event order_placed
        send come_back { template "t" subject "We miss you" }
        wait 30d
        send reminder { template "t" subject "Still there?" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0 - 1)
    try h.order(ann, at: t0)
    try h.order(ann, at: t0 + 90 * day)
    try h.drain(until: t0 + 200 * day)
    let instance = try #require(try h.instances(member: ann).first)
    #expect(instance.enteredAt == t0 + 90 * day)
    #expect(instance.status == "exited")
    #expect(try h.log(member: ann).map(\.outcome) == ["entered", "sent", "entered", "exited"])
    #expect(try h.log(member: ann).last?.step == "wait_1")
    #expect(try h.log(member: ann).last?.at == t0 + 90 * day)
    // The order restarted the clock: lapsing again 90 days later, but `reentry never`.
    #expect(try h.segmentEnteredAt(member: ann, segment: "lapsing") == t0 + 180 * day)
    #expect(try h.instances(member: ann).count == 1)
  }

  @Test func enteringTheSegmentTriggersOncePerEntry() throws {
    let h = try Harness(
      """
      segment vip = member.total_spent >= 500 USD and member.order_count >= 3
      flow vip_upgrade {
        trigger enters segment vip
        reentry after 1d
        send welcome_vip { template "t" subject "VIP" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.order(ann, at: t0 + 1, amount: "100.00")
    try h.order(ann, at: t0 + 2, amount: "100.00")
    try h.order(ann, at: t0 + 3, amount: "299.99")  // 3 orders, 499.99
    try h.order(ann, at: t0 + 4, amount: "0.01")  // 500.00: enters
    try h.order(ann, at: t0 + 5 * day, amount: "10.00")  // still in: no new entry
    try h.drain(until: t0 + 10 * day)
    #expect(try h.instances(member: ann).map(\.enteredAt) == [t0 + 4])
    #expect(try h.segmentEnteredAt(member: ann, segment: "vip") == t0 + 4)
  }

  @Test func ordersInAnotherCurrencyDoNotCountTowardsSpend() throws {
    let h = try Harness(
      """
      segment vip = member.total_spent >= 500 USD and member.order_count >= 3
      flow vip_upgrade {
        trigger enters segment vip
        send welcome_vip { template "t" subject "VIP" }
      }
      """)
    let eur = try h.join("eur@example.com", at: t0)
    for i in 1...4 { try h.order(eur, at: t0 + Int64(i), amount: "400.00", currency: "EUR") }
    try h.drain(until: t0 + day)
    #expect(try h.instances(member: eur).isEmpty)
    #expect(try h.store.aggregates(memberID: eur).totalSpentCents == 160_000)
    #expect(try h.store.aggregates(memberID: eur).currency == "EUR")
  }

  // MARK: Tags

  @Test func tagsFollowTheirPredicates() throws {
    let h = try Harness(
      """
      tag "buyer:repeat" when member.order_count >= 2
      tag "prospect" when member.order_count == 0
      tag "recent" when member.last_order_at within 30d
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.drain(until: t0)
    #expect(try h.store.tags(memberID: ann) == ["prospect"])

    try h.order(ann, at: t0 + day)
    try h.drain(until: t0 + day)
    #expect(try h.store.tags(memberID: ann) == ["recent"])

    try h.order(ann, at: t0 + 2 * day)
    try h.drain(until: t0 + 2 * day)
    #expect(try h.store.tags(memberID: ann) == ["buyer:repeat", "recent"])
    #expect(try h.timers(member: ann) == [.init(kind: "segments", key: "", dueAt: t0 + 32 * day)])

    // "recent" goes exactly 30 days after the last order, by its timer alone.
    try h.drain(until: t0 + 32 * day - 1)
    #expect(try h.store.tags(memberID: ann) == ["buyer:repeat", "recent"])
    try h.drain(until: t0 + 32 * day)
    #expect(try h.store.tags(memberID: ann) == ["buyer:repeat"])
    #expect(try h.timers(member: ann).isEmpty)
  }

  @Test func tagsCanUseSegmentsAndHas() throws {
    let h = try Harness(
      """
      segment big = member.total_spent >= 100 USD
      tag "tier:big" when big
      tag "big-and-repeat" when member.tags has "tier:big" and member.order_count >= 2
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.order(ann, at: t0 + 1, amount: "150.00")
    try h.order(ann, at: t0 + 2, amount: "1.00")
    try h.drain(until: t0 + day)
    #expect(try h.store.tags(memberID: ann) == ["tier:big", "big-and-repeat"])
    #expect(try h.store.segments(memberID: ann) == ["big"])
  }

  // MARK: Split

  /// FNV-1a over "instance:step", reduced to 0..<100: written here independently of the product.
  private func roll(instance: Int64, step: String) -> Int {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in Array("\(instance):\(step)".utf8) {
      hash ^= UInt64(byte)
      hash = hash &* 1_099_511_628_211
    }
    return Int(hash % 100)
  }

  private func runSplit() throws -> [String: String] {
    let h = try Harness(
      """
      flow ab {
        trigger member_joined
        split 30% { send a { template "t" subject "A" } } else { send b { template "t" subject "B" } }
      }
      """)
    for i in 0..<60 { try h.join("m\(i)@example.com", at: t0 + Int64(i) * 60) }
    try h.drain(until: t0 + day)
    var arms: [String: String] = [:]
    for row in try h.outbox() { arms[row.recipient] = row.step }
    // Every instance's arm is the one the hash names.
    for i in 1...60 {
      let instance = try #require(try h.instances(member: Int64(i)).first)
      let expected = roll(instance: instance.id, step: "split_1") < 30 ? "a" : "b"
      #expect(arms["m\(i - 1)@example.com"] == expected, "member \(i)")
    }
    return arms
  }

  @Test func splitAssignmentIsStableAcrossRuns() throws {
    let first = try runSplit()
    let second = try runSplit()
    #expect(first.count == 60)
    #expect(first == second)
    let a = first.values.filter { $0 == "a" }.count
    #expect(a > 0 && a < 60)
  }

  @Test func pickFollowsWeightsInOrder() {
    let arms = [SplitArm(percent: 30, target: "a"), SplitArm(percent: 70, target: "b")]
    for id in Int64(1)...200 {
      let expected = roll(instance: id, step: "split_1") < 30 ? "a" : "b"
      #expect(FlowEngine.pick(arms, instanceID: id, step: "split_1") == expected)
    }
  }

  // MARK: Quiet hours

  @Test func quietHoursHoldASendUntilEightLocal() throws {
    let h = try Harness(
      """
      flow f {
        trigger member_joined
        quiet hours 21:00-08:00 local
        send a { template "t" subject "A" }
      }
      """)
    // 2024-01-10 23:30 EST is 2024-01-11 04:30 UTC; the window ends at 08:00 EST = 13:00 UTC.
    let late = try h.join(
      "late@example.com", at: utc(2024, 1, 11, 4, 30), timezone: "America/New_York")
    // 12:00 EST: sent at once.
    let noon = try h.join(
      "noon@example.com", at: utc(2024, 1, 11, 17), timezone: "America/New_York")
    try h.drain(until: utc(2024, 1, 11, 12, 59, 59))
    #expect(try h.log(member: late).map(\.outcome) == ["entered"])
    #expect(try h.instances(member: late).first?.step == "a")
    #expect(try h.timers(member: late).map(\.dueAt) == [utc(2024, 1, 11, 13)])
    try h.drain(until: utc(2024, 1, 12))
    #expect(try h.log(member: late).map(\.outcome) == ["entered", "sent"])
    #expect(try h.log(member: late).map(\.at) == [utc(2024, 1, 11, 4, 30), utc(2024, 1, 11, 13)])
    #expect(try h.log(member: noon).map(\.at) == [utc(2024, 1, 11, 17), utc(2024, 1, 11, 17)])
    #expect(
      try h.outbox().map { "\($0.recipient)@\($0.createdAt)" } == [
        "late@example.com@\(utc(2024, 1, 11, 13))", "noon@example.com@\(utc(2024, 1, 11, 17))",
      ])
  }

  @Test func quietHoursUseTheShopZoneForMembersWithoutOne() throws {
    let h = try Harness(
      """
      flow f {
        trigger member_joined
        quiet hours 21:00-08:00 local
        send a { template "t" subject "A" }
      }
      """, shopZone: "Europe/Berlin")
    // 2024-07-01 22:00 CEST (20:00 UTC) -> 2024-07-02 08:00 CEST (06:00 UTC).
    let ann = try h.join("ann@example.com", at: utc(2024, 7, 1, 20))
    try h.drain(until: utc(2024, 7, 3))
    #expect(try h.log(member: ann).map(\.at) == [utc(2024, 7, 1, 20), utc(2024, 7, 2, 6)])
  }

  // MARK: Anniversaries

  @Test func birthdayFiresYearlyAtNineLocalAndFeb29OnFeb28() throws {
    let h = try Harness(
      """
      field birthday: date?
      flow birthday {
        trigger on member.birthday at 09:00 local
        send card { template "t" subject "Happy birthday" }
      }
      """)
    let leap = try h.join(
      "leap@example.com", at: utc(2024, 6, 1), timezone: "Europe/Berlin",
      fields: "{\"birthday\":\"1992-02-29\"}")
    let summer = try h.join(
      "summer@example.com", at: utc(2024, 6, 1), timezone: "America/New_York",
      fields: "{\"birthday\":\"1985-07-15\"}")
    let none = try h.join("none@example.com", at: utc(2024, 6, 1))
    try h.drain(until: utc(2029, 12, 31))

    // 09:00 CET is 08:00 UTC.
    #expect(
      try h.instances(member: leap).map(\.enteredAt) == [
        utc(2025, 2, 28, 8), utc(2026, 2, 28, 8), utc(2027, 2, 28, 8), utc(2028, 2, 29, 8),
        utc(2029, 2, 28, 8),
      ])
    // 09:00 EDT is 13:00 UTC.
    #expect(
      try h.instances(member: summer).map(\.enteredAt) == (2024...2029).map { utc($0, 7, 15, 13) })
    #expect(try h.instances(member: none).isEmpty)
    #expect(try h.outbox().filter { $0.recipient == "leap@example.com" }.count == 5)
    // The next one is already scheduled.
    #expect(
      try h.timers(member: leap) == [
        .init(kind: "anniversary", key: "birthday", dueAt: utc(2030, 2, 28, 8))
      ])
  }
}
