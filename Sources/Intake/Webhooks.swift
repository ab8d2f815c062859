import HTTPTypes
import Identity
import Imports

extension IntakeRouter {
  /// Shopify webhooks: the signature is checked on the raw body before it is
  /// parsed; `X-Shopify-Topic` picks the reader. A redelivered order is
  /// stored once (orders are keyed by their Shopify id).
  func shopifyWebhook(_ request: HTTPRequest) throws(Refusal) -> HTTPResponse {
    try verify(
      request, header: "x-shopify-hmac-sha256", secret: settings.shopifyWebhookSecret)
    let topic = request.headers["x-shopify-topic"] ?? ""
    let format: any JSONRecordFormat
    switch topic {
    case "customers/create", "customers/update", "customers_email_marketing_consent/update",
      "customers/purchasing_summary":
      format = ShopifyCustomerJSON(currency: settings.currency)
    case "orders/create", "orders/paid":
      format = ShopifyOrderJSON()
    default:
      // Shopify retries anything but a 2xx, so a topic we do not read is acknowledged.
      return .json(200, ["ignored": topic])
    }
    return try store(format, request.body)
  }

  /// WooCommerce webhooks: `X-WC-Webhook-Signature`, same scheme as Shopify's.
  func wooCommerceWebhook(_ request: HTTPRequest) throws(Refusal) -> HTTPResponse {
    try verify(
      request, header: "x-wc-webhook-signature", secret: settings.wooCommerceWebhookSecret)
    let topic = request.headers["x-wc-webhook-topic"] ?? ""
    guard topic == "order.created" || topic == "order.updated" else {
      return .json(200, ["ignored": topic])
    }
    return try store(WooCommerceOrderJSON(), request.body)
  }

  private func verify(_ request: HTTPRequest, header: String, secret: String?) throws(Refusal) {
    guard let secret,
      Signatures.isValid(request.headers[header], body: request.body, secret: secret)
    else { throw Refusal(401, "bad signature") }
  }

  private func store(_ format: any JSONRecordFormat, _ body: [UInt8]) throws(Refusal)
    -> HTTPResponse
  {
    let object = try JSONBody(body).object
    let record: ImportRecord
    do {
      record = try format.record(object)
    } catch {
      throw Refusal(400, error.reason)
    }
    let now = clock()
    switch record {
    case .member(let member):
      let resolution = try write { _, resolver in try resolver.upsert(member, at: now) }
      return .json(200, ["member_id": resolution.memberID])
    case .order(let order):
      let resolution = try write { _, resolver in try resolver.addOrder(order, at: now) }
      guard let resolution else { return .json(200, ["order": "already stored"]) }
      return .json(200, ["member_id": resolution.memberID])
    }
  }
}
