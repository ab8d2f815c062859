import FlowIR
import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

/// `wait for event`, `wait until` and frequency caps, run on the real engine.
@Suite struct WaitForEventTests {
  private let t0 = utc(2024, 1, 10, 12)

  private static let cartFlow = """
    event cart_abandoned { cart_id: string }
    flow abandoned_cart {
      trigger event cart_abandoned
      send cart_reminder { template "t" subject "You left something behind" }
      wait for event email_clicked up to 2d else {
        send cart_offer { template "t" subject "10% off" }
      }
      send cart_last_call { template "t" subject "Last call" }
    }
    """

  @Test func theEventArrivingInTimeSkipsTheElseArm() throws {
    let h = try Harness(Self.cartFlow)
    let ann = try h.join("ann@example.com", at: t0)
    try h.event(ann, "cart_abandoned", at: t0 + 60, payload: #"{"cart_id":"c1"}"#)
    try h.event(ann, "email_clicked", at: t0 + day, payload: #"{"url":"https://x"}"#)
    try h.drain(until: t0 + 10 * day)
    #expect(try h.outbox().map(\.step) == ["cart_reminder", "cart_last_call"])
    #expect(try h.outbox().map(\.createdAt) == [t0 + 60, t0 + day])
    #expect(try h.timers(member: ann).isEmpty)
    #expect(try h.instances(member: ann).map(\.status) == ["completed"])
  }

  @Test func withoutTheEventTheElseArmRunsAtTheTimeout() throws {
    let h = try Harness(Self.cartFlow)
    let ann = try h.join("ann@example.com", at: t0)
    try h.event(ann, "cart_abandoned", at: t0, payload: #"{"cart_id":"c1"}"#)
    try h.drain(until: t0 + 10 * day)
    #expect(try h.outbox().map(\.step) == ["cart_reminder", "cart_offer", "cart_last_call"])
    #expect(try h.outbox().map(\.createdAt) == [t0, t0 + 2 * day, t0 + 2 * day])
    // A click after the timeout changes nothing.
    try h.event(ann, "email_clicked", at: t0 + 3 * day, payload: #"{"url":"https://x"}"#)
    try h.drain(until: t0 + 10 * day)
    #expect(try h.outbox().count == 3)
  }

  @Test func theWhereConditionSeesTheEventAndTheTrigger() throws {
    let h = try Harness(
      """
      event cart_abandoned { cart_id: string }
      event cart_recovered { cart_id: string }
      flow abandoned_cart {
        trigger event cart_abandoned
        wait for event cart_recovered where event.cart_id == trigger.cart_id up to 1d else {
          send cart_offer { template "t" subject "Still there?" }
        }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    let bob = try h.join("bob@example.com", at: t0)
    try h.event(ann, "cart_abandoned", at: t0, payload: #"{"cart_id":"a"}"#)
    try h.event(bob, "cart_abandoned", at: t0, payload: #"{"cart_id":"b"}"#)
    try h.event(ann, "cart_recovered", at: t0 + 3600, payload: #"{"cart_id":"a"}"#)
    try h.event(bob, "cart_recovered", at: t0 + 3600, payload: #"{"cart_id":"other"}"#)
    try h.drain(until: t0 + 5 * day)
    #expect(try h.outbox().map(\.recipient) == ["bob@example.com"])
  }

  @Test func anExitRuleWinsOverTheWait() throws {
    let h = try Harness(
      """
      event cart_abandoned { cart_id: string }
      flow abandoned_cart {
        trigger event cart_abandoned
        exit when event order_placed
        wait for event order_placed up to 1d
        send thanks { template "t" subject "Thanks" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.event(ann, "cart_abandoned", at: t0, payload: #"{"cart_id":"a"}"#)
    try h.order(ann, at: t0 + 60)
    try h.drain(until: t0 + 5 * day)
    #expect(try h.outbox().isEmpty)
    #expect(try h.instances(member: ann).map(\.endReason) == ["exit when event order_placed"])
  }
}

@Suite struct WaitUntilTests {
  @Test func waitsForTheNextLocalTimeOfDay() throws {
    let h = try Harness(
      """
      flow morning {
        trigger member_joined
        wait until 09:00 local
        send hello { template "t" subject "Good morning" }
      }
      """, shopZone: "Europe/Berlin")
    // Joins 2024-03-30 22:00 UTC = 23:00 CET; the next 09:00 is on 2024-03-31,
    // after the switch to CEST, so 07:00 UTC.
    try h.join("ann@example.com", at: utc(2024, 3, 30, 22))
    try h.drain(until: utc(2024, 4, 10))
    #expect(try h.outbox().map(\.createdAt) == [utc(2024, 3, 31, 7)])
  }

  @Test func aDayThatAlreadyQualifiesContinuesAtOnce() throws {
    let h = try Harness(
      """
      flow weekdays {
        trigger member_joined
        wait until weekday
        send hello { template "t" subject "Hi" }
      }
      """)
    // 2024-01-10 is a Wednesday; 2024-01-13 a Saturday (next weekday: Monday the 15th).
    try h.join("wed@example.com", at: utc(2024, 1, 10, 12))
    try h.join("sat@example.com", at: utc(2024, 1, 13, 12))
    try h.drain(until: utc(2024, 2, 1))
    #expect(
      try h.outbox().map { "\($0.recipient) \($0.createdAt)" } == [
        "wed@example.com \(utc(2024, 1, 10, 12))", "sat@example.com \(utc(2024, 1, 15))",
      ])
  }

  @Test func dayAndTimeTogetherInTheMembersZone() throws {
    let h = try Harness(
      """
      flow monday {
        trigger member_joined
        wait until monday 10:30 local
        send hello { template "t" subject "Hi" }
      }
      """)
    // Monday 2024-01-15 11:00 in New York (16:00 UTC): 10:30 has passed, so
    // the next Monday, 2024-01-22 10:30 EST = 15:30 UTC.
    try h.join("ny@example.com", at: utc(2024, 1, 15, 16), timezone: "America/New_York")
    try h.drain(until: utc(2024, 2, 1))
    #expect(try h.outbox().map(\.createdAt) == [utc(2024, 1, 22, 15, 30)])
  }
}

@Suite struct FrequencyLimitTests {
  private let t0 = utc(2024, 1, 10, 12)

  private static func program(flowLimit: String) -> String {
    """
    limit 1 email per 7d
    flow a {
      trigger member_joined
      send a1 { template "t" subject "a1" }
      wait 1d
      send a2 { template "t" subject "a2" }
      wait 1d
      send a3 { template "t" subject "a3" }
      wait 7d
      send a4 { template "t" subject "a4" }
    }
    flow b {
      trigger member_joined
      \(flowLimit)
      wait 1h
      send b1 { template "t" subject "b1" }
      wait 1h
      send b2 { template "t" subject "b2" }
    }
    """
  }

  @Test func aCappedSendIsSkippedAndRecordedAndTheFlowGoesOn() throws {
    let h = try Harness(Self.program(flowLimit: ""))
    let ann = try h.join("ann@example.com", at: t0)
    try h.drain(until: t0 + 30 * day)
    // a1 (t0) fills the week; a4 comes 9 days after entry, when the window
    // (the last 7 days) holds nothing.
    #expect(try h.outbox().map(\.step) == ["a1", "a4"])
    let skipped = try h.log(member: ann).filter { $0.outcome == "skipped" }
    #expect(skipped.map(\.step) == ["b1", "b2", "a2", "a3"])
    #expect(Set(skipped.map(\.reason)) == ["frequency cap: 1 email per 7d"])
    #expect(try h.instances(member: ann).map(\.status) == ["completed", "completed"])
  }

  @Test func aFlowMayLiftTheProgramsLimit() throws {
    let h = try Harness(Self.program(flowLimit: "limit none"))
    try h.join("ann@example.com", at: t0)
    try h.drain(until: t0 + 30 * day)
    // b is uncapped, but its sends still count against flow a's cap.
    #expect(try h.outbox().map(\.step) == ["a1", "b1", "b2", "a4"])
  }

  @Test func aFlowMayReplaceTheProgramsLimit() throws {
    let h = try Harness(Self.program(flowLimit: "limit 2 emails per 1d"))
    try h.join("ann@example.com", at: t0)
    try h.drain(until: t0 + 30 * day)
    // b1 sees one email (a1) in the last day; b2 sees two.
    #expect(try h.outbox().map(\.step) == ["a1", "b1", "a4"])
  }
}
