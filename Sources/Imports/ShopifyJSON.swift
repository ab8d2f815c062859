import FlowIR
import Identity

/// What one imported row or object describes.
public enum ImportRecord: Sendable, Hashable {
  case member(MemberInput)
  case order(OrderInput)
}

/// Reads one decoded JSON object of a format.
public protocol JSONRecordFormat {
  func record(_ object: [String: Any]) throws(RowError) -> ImportRecord
}

/// Shopify customer webhook bodies, shape detected per object:
/// `customers/create` (current, and legacy with `accepts_marketing`,
/// `orders_count`, `total_spent`, `tags`), `customers_email_marketing_consent/update`
/// and `customers/purchasing_summary`. A body without consent fields records no consent.
public struct ShopifyCustomerJSON: JSONRecordFormat {
  static let source = "webhook:shopify"
  private let currency: String

  /// - Parameter currency: the shop's currency, for legacy `total_spent`.
  public init(currency: String) { self.currency = currency }

  public func record(_ object: [String: Any]) throws(RowError) -> ImportRecord {
    if object["customerId"] != nil { return .member(try purchasingSummary(object)) }
    if object["id"] == nil, object["customer_id"] != nil {
      var input = MemberInput(
        source: Self.source, email: object.text("email_address"),
        externalIDs: ["shopify:\(try object.id("customer_id"))"])
      input.consent = try Self.consent(object, channel: "email", key: "email_marketing_consent")
      input.consent += try Self.consent(object, channel: "sms", key: "sms_marketing_consent")
      return .member(input)
    }
    return .member(try customer(object, source: Self.source))
  }

  /// A `customer` object, as in `customers/create` or inside an order.
  func customer(_ object: [String: Any], source: String) throws(RowError) -> MemberInput {
    var input = MemberInput(
      source: source, email: object.text("email"),
      phone: object.text("phone") ?? object.object("default_address")?.text("phone"),
      externalIDs: ["shopify:\(try object.id("id"))"], firstName: object.text("first_name"),
      lastName: object.text("last_name"), locale: object.text("locale"),
      tags: splitTags(object.text("tags")), joinedAt: try object.time("created_at"))
    input.consent = try Self.consent(object, channel: "email", key: "email_marketing_consent")
    input.consent += try Self.consent(object, channel: "sms", key: "sms_marketing_consent")
    if input.consent.isEmpty, let accepts = object.flag("accepts_marketing") {
      let confirmed = object.text("marketing_opt_in_level") == "confirmed_opt_in"
      input.consent = [
        ConsentInput(
          channel: "email",
          status: accepts ? (confirmed ? "confirmed" : "opted_in") : "not_subscribed",
          occurredAt: try object.time("accepts_marketing_updated_at"),
          evidence: "Shopify accepts_marketing"
            + (object.text("marketing_opt_in_level").map { " (\($0))" } ?? ""))
      ]
    }
    if let count = object.text("orders_count"), object["total_spent"] != nil {
      guard let orders = Int(count), orders >= 0 else {
        throw RowError("orders_count '\(count)' is not a whole number")
      }
      let updatedAt = try object.time("updated_at")
      input.orderSummary = OrderSummary(
        orderCount: orders,
        totalSpent: try object.money("total_spent", currency: object.text("currency") ?? currency),
        asOf: updatedAt ?? input.joinedAt ?? 0)
    }
    return input
  }

  private func purchasingSummary(_ object: [String: Any]) throws(RowError) -> MemberInput {
    let gid = try object.id("customerId")
    guard let id = gid.split(separator: "/").last, id.allSatisfy(\.isNumber) else {
      throw RowError("customerId '\(gid)' is not gid://shopify/Customer/<id>")
    }
    guard let count = object.text("numberOfOrders").flatMap({ Int($0) }) else {
      throw RowError("missing numberOfOrders")
    }
    guard let spent = object.object("amountSpent"), let code = spent.text("currencyCode") else {
      throw RowError("missing amountSpent {amount, currencyCode}")
    }
    guard let asOf = try object.time("occurredAt") else { throw RowError("missing occurredAt") }
    return MemberInput(
      source: Self.source, externalIDs: ["shopify:\(id)"],
      orderSummary: OrderSummary(
        orderCount: count, totalSpent: try spent.money("amount", currency: code), asOf: asOf))
  }

  /// `{state, opt_in_level, consent_updated_at}`; none when the key is absent or null.
  static func consent(_ object: [String: Any], channel: String, key: String) throws(RowError)
    -> [ConsentInput]
  {
    guard let consent = object.object(key) else { return [] }
    guard let state = consent.text("state") else { throw RowError("\(key) has no state") }
    let level = consent.text("opt_in_level")
    let status: String
    switch state {
    case "subscribed": status = level == "confirmed_opt_in" ? "confirmed" : "opted_in"
    case "not_subscribed", "unsubscribed", "pending": status = state
    default: throw RowError("unknown \(key) state '\(state)'")
    }
    return [
      ConsentInput(
        channel: channel, status: status, occurredAt: try consent.time("consent_updated_at"),
        evidence: "Shopify \(key)" + (level.map { " (\($0))" } ?? ""))
    ]
  }
}

/// Shopify's `orders/create` body: the order in the shop's currency
/// (`total_price_set.shop_money`), the buyer's when it differs.
public struct ShopifyOrderJSON: JSONRecordFormat {
  static let source = "webhook:shopify"

  public init() {}

  public func record(_ object: [String: Any]) throws(RowError) -> ImportRecord {
    let id = try object.id("id")
    guard let placedAt = try object.time("created_at") else { throw RowError("missing created_at") }
    let prices = object.object("total_price_set")
    let total: Money
    if let shop = prices?.object("shop_money"), let code = shop.text("currency_code") {
      total = try shop.money("amount", currency: code)
    } else if let code = object.text("currency") {
      total = try object.money("total_price", currency: code)
    } else {
      throw RowError("missing total_price_set.shop_money")
    }
    var presentment: Money?
    if let buyer = prices?.object("presentment_money"), let code = buyer.text("currency_code"),
      code != total.currency
    {
      presentment = try buyer.money("amount", currency: code)
    }
    var customer: MemberInput
    if let buyer = object.object("customer") {
      customer = try ShopifyCustomerJSON(currency: total.currency).customer(
        buyer, source: Self.source)
      customer.tags = []
      customer.orderSummary = nil
      customer.email = customer.email ?? object.text("email")
      customer.phone = customer.phone ?? object.text("phone")
    } else {
      customer = MemberInput(
        source: Self.source, email: object.text("email") ?? object.text("contact_email"),
        phone: object.text("phone"))
    }
    var items: [OrderItem] = []
    for line in object.objects("line_items") {
      items.append(
        OrderItem(
          productID: line.text("product_id") ?? "", title: line.text("title") ?? "",
          price: try line.money("price", currency: total.currency),
          quantity: line.text("quantity").flatMap { Int($0) } ?? 1))
    }
    return .order(
      OrderInput(
        externalID: "shopify:order:\(id)", customer: customer, placedAt: placedAt, total: total,
        presentmentTotal: presentment, items: items, cartID: object.text("cart_token"),
        discountCodes: object.objects("discount_codes").compactMap { $0.text("code") },
        buyerAcceptsMarketing: object.flag("buyer_accepts_marketing")))
  }
}

/// WooCommerce's `order.created` body (the REST order resource). Dates are
/// the `_gmt` ones (UTC, written without a `Z`); `customer_id` 0 is a guest,
/// known only by the billing email.
public struct WooCommerceOrderJSON: JSONRecordFormat {
  static let source = "webhook:woocommerce"

  public init() {}

  public func record(_ object: [String: Any]) throws(RowError) -> ImportRecord {
    let id = try object.id("id")
    guard let placedAt = try object.time("date_created_gmt") else {
      throw RowError("missing date_created_gmt")
    }
    guard let currency = object.text("currency") else { throw RowError("missing currency") }
    let billing = object.object("billing") ?? [:]
    var customer = MemberInput(
      source: Self.source, email: billing.text("email"), phone: billing.text("phone"),
      firstName: billing.text("first_name"), lastName: billing.text("last_name"))
    if let user = object.text("customer_id"), user != "0" {
      customer.externalIDs = ["woo:\(user)"]
    } else if customer.email == nil {
      throw RowError("guest order (customer_id 0) without a billing email")
    }
    var items: [OrderItem] = []
    for line in object.objects("line_items") {
      items.append(
        OrderItem(
          productID: line.text("product_id") ?? "", title: line.text("name") ?? "",
          price: try line.money("price", currency: currency),
          quantity: line.text("quantity").flatMap { Int($0) } ?? 1))
    }
    return .order(
      OrderInput(
        externalID: "woo:order:\(id)", customer: customer, placedAt: placedAt,
        total: try object.money("total", currency: currency), items: items,
        cartID: object.text("cart_hash"),
        discountCodes: object.objects("coupon_lines").compactMap { $0.text("code") }))
  }
}
