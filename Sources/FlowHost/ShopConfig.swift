import FlowDiagnostics
import FlowRuntime
import Foundation

/// Reads the shop's settings from a small JSON file:
/// `{"name": "...", "url": "https://...", "from_email": "...", "from_name": "...",
///   "timezone": "Europe/Berlin", "currency": "EUR"}`, plus the optional
/// "smtp" and "dkim" sections read by `ShopConfig.delivery(path:)` and the
/// "intake" section read by `IntakeSettings.readSection(fromShopFile:)`.
public enum ShopConfig {
  /// Settings used when no file is given: a demo shop in UTC, in USD.
  public static let demo = ShopSettings(
    name: "Example Shop", url: "https://shop.example.com", fromEmail: "hello@shop.example.com",
    fromName: "Example Shop", timezone: "UTC", currency: "USD")

  /// Loads settings; missing keys take the demo's values. Throws a readable
  /// message for an unreadable file, bad JSON or an unknown time zone.
  public static func load(path: String) throws -> ShopSettings {
    let object = try readObject(path)
    try expectKnownKeys(
      object,
      [
        "name", "url", "from_email", "from_name", "timezone", "currency", "tracking_url",
        "strict_variables", "smtp", "dkim", "country", "intake",
      ], in: path)
    var settings = demo
    func text(_ key: String) throws -> String? {
      guard let value = object[key] else { return nil }
      guard let string = value as? String else {
        throw HostError("\(path): \"\(key)\" must be a string")
      }
      return string
    }
    settings.name = try text("name") ?? settings.name
    settings.url = try text("url") ?? settings.url
    settings.fromEmail = try text("from_email") ?? settings.fromEmail
    settings.fromName = try text("from_name") ?? settings.fromName
    settings.timezone = try text("timezone") ?? settings.timezone
    settings.currency = (try text("currency") ?? settings.currency).uppercased()
    settings.trackingURL = try text("tracking_url")
    if let country = try text("country") {
      let code = country.uppercased()
      guard code.count == 2, Locale.Region.isoRegions.contains(where: { $0.identifier == code })
      else {
        throw HostError(
          "\(path): \"country\" '\(country)' is not an ISO 3166 country code like \"GB\"")
      }
      settings.country = code
    }
    if let strict = object["strict_variables"] {
      guard let flag = strict as? Bool, PayloadCodec.isBoolean(strict) else {
        throw HostError("\(path): \"strict_variables\" must be true or false")
      }
      settings.strictVariables = flag
    }
    if let tracking = settings.trackingURL,
      !(tracking.hasPrefix("https://") || tracking.hasPrefix("http://")) || tracking.count < 10
    {
      throw HostError(
        "\(path): \"tracking_url\" must be an http(s) URL like \"https://t.example.com\"")
    }
    let address = settings.fromEmail.split(separator: "@")
    guard address.count == 2, !address[0].isEmpty, address[1].contains(".") else {
      throw HostError("\(path): \"from_email\" '\(settings.fromEmail)' is not an email address")
    }
    guard settings.currency.count == 3, settings.currency.allSatisfy({ $0.isLetter && $0.isASCII })
    else {
      throw HostError("\(path): \"currency\" must be a 3-letter ISO 4217 code like \"USD\"")
    }
    guard TimeZone(identifier: settings.timezone) != nil else {
      throw HostError("\(path): unknown time zone '\(settings.timezone)'")
    }
    return settings
  }

  static func readObject(_ path: String) throws -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw HostError("cannot read shop settings '\(path)'")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw HostError("\(path): not a JSON object")
    }
    return object
  }

  /// Refuses a key outside `known`, suggesting the closest known one.
  static func expectKnownKeys(
    _ object: [String: Any], _ known: [String], in place: String
  ) throws {
    for key in object.keys.sorted() where !known.contains(key) {
      let hint = Suggestion.closest(to: key, among: known).map { "; did you mean \"\($0)\"?" }
      throw HostError("\(place): unknown setting \"\(key)\"\(hint ?? "")")
    }
  }
}

/// An error meant for the person at the terminal: the message says it all.
public struct HostError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String

  public init(_ description: String) { self.description = description }
}
