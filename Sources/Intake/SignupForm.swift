import Foundation
import HTTPTypes

/// A `POST /v1/subscribe` body, from a plain HTML form or JSON, checked
/// before anything is stored.
struct SignupForm {
  var email: String
  /// Names, language (BCP 47) and browser id: applied once the address is confirmed.
  var profile: ConfirmLink.Profile
  /// Which form on the shop's site (`footer`, `popup`); `api` when not given.
  var form: String
  /// The consent statement the person saw, kept as evidence.
  var consentText: String?
  var returnTo: String?
  /// The honeypot `_gotcha` was filled in, which people never see: a bot.
  var isBot: Bool
  /// A JSON caller rather than a browser following a form.
  var wantsJSON: Bool

  /// What a JSON body is read for; other keys are ignored.
  static let fields = [
    "email", "first_name", "last_name", "locale", "visitor_id", "form", "consent_text",
    "return_to", "_gotcha",
  ]

  init(_ request: HTTPRequest) throws(Refusal) {
    let contentType = (request.headers["content-type"] ?? "").split(separator: ";").first
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    var values: [String: String] = [:]
    switch contentType {
    case "application/json":
      let body = try JSONBody(request.body)
      for name in Self.fields { values[name] = try body.string(name) }
    case "application/x-www-form-urlencoded":
      // A repeated field counts once, as first written.
      for (name, value) in FormURLEncoded.parse(request.body).reversed() {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        values[name] = trimmed.isEmpty ? nil : trimmed
      }
    default:
      throw Refusal(
        415, "the body must be application/x-www-form-urlencoded or application/json")
    }
    for name in Self.fields {
      if let value = values[name], let problem = SignupRules.problem(field: name, value: value) {
        throw Refusal(400, problem)
      }
    }
    guard let email = values["email"] else { throw Refusal(400, "missing 'email'") }
    guard Self.isEmail(email) else {
      throw Refusal(400, "'email' '\(email)' is not an email address")
    }
    if let problem = values["locale"].flatMap(SignupRules.localeProblem) {
      throw Refusal(400, problem)
    }
    self.email = email
    profile = ConfirmLink.Profile(
      firstName: values["first_name"], lastName: values["last_name"], locale: values["locale"],
      visitorID: values["visitor_id"])
    form = values["form"] ?? "api"
    consentText = values["consent_text"]
    returnTo = values["return_to"]
    isBot = values["_gotcha"] != nil
    wantsJSON =
      contentType == "application/json"
      || request.headers["accept"]?.lowercased().contains("application/json") == true
  }

  /// `return_to` when it is an http(s) URL on one of `origins`; anything
  /// else is ignored, so the endpoint cannot send people elsewhere.
  func redirect(allowedOrigins origins: [String]) -> String? {
    returnTo.flatMap { SignupRules.isAllowedReturn($0, origins: origins) ? $0 : nil }
  }

  /// `local@domain.tld`: one `@`, a dotted domain, no spaces or characters
  /// that only quoted addresses may hold. Stricter than imports, since a
  /// person typed it and a confirmation email will go there.
  static func isEmail(_ text: String) -> Bool {
    let forbidden = Set("<>()[]\\,;:\"")
    guard text.utf8.count <= 254,
      !text.contains(where: { $0.isWhitespace || forbidden.contains($0) || $0.isASCIIControl })
    else { return false }
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    return labels.count >= 2
      && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
  }
}

extension Character {
  fileprivate var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }
}
