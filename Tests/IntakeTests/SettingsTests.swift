import Foundation
import Testing

@testable import Intake

@Suite("The intake section of shop.json")
struct SettingsTests {
  let environment = [
    "FLOWC_API_KEYS": "key-one, key-two", "SHOPIFY_WEBHOOK_SECRET": "shh",
    "WC_WEBHOOK_SECRET": "psst",
  ]

  func shopFile(_ intake: String?) throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("intake-settings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("shop.json").path
    let text =
      #"{"name": "Shop", "currency": "USD""# + (intake.map { #", "intake": \#($0)"# } ?? "") + "}"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test("keys and secrets come from the variables the section names")
  func reads() throws {
    let path = try shopFile(
      #"{"api_keys_env": "FLOWC_API_KEYS", "webhook_secrets_env": {"shopify": "SHOPIFY_WEBHOOK_SECRET", "woocommerce": "WC_WEBHOOK_SECRET"}, "allowed_origins": ["https://shop.example.com", "http://localhost:8080"], "max_body_bytes": 65536, "subscribe_rate_per_minute": 12, "trusted_proxies": ["127.0.0.1", "::1"]}"#
    )
    var settings = IntakeSettings(currency: "USD")
    try settings.readSection(fromShopFile: path, environment: environment)
    #expect(settings.apiKeys == ["key-one", "key-two"])
    #expect(settings.shopifyWebhookSecret == "shh")
    #expect(settings.wooCommerceWebhookSecret == "psst")
    #expect(settings.allowedOrigins == ["https://shop.example.com", "http://localhost:8080"])
    #expect(settings.maxBodyBytes == 65536)
    #expect(settings.subscribeRatePerMinute == 12)
    #expect(settings.trustedProxies == ["127.0.0.1", "::1"])
  }

  @Test("without the section nothing is accepted")
  func absent() throws {
    var settings = IntakeSettings(currency: "USD")
    try settings.readSection(fromShopFile: try shopFile(nil), environment: environment)
    #expect(settings.apiKeys == [] && settings.shopifyWebhookSecret == nil)
    #expect(settings.maxBodyBytes == 1 << 20)
    #expect(settings.subscribeRatePerMinute == 5)
  }

  @Test(
    "a bad section is refused with the reason",
    arguments: [
      (#"[]"#, "\"intake\" must be an object"),
      (
        #"{"api_keys": "k"}"#,
        "\"intake\": unknown setting \"api_keys\" (known: api_keys_env, webhook_secrets_env, allowed_origins, max_body_bytes, subscribe_rate_per_minute, trusted_proxies)"
      ),
      (
        #"{"api_keys_env": "NOT_SET"}"#,
        "\"intake\".\"api_keys_env\" names NOT_SET, which is not set"
      ),
      (
        #"{"webhook_secrets_env": {"magento": "X"}}"#,
        "\"intake\".\"webhook_secrets_env\": unknown store \"magento\" (shopify or woocommerce)"
      ),
      (
        #"{"webhook_secrets_env": {"shopify": 3}}"#,
        "\"intake\".\"webhook_secrets_env\".\"shopify\" must name an environment variable"
      ),
      (
        #"{"allowed_origins": ["https://shop.example.com/"]}"#,
        "\"intake\".\"allowed_origins\": 'https://shop.example.com/' is not an origin like \"https://shop.example.com\" (scheme and host, no path)"
      ),
      (
        #"{"max_body_bytes": 10}"#,
        "\"intake\".\"max_body_bytes\" must be a whole number from 1024 to 67108864"
      ),
      (
        #"{"subscribe_rate_per_minute": 0}"#,
        "\"intake\".\"subscribe_rate_per_minute\" must be a whole number from 1 to 10000"
      ),
      (
        #"{"allowed_origins": ["https://x.example:99999"]}"#,
        "\"intake\".\"allowed_origins\": 'https://x.example:99999' is not an origin like \"https://shop.example.com\" (scheme and host, no path)"
      ),
      (
        #"{"subscribe_rate_per_minute": true}"#,
        "\"intake\".\"subscribe_rate_per_minute\" must be a whole number from 1 to 10000"
      ),
      (
        #"{"trusted_proxies": ["proxy.internal"]}"#,
        "\"intake\".\"trusted_proxies\" must be a list of numeric IP addresses like \"127.0.0.1\""
      ),
    ])
  func refusals(section: String, error: String) throws {
    let path = try shopFile(section)
    var settings = IntakeSettings(currency: "USD")
    #expect(throws: IntakeSettingsError("\(path): \(error)")) {
      try settings.readSection(fromShopFile: path, environment: environment)
    }
  }
}
