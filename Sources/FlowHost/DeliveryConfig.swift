import FlowRuntime
import Foundation
import MailDelivery

/// The "smtp" and "dkim" sections of shop.json.
public struct DeliverySettings: Sendable, Hashable {
  public var smtp: SMTPSettings?
  /// The SMTP envelope sender, where bounces go; nil uses the shop's from address.
  public var mailFrom: String?
  public var dkim: DKIMSettings?

  public init(smtp: SMTPSettings? = nil, mailFrom: String? = nil, dkim: DKIMSettings? = nil) {
    self.smtp = smtp
    self.mailFrom = mailFrom
    self.dkim = dkim
  }
}

extension ShopConfig {
  /// Reads the delivery sections:
  /// `"smtp": {"url": "smtp://host:587", "username": "...", "password_env": "SMTP_PASSWORD",
  ///   "starttls": "required", "connections": 4, "per_domain_per_second": 10, ...}` and
  /// `"dkim": {"domain": "...", "selector": "...", "private_key": "dkim.pem"}`.
  /// A relative key path is relative to the settings file; the SMTP password
  /// comes from the environment variable named by "password_env".
  public static func delivery(
    path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> DeliverySettings {
    let object = try readObject(path)
    var settings = DeliverySettings()
    if let value = object["smtp"] {
      let section = try Section(value, name: "smtp", path: path)
      try expectKnownKeys(
        section.object,
        [
          "url", "username", "password_env", "starttls", "ca_file", "connections",
          "per_domain_per_second", "attempts", "retry_delay", "timeout", "mail_from",
        ], in: "\(path): \"smtp\"")
      var smtp = SMTPSettings(url: try section.required("url"))
      smtp.username = try section.text("username")
      if let variable = try section.text("password_env") {
        guard let password = environment[variable] else {
          throw HostError(
            "\(path): \"smtp\".\"password_env\" names \(variable), which is not set")
        }
        smtp.password = password
      }
      if let mode = try section.text("starttls") {
        guard let startTLS = SMTPSettings.StartTLS(rawValue: mode) else {
          throw HostError(
            "\(path): \"smtp\".\"starttls\" must be required, opportunistic or off, not '\(mode)'")
        }
        smtp.startTLS = startTLS
      }
      smtp.caFile = try section.text("ca_file").map { relative($0, to: path) }
      smtp.connections = try section.integer("connections", in: 1...64) ?? smtp.connections
      smtp.attempts = try section.integer("attempts", in: 1...20) ?? smtp.attempts
      smtp.timeout = try section.integer("timeout", in: 1...3600) ?? smtp.timeout
      smtp.retryDelay = try section.number("retry_delay") ?? smtp.retryDelay
      smtp.perDomainPerSecond = try section.number("per_domain_per_second")
      if smtp.perDomainPerSecond == 0 {
        throw HostError("\(path): \"smtp\".\"per_domain_per_second\" must be above 0")
      }
      settings.mailFrom = try section.text("mail_from")
      settings.smtp = smtp
    }
    if let value = object["dkim"] {
      let section = try Section(value, name: "dkim", path: path)
      try expectKnownKeys(
        section.object, ["domain", "selector", "private_key"], in: "\(path): \"dkim\"")
      settings.dkim = DKIMSettings(
        domain: try section.required("domain"), selector: try section.required("selector"),
        privateKeyPath: relative(try section.required("private_key"), to: path))
    }
    return settings
  }

  private static func relative(_ file: String, to settingsPath: String) -> String {
    if file.hasPrefix("/") { return file }
    let directory = (settingsPath as NSString).deletingLastPathComponent
    return directory.isEmpty ? file : directory + "/" + file
  }

  /// One JSON object section, with typed readers that name the key on error.
  private struct Section {
    let object: [String: Any]
    let place: String

    init(_ value: Any, name: String, path: String) throws {
      guard let object = value as? [String: Any] else {
        throw HostError("\(path): \"\(name)\" must be an object")
      }
      self.object = object
      place = "\(path): \"\(name)\""
    }

    func text(_ key: String) throws -> String? {
      guard let value = object[key] else { return nil }
      guard let text = value as? String, !text.isEmpty else {
        throw HostError("\(place).\"\(key)\" must be a non-empty string")
      }
      return text
    }

    func required(_ key: String) throws -> String {
      guard let value = try text(key) else { throw HostError("\(place) needs \"\(key)\"") }
      return value
    }

    func number(_ key: String) throws -> Double? {
      guard let value = object[key] else { return nil }
      guard let number = value as? NSNumber, !PayloadCodec.isBoolean(value), number.doubleValue >= 0
      else {
        throw HostError("\(place).\"\(key)\" must be a number of at least 0")
      }
      return number.doubleValue
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
      let problem = HostError(
        "\(place).\"\(key)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)"
      )
      guard let value = object[key] else { return nil }
      guard let number = value as? NSNumber, !PayloadCodec.isBoolean(value),
        number.doubleValue.rounded() == number.doubleValue,
        range.contains(Int(exactly: number.doubleValue) ?? Int.min)
      else { throw problem }
      return number.intValue
    }
  }
}
