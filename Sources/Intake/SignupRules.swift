import Foundation

/// What a signup's fields must look like, shared by the endpoint that takes
/// them and `flowc form`, which writes a form that must pass.
public enum SignupRules {
  /// The longest value each field may have: enough for any real name,
  /// consent statement or URL, not for a megabyte in a `To:` header.
  static let lengthLimits: [String: Int] = [
    "first_name": 256, "last_name": 256, "locale": 35, "visitor_id": 128, "form": 64,
    "consent_text": 2000, "return_to": 2048,
  ]

  /// Why `value` cannot be the signup field `name`, or nil when it can: too
  /// long, or holding a control character (NUL and the like; the consent
  /// text may break lines).
  public static func problem(field name: String, value: String) -> String? {
    // Code points, not characters: a "character" of a thousand combining marks is long.
    if let limit = lengthLimits[name], value.unicodeScalars.count > limit {
      return "'\(name)' is longer than \(limit) characters"
    }
    if value.hasControlCharacter(besidesLineBreaks: name == "consent_text") {
      return "'\(name)' contains a control character"
    }
    return nil
  }

  /// Why `locale` is not a language tag, or nil when it is.
  static func localeProblem(_ locale: String) -> String? {
    isLanguageTag(locale)
      ? nil : "'locale' '\(locale)' is not a BCP 47 language tag (like en or fr-CA)"
  }

  /// A language, then optional subtags: `en`, `fr-CA`, `zh-Hant-TW`.
  public static func isLanguageTag(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard let language = parts.first, (2...8).contains(language.count),
      language.allSatisfy({ $0.isASCII && $0.isLetter })
    else { return false }
    return parts.dropFirst().allSatisfy {
      (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
  }

  /// Whether `return_to` may be followed: an http(s) URL without user
  /// info on one of `origins`, so the endpoint cannot send people elsewhere.
  public static func isAllowedReturn(_ url: String, origins: [String]) -> Bool {
    guard !url.contains(where: { $0.isWhitespace || $0.isNewline }),
      let parts = URLComponents(string: url), parts.user == nil, parts.password == nil,
      let scheme = parts.scheme?.lowercased(), scheme == "https" || scheme == "http",
      let host = parts.host?.lowercased(), !host.isEmpty
    else { return false }
    let origin = "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
    return origins.contains { $0.lowercased() == origin }
  }
}

extension String {
  /// Whether the text holds NUL, DEL or another control character; line
  /// breaks and tabs count only when `besidesLineBreaks` is false.
  func hasControlCharacter(besidesLineBreaks: Bool) -> Bool {
    unicodeScalars.contains {
      $0.properties.generalCategory == .control
        && !(besidesLineBreaks && ($0 == "\n" || $0 == "\r" || $0 == "\t"))
    }
  }
}
