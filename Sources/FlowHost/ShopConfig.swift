import FlowRuntime
import Foundation

/// Reads the shop's settings from a small JSON file:
/// `{"name": "...", "url": "https://...", "from_email": "...", "from_name": "...",
///   "timezone": "Europe/Berlin", "currency": "EUR"}`.
public enum ShopConfig {
  /// Settings used when no file is given: a demo shop in UTC, in USD.
  public static let demo = ShopSettings(
    name: "Example Shop", url: "https://shop.example.com", fromEmail: "hello@shop.example.com",
    fromName: "Example Shop", timezone: "UTC", currency: "USD")

  /// Loads settings; missing keys take the demo's values. Throws a readable
  /// message for an unreadable file, bad JSON or an unknown time zone.
  public static func load(path: String) throws -> ShopSettings {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw HostError("cannot read shop settings '\(path)'")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw HostError("\(path): not a JSON object")
    }
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
    guard TimeZone(identifier: settings.timezone) != nil else {
      throw HostError("\(path): unknown time zone '\(settings.timezone)'")
    }
    return settings
  }
}

/// An error meant for the person at the terminal: the message says it all.
public struct HostError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}
