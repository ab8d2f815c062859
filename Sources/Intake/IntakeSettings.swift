import FlowIR

/// What the intake endpoints need to know: who may call them, the shop's
/// currency and country, and the program's identity rules and fields.
public struct IntakeSettings: Sendable {
  /// Keys accepted by `/v1/events` and `/v1/identify` (`Authorization: Bearer` or `X-Api-Key`).
  public var apiKeys: [String]
  /// The secret Shopify signs webhooks with; nil refuses every Shopify webhook.
  public var shopifyWebhookSecret: String?
  /// The secret WooCommerce signs webhooks with; nil refuses every WooCommerce webhook.
  public var wooCommerceWebhookSecret: String?
  /// Browser origins (`https://shop.example.com`) allowed to call the API endpoints.
  public var allowedOrigins: [String]
  public var currency: String
  /// ISO 3166 code for reading phone numbers written without `+`.
  public var country: String?
  public var identity: IdentityRules
  public var fields: [FieldDecl]
  /// Bodies larger than this are refused (413) before they are read as JSON.
  public var maxBodyBytes: Int
  /// `POST /v1/subscribe` requests one IP address may make per minute (and at once).
  public var subscribeRatePerMinute: Int
  /// Addresses of reverse proxies in front of the server: for a connection
  /// from one of them, the client is the last `X-Forwarded-For` entry that
  /// is not a proxy itself.
  public var trustedProxies: Set<String> = []

  public init(
    apiKeys: [String] = [], shopifyWebhookSecret: String? = nil,
    wooCommerceWebhookSecret: String? = nil, allowedOrigins: [String] = [], currency: String,
    country: String? = nil, identity: IdentityRules = IdentityRules(), fields: [FieldDecl] = [],
    maxBodyBytes: Int = 1 << 20, subscribeRatePerMinute: Int = 5
  ) {
    self.apiKeys = apiKeys
    self.shopifyWebhookSecret = shopifyWebhookSecret
    self.wooCommerceWebhookSecret = wooCommerceWebhookSecret
    self.allowedOrigins = allowedOrigins
    self.currency = currency
    self.country = country
    self.identity = identity
    self.fields = fields
    self.maxBodyBytes = maxBodyBytes
    self.subscribeRatePerMinute = subscribeRatePerMinute
  }
}
