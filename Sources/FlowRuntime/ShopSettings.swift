/// Facts about the shop that flows and templates need.
public struct ShopSettings: Sendable, Hashable {
  public var name: String
  /// The storefront's base URL, `https://shop.example.com`.
  public var url: String
  public var fromEmail: String
  public var fromName: String?
  /// IANA zone for members without one of their own.
  public var timezone: String
  /// ISO 4217 code of the shop's prices.
  public var currency: String
  /// ISO 3166 alpha-2 code (`GB`) used to read phone numbers written without
  /// a country code; nil when the shop sets none.
  public var country: String?
  /// Base URL of the tracking host (`flowc run --listen` behind it); when
  /// set, links in emails become signed click URLs and an open pixel is added.
  public var trackingURL: String?
  /// When true, a template reading a variable or key that does not exist
  /// fails its send (recorded with the reason) instead of printing nothing.
  public var strictVariables = false
  /// How many catalog products a template gets as `recommendations`.
  public var recommendationCount = 4

  public init(
    name: String, url: String, fromEmail: String, fromName: String? = nil,
    timezone: String = "UTC", currency: String = "USD", trackingURL: String? = nil
  ) {
    self.name = name
    self.url = url
    self.fromEmail = fromEmail
    self.fromName = fromName
    self.timezone = timezone
    self.currency = currency
    self.trackingURL = trackingURL
  }

  /// The domain part of the sender address, for Message-IDs.
  public var mailDomain: String {
    fromEmail.split(separator: "@").last.map(String.init) ?? "localhost"
  }
}
