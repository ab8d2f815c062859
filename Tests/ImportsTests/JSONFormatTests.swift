import FlowIR
import Foundation
import Identity
import Testing

@testable import Imports

@Suite("Webhook JSON formats")
struct JSONFormatTests {
  func member(_ record: ImportRecord) throws -> MemberInput {
    guard case .member(let member) = record else { throw RowError("not a member") }
    return member
  }

  func order(_ record: ImportRecord) throws -> OrderInput {
    guard case .order(let order) = record else { throw RowError("not an order") }
    return order
  }

  @Test("customers/create (2025-01 and later) says nothing about consent, so none is recorded")
  func customerCreate() throws {
    let alice = try member(
      ShopifyCustomerJSON(currency: "USD").record(
        jsonFixture("shopify_webhook_customers_create.json")))
    #expect(alice.externalIDs == ["shopify:7000000000001"])
    #expect(alice.email == "alice@example.com" && alice.phone == "+15555550101")
    #expect(alice.joinedAt == 1_740_928_500)
    #expect(alice.consent == [])
    #expect(alice.tags == [])
    #expect(alice.orderSummary == nil)
  }

  @Test("legacy customers/create: accepts_marketing, tags and totals")
  func customerCreateLegacy() throws {
    let bob = try member(
      ShopifyCustomerJSON(currency: "USD").record(
        jsonFixture("shopify_webhook_customers_create_legacy.json")))
    #expect(bob.externalIDs == ["shopify:7000000000002"])
    #expect(bob.phone == nil)
    #expect(bob.tags == ["newsletter", "signup-form"])
    #expect(
      bob.consent == [
        ConsentInput(
          channel: "email", status: "opted_in", occurredAt: 1_622_552_400,
          evidence: "Shopify accepts_marketing (single_opt_in)")
      ])
    #expect(
      bob.orderSummary
        == OrderSummary(
          orderCount: 0, totalSpent: Money(cents: 0, currency: "USD"), asOf: 1_622_552_400))
  }

  @Test("consent update and consent states, confirmed opt-in included")
  func consentUpdate() throws {
    let update = try member(
      ShopifyCustomerJSON(currency: "USD").record(
        jsonFixture("shopify_webhook_customers_email_marketing_consent_update.json")))
    #expect(update.externalIDs == ["shopify:7000000000001"])
    #expect(update.email == "alice@example.com")
    #expect(
      update.consent == [
        ConsentInput(
          channel: "email", status: "opted_in", occurredAt: 1_740_928_503,
          evidence: "Shopify email_marketing_consent (single_opt_in)")
      ])
    func status(_ state: String, _ level: String?) throws -> String? {
      var consent: [String: Any] = ["state": state]
      consent["opt_in_level"] = level
      return try ShopifyCustomerJSON.consent(
        ["email_marketing_consent": consent], channel: "email", key: "email_marketing_consent"
      ).first?.status
    }
    #expect(try status("subscribed", "confirmed_opt_in") == "confirmed")
    #expect(try status("unsubscribed", nil) == "unsubscribed")
    #expect(try status("not_subscribed", nil) == "not_subscribed")
    #expect(try status("pending", "confirmed_opt_in") == "pending")
    #expect(throws: RowError("unknown email_marketing_consent state 'redacted'")) {
      try status("redacted", nil)
    }
  }

  @Test("purchasing summary: the gid names the Shopify customer; 6 orders, 480.68 USD")
  func purchasingSummary() throws {
    let summary = try member(
      ShopifyCustomerJSON(currency: "USD").record(
        jsonFixture("shopify_webhook_customers_purchasing_summary.json")))
    #expect(summary.externalIDs == ["shopify:7000000000001"])
    #expect(
      summary.orderSummary
        == OrderSummary(
          orderCount: 6, totalSpent: Money(cents: 48068, currency: "USD"), asOf: 1_740_928_811))
  }

  @Test("orders/create: order #1006, 68.18 USD in shop money, items, cart and codes")
  func shopifyOrder() throws {
    let order = try order(
      ShopifyOrderJSON().record(jsonFixture("shopify_webhook_orders_create.json")))
    #expect(order.externalID == "shopify:order:9000000000001")
    #expect(order.customer.externalIDs == ["shopify:7000000000001"])
    #expect(order.customer.email == "alice@example.com")
    #expect(order.placedAt == 1_740_928_811)
    #expect(order.total == Money(cents: 6818, currency: "USD"))
    #expect(order.presentmentTotal == nil)
    #expect(
      order.items == [
        OrderItem(
          productID: "9200000000001", title: "Organic Cotton Tee",
          price: Money(cents: 2500, currency: "USD"), quantity: 2),
        OrderItem(
          productID: "9200000000002", title: "Canvas Tote",
          price: Money(cents: 1500, currency: "USD"),
          quantity: 1),
      ])
    #expect(order.cartID == "c1a2r3t4t5o6k7e8n9")
    #expect(order.discountCodes == ["WELCOME10"])
    #expect(order.buyerAcceptsMarketing == true)
  }

  @Test("orders/create in another presentment currency keeps both totals")
  func shopifyOrderPresentment() throws {
    var body = try jsonFixture("shopify_webhook_orders_create.json")
    body["total_price_set"] = [
      "shop_money": ["amount": "68.18", "currency_code": "USD"],
      "presentment_money": ["amount": "62.40", "currency_code": "EUR"],
    ]
    let order = try order(ShopifyOrderJSON().record(body))
    #expect(order.total == Money(cents: 6818, currency: "USD"))
    #expect(order.presentmentTotal == Money(cents: 6240, currency: "EUR"))
  }

  @Test("WooCommerce order.created: _gmt date as UTC, number prices, coupons, the user id")
  func wooOrder() throws {
    let body = try jsonFixture("woocommerce_webhook_order_created.json")
    let order = try order(WooCommerceOrderJSON().record(body))
    #expect(order.externalID == "woo:order:1006")
    #expect(order.customer.externalIDs == ["woo:42"])
    #expect(order.customer.email == "alice@example.com")
    #expect(order.customer.firstName == "Alice")
    #expect(order.placedAt == 1_740_932_411)
    #expect(order.total == Money(cents: 6818, currency: "USD"))
    #expect(order.items.map(\.productID) == ["301", "303"])
    #expect(order.items.map(\.price.cents) == [2250, 1350])
    #expect(order.items.first?.title == "Organic Cotton Tee - M")
    #expect(order.discountCodes == ["welcome10"])
    #expect(order.cartID == "00000000000000000000000000000000")
  }

  @Test("WooCommerce guest orders (customer_id 0) are known by billing email only")
  func wooGuest() throws {
    var body = try jsonFixture("woocommerce_webhook_order_created.json")
    body["customer_id"] = 0
    let guest = try order(WooCommerceOrderJSON().record(body))
    #expect(guest.customer.externalIDs == [])
    #expect(guest.customer.email == "alice@example.com")
    var billing = body["billing"] as! [String: Any]
    billing["email"] = NSNull()
    body["billing"] = billing
    #expect(throws: RowError("guest order (customer_id 0) without a billing email")) {
      try WooCommerceOrderJSON().record(body)
    }
  }

  @Test("JSON Lines: each object has its line; a bad line is an error with its bytes")
  func jsonLines() throws {
    let path = try temporaryFile(
      "{\"customer_id\": 1, \"email_address\": \"a@example.com\"}\n\n{oops\n"
        + "{\"id\": 2, \"email\": \"b@example.com\", \"created_at\": \"yesterday\"}\n",
      name: "bodies.jsonl")
    let source = try JSONSource(path: path, format: ShopifyCustomerJSON(currency: "USD"))
    let first = try #require(try source.next())
    #expect(first.line == 1)
    #expect(try member(first.record).externalIDs == ["shopify:1"])
    #expect(throws: LineError.self) { try source.next() }
    #expect(String(decoding: source.lastRaw, as: UTF8.self) == "{oops\n")
    do {
      _ = try source.next()
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 4)
      #expect(error.reason == "created_at 'yesterday' is not an ISO 8601 time")
    }
    #expect(try source.next() == nil)
  }

  @Test("an array of bodies: a bad one is named by its position")
  func jsonArray() throws {
    let path = try temporaryFile(
      "\u{FEFF}[{\"customer_id\": 1}, {\"customer_id\": 2, \"email_marketing_consent\": {}}]",
      name: "bodies.json")
    let source = try JSONSource(path: path, format: ShopifyCustomerJSON(currency: "USD"))
    #expect(try source.next()?.line == 1)
    do {
      _ = try source.next()
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 1)
      #expect(error.reason == "array item 2: email_marketing_consent has no state")
      #expect(
        String(decoding: error.raw, as: UTF8.self)
          == "{\"customer_id\":2,\"email_marketing_consent\":{}}\n")
    }
  }
}
