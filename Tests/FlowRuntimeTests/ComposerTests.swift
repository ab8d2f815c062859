import FlowIR
import Foundation
import MemberStore
import Templates
import Testing

@testable import FlowRuntime

@Suite struct ComposerTests {
  private static let source = """
    flow welcome {
      trigger member_joined
      send hello { template "welcome" subject "Welcome, {{ member.first_name | default: 'friend' }}" }
    }
    """
  private static let templates = [
    "welcome.html.liquid":
      "<p>Joined {{ member.joined_at }}, {{ member.order_count }} orders, {{ shop.name }}, {{ flow.name }}.{{ flow.step }}</p>",
    "welcome.txt.liquid": "Joined {{ member.joined_at }}",
  ]

  private func run() throws -> [String] {
    let h = try Harness(Self.source, templates: Self.templates)
    let joined = utc(1997, 1, 1, 11, 59, 59)
    let id = try h.store.createMember(
      MemberRecord(id: 0, email: "ann@example.com", firstName: "Ann", joinedAt: joined),
      createdAt: joined)
    try h.store.recordConsent(
      memberID: id, channel: "email", status: ConsentStatus.optedIn, source: "test",
      occurredAt: joined, recordedAt: joined, evidence: nil)
    _ = try h.store.appendEvent(
      memberID: id, name: "member_joined", occurredAt: joined, payload: "{}", externalID: nil)
    try h.drain(until: joined + day)
    return try h.store.pendingOutbox(limit: 10).map { String(decoding: $0.message, as: UTF8.self) }
  }

  @Test func messageCarriesRenderedSubjectBodyAndFlowHeaders() throws {
    let messages = try run()
    let message = try #require(messages.first)
    #expect(messages.count == 1)
    #expect(message.contains("Subject: Welcome, Ann\r\n"))
    #expect(message.contains("X-Flow: welcome\r\n"))
    #expect(message.contains("X-Flow-Step: hello\r\n"))
    #expect(message.contains("To: Ann <ann@example.com>\r\n"))
    #expect(message.contains("Joined 1997-01-01T11:59:59Z, 0 orders, Test Shop, welcome.hello"))
    #expect(message.contains("https://shop.example.com/u/tok.u.1"))
  }

  @Test func triggerMoneyIsInCentsLikeMemberMoney() throws {
    let h = try Harness(
      """
      event cart_abandoned { cart_id: string, value: money, items: list<item> }
      flow cart {
        trigger event cart_abandoned
        send reminder { template "cart" subject "{{ trigger.value | money }} left behind" }
      }
      """,
      templates: [
        "cart.html.liquid":
          "{% for item in trigger.items %}{{ item.title }}: {{ item.price | money }};{% endfor %}"
      ])
    let ann = try h.join("ann@example.com", at: utc(2024, 1, 1))
    try h.event(
      ann, "cart_abandoned", at: utc(2024, 1, 1, 1),
      payload: #"""
        {"cart_id": "c1", "value": {"amount": "42.50", "currency": "USD"},
         "items": [{"product_id": "p1", "title": "Boots", "quantity": 1,
                    "price": {"amount": "42.50", "currency": "USD"}}]}
        """#)
    try h.drain(until: utc(2024, 1, 2))
    let message = String(
      decoding: try #require(try h.store.pendingOutbox(limit: 1).first).message, as: UTF8.self)
    #expect(message.contains("Subject: $42.50 left behind\r\n"))
    #expect(message.contains("Boots: $42.50;"))
  }

  @Test func strictVariablesFailTheSendWithTheReason() throws {
    for strict in [false, true] {
      let h = try Harness(
        """
        flow welcome {
          trigger member_joined
          send hello { template "t" subject "Hi" }
        }
        """, templates: ["t.html.liquid": "<p>{{ member.nickname }}</p>"], strictVariables: strict)
      let ann = try h.join("ann@example.com", at: utc(2024, 1, 1))
      try h.drain(until: utc(2024, 1, 2))
      let outcomes = try h.log(member: ann).filter { $0.step == "hello" }.map(\.outcome)
      #expect(outcomes == ["entered", strict ? "skipped" : "sent"])
      if strict {
        let reason = try h.log(member: ann).last?.reason ?? ""
        #expect(reason.hasPrefix("render failed: "), "\(reason)")
        #expect(reason.contains("nickname"), "\(reason)")
      }
    }
  }

  @Test func rerunBuildsTheSameBytes() throws {
    #expect(try run() == run())
  }

  @Test func timestampsFormatAsUTCIncludingBeforeTheEpoch() {
    #expect(TemplateValue.iso8601(0) == "1970-01-01T00:00:00Z")
    #expect(TemplateValue.iso8601(-1) == "1969-12-31T23:59:59Z")
    #expect(TemplateValue.iso8601(-86_400) == "1969-12-31T00:00:00Z")
    #expect(TemplateValue.iso8601(852_119_999) == "1997-01-01T11:59:59Z")
    #expect(TemplateValue.iso8601(951_782_400) == "2000-02-29T00:00:00Z")
    #expect(TemplateValue.iso8601(253_402_300_799) == "9999-12-31T23:59:59Z")
  }
}
