import Foundation

/// A shop settings file whose "intake" section cannot be used; the message says why.
public struct IntakeSettingsError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String
  init(_ description: String) { self.description = description }
}

extension IntakeSettings {
  /// Reads the optional "intake" section of the shop settings file:
  /// `"intake": {"api_keys_env": "FLOWC_API_KEYS", "webhook_secrets_env":
  /// {"shopify": "SHOPIFY_WEBHOOK_SECRET", "woocommerce": "WC_WEBHOOK_SECRET"},
  /// "allowed_origins": ["https://shop.example.com"], "max_body_bytes": 1048576,
  /// "subscribe_rate_per_minute": 5}`.
  /// Secrets stay out of the file, like the SMTP password: the section names
  /// the environment variables holding them (API keys comma-separated).
  /// Without the section nothing changes, so every API call and webhook is refused.
  public mutating func readSection(
    fromShopFile path: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(IntakeSettingsError) {
    guard let section = try Self.section(inShopFile: path) else { return }
    let place = "\(path): \"intake\""
    let known = [
      "api_keys_env", "webhook_secrets_env", "allowed_origins", "max_body_bytes",
      "subscribe_rate_per_minute", "trusted_proxies",
    ]
    for key in section.keys.sorted() where !known.contains(key) {
      throw IntakeSettingsError(
        "\(place): unknown setting \"\(key)\" (known: \(known.joined(separator: ", ")))")
    }
    func variable(_ name: Any?, _ key: String) throws(IntakeSettingsError) -> String? {
      guard let name else { return nil }
      guard let name = name as? String, !name.isEmpty else {
        throw IntakeSettingsError("\(place).\"\(key)\" must name an environment variable")
      }
      guard let value = environment[name], !value.isEmpty else {
        throw IntakeSettingsError("\(place).\"\(key)\" names \(name), which is not set")
      }
      return value
    }
    if let keys = try variable(section["api_keys_env"], "api_keys_env") {
      apiKeys = keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }
    if let secrets = section["webhook_secrets_env"] {
      guard let names = secrets as? [String: Any] else {
        throw IntakeSettingsError(
          "\(place).\"webhook_secrets_env\" must be an object like {\"shopify\": \"VARIABLE\"}")
      }
      for store in names.keys.sorted() where store != "shopify" && store != "woocommerce" {
        throw IntakeSettingsError(
          "\(place).\"webhook_secrets_env\": unknown store \"\(store)\" (shopify or woocommerce)")
      }
      let key = "webhook_secrets_env\".\""
      shopifyWebhookSecret = try variable(names["shopify"], key + "shopify")
      wooCommerceWebhookSecret = try variable(names["woocommerce"], key + "woocommerce")
    }
    if let origins = section["allowed_origins"] {
      allowedOrigins = try Self.origins(origins, place: place)
    }
    if let limit = section["max_body_bytes"] {
      guard let bytes = Self.wholeNumber(limit), (1024...(64 << 20)).contains(bytes)
      else {
        throw IntakeSettingsError(
          "\(place).\"max_body_bytes\" must be a whole number from 1024 to \(64 << 20)")
      }
      maxBodyBytes = bytes
    }
    if let rate = section["subscribe_rate_per_minute"] {
      guard let perMinute = Self.wholeNumber(rate), (1...10_000).contains(perMinute)
      else {
        throw IntakeSettingsError(
          "\(place).\"subscribe_rate_per_minute\" must be a whole number from 1 to 10000")
      }
      subscribeRatePerMinute = perMinute
    }
    if let proxies = section["trusted_proxies"] {
      guard let list = proxies as? [String], list.allSatisfy(Self.isNumericAddress) else {
        throw IntakeSettingsError(
          "\(place).\"trusted_proxies\" must be a list of numeric IP addresses like \"127.0.0.1\"")
      }
      trustedProxies = Set(list)
    }
  }

  /// An IPv4 or IPv6 address written as numbers (`127.0.0.1`, `::1`).
  public static func isNumericAddress(_ text: String) -> Bool {
    var buffer = in6_addr()
    return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
  }

  /// The shop's `"intake"."allowed_origins"` alone, for tools that need no
  /// secrets (`flowc form`); empty without the section or the list.
  public static func allowedOrigins(
    inShopFile path: String
  ) throws(IntakeSettingsError) -> [String] {
    guard let origins = try section(inShopFile: path)?["allowed_origins"] else { return [] }
    return try Self.origins(origins, place: "\(path): \"intake\"")
  }

  private static func section(
    inShopFile path: String
  ) throws(IntakeSettingsError) -> [String: Any]? {
    guard let data = FileManager.default.contents(atPath: path),
      let file = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw IntakeSettingsError("cannot read shop settings '\(path)' as a JSON object") }
    guard let value = file["intake"] else { return nil }
    guard let section = value as? [String: Any] else {
      throw IntakeSettingsError("\(path): \"intake\" must be an object")
    }
    return section
  }

  private static func origins(_ value: Any, place: String) throws(IntakeSettingsError) -> [String] {
    guard let list = value as? [String] else {
      throw IntakeSettingsError("\(place).\"allowed_origins\" must be a list of strings")
    }
    for origin in list where !isOrigin(origin) {
      throw IntakeSettingsError(
        "\(place).\"allowed_origins\": '\(origin)' is not an origin like \"https://shop.example.com\" (scheme and host, no path)"
      )
    }
    return list
  }

  /// A JSON whole number; `true` is not 1 (Foundation decodes both as NSNumber).
  static func wholeNumber(_ raw: Any) -> Int? {
    guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else {
      return nil
    }
    return Int(exactly: number.doubleValue)
  }

  /// `http(s)://host[:port]`, as a browser sends it in `Origin`.
  static func isOrigin(_ text: String) -> Bool {
    guard
      let rest = ["https://", "http://"].first(where: text.hasPrefix).map({
        text.dropFirst($0.count)
      })
    else { return false }
    guard !rest.isEmpty, !rest.contains("/"), !rest.contains(where: \.isWhitespace) else {
      return false
    }
    // A port, when given, is one a browser could send (`[::1]:8080` keeps its brackets).
    guard let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") else { return true }
    return UInt16(rest[rest.index(after: colon)...]).map { $0 > 0 } ?? false
  }
}
