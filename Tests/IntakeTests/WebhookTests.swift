import Foundation
import HTTPTypes
import Testing

@Suite("Signed store webhooks")
struct WebhookTests {
  @Test("Alice's Shopify order #1006 becomes one 68.18 USD order for her member")
  func shopifyOrder() throws {
    let harness = try Harness()
    let response = harness.send(
      try delivery("shopify_webhook_orders_create.json", path: "/v1/webhooks/shopify"))
    #expect(response.status == 200)
    let memberID = Int64(try #require(response.json["member_id"] as? Int))
    #expect(try harness.store.memberID(identity: "shopify", value: "7000000000001") == memberID)
    #expect(try harness.store.member(id: memberID)?.email == "alice@example.com")
    let orders = try harness.store.orders(memberID: memberID)
    #expect(orders.count == 1)
    #expect(orders.first?.externalID == "shopify:order:9000000000001")
    #expect(orders.first?.totalCents == 6818 && orders.first?.currency == "USD")
    #expect(harness.rowCounts()["orders"] == 1)
  }

  @Test("a redelivered order changes nothing")
  func redelivery() throws {
    let harness = try Harness()
    let request = try delivery("shopify_webhook_orders_create.json", path: "/v1/webhooks/shopify")
    _ = harness.send(request)
    let counts = harness.rowCounts()
    let again = harness.send(request)
    #expect(again.status == 200)
    #expect(again.json["order"] as? String == "already stored")
    #expect(harness.rowCounts() == counts)
  }

  @Test("the three Shopify customer topics all land on Alice")
  func shopifyCustomers() throws {
    let harness = try Harness()
    var members: [Int] = []
    for file in [
      "shopify_webhook_customers_create.json",
      "shopify_webhook_customers_email_marketing_consent_update.json",
      "shopify_webhook_customers_purchasing_summary.json",
    ] {
      let response = harness.send(try delivery(file, path: "/v1/webhooks/shopify"))
      #expect(response.status == 200, "\(file): \(response.json)")
      members.append(try #require(response.json["member_id"] as? Int))
    }
    #expect(Set(members).count == 1)
    #expect(harness.rowCounts()["members"] == 1)
    let memberID = Int64(members[0])
    #expect(
      try harness.store.consentStatus(memberID: memberID, channel: "email", at: testNow) != nil)
    #expect(harness.rowCounts()["order_summaries"] == 1)
  }

  @Test("a repeated delivery of each customer topic changes nothing")
  func customerRedelivery() throws {
    let harness = try Harness()
    let files = [
      "shopify_webhook_customers_create.json",
      "shopify_webhook_customers_create_legacy.json",
      "shopify_webhook_customers_email_marketing_consent_update.json",
      "shopify_webhook_customers_purchasing_summary.json",
    ]
    for file in files {
      _ = harness.send(try delivery(file, path: "/v1/webhooks/shopify"))
    }
    let counts = harness.rowCounts()
    for file in files {
      let again = harness.send(try delivery(file, path: "/v1/webhooks/shopify"))
      #expect(again.status == 200)
    }
    #expect(harness.rowCounts() == counts)
    #expect(counts["members"] == 2 && counts["consent_records"] == 2)
  }

  @Test("a WooCommerce order.created with its real signature stores the order")
  func wooCommerceOrder() throws {
    let harness = try Harness()
    let response = harness.send(
      try delivery("woocommerce_webhook_order_created.json", path: "/v1/webhooks/woocommerce"))
    #expect(response.status == 200)
    let memberID = Int64(try #require(response.json["member_id"] as? Int))
    #expect(try harness.store.memberID(identity: "woo", value: "42") == memberID)
    let orders = try harness.store.orders(memberID: memberID)
    #expect(orders.map(\.externalID) == ["woo:order:1006"])
    #expect(orders.first?.totalCents == 6818)
  }

  @Test(
    "a body changed by one byte, a missing or wrong signature: 401 and nothing stored",
    arguments: [
      ("shopify_webhook_orders_create.json", "/v1/webhooks/shopify", "x-shopify-hmac-sha256"),
      (
        "woocommerce_webhook_order_created.json", "/v1/webhooks/woocommerce",
        "x-wc-webhook-signature"
      ),
    ])
  func badSignatures(file: String, path: String, header: String) throws {
    let harness = try Harness()
    let before = harness.rowCounts()
    let genuine = try delivery(file, path: path)

    var tampered = genuine
    let index = try #require(tampered.body.firstIndex(of: UInt8(ascii: "8")))
    tampered.body[index] = UInt8(ascii: "9")
    var unsigned = genuine
    unsigned.headers[header] = nil
    var wrong = genuine
    wrong.headers[header] = "hW5QFfEf59gNhCrh8cP2vor3+QL8F5qbbQ7GI2ZL/2U="

    for request in [tampered, unsigned, wrong] {
      let response = harness.send(request)
      #expect(response.status == 401)
      #expect(response.error == "bad signature")
    }
    #expect(harness.rowCounts() == before)
  }

  @Test("a signed body that is not JSON, or misses a field, is a 400 that stores nothing")
  func signedButMalformed() throws {
    let harness = try Harness()
    let before = harness.rowCounts()
    for (body, error) in [
      ("{not json", "the body is not valid JSON"),
      (#"{"id": 1, "currency": "USD"}"#, "missing created_at"),
    ] {
      let request = signed(body, topic: "orders/create")
      let response = harness.send(request)
      #expect(response.status == 400)
      #expect(response.error == error)
    }
    #expect(harness.rowCounts() == before)
  }

  @Test("a topic the intake does not read is acknowledged (200) and ignored")
  func ignoredTopic() throws {
    let harness = try Harness()
    let before = harness.rowCounts()
    let response = harness.send(signed(#"{"id": 1}"#, topic: "products/create"))
    #expect(response.status == 200)
    #expect(response.json["ignored"] as? String == "products/create")
    #expect(harness.rowCounts() == before)
  }

  /// A Shopify delivery of `body` signed with the fixture secret: the
  /// signature computed by the fixture's own tool is checked in `shopifyOrder`.
  private func signed(_ body: String, topic: String) -> HTTPRequest {
    HTTPRequest(
      method: "POST", path: "/v1/webhooks/shopify",
      headers: [
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": hmacBase64(Array(body.utf8)),
      ],
      body: Array(body.utf8))
  }
}
