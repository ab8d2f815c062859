import FlowHost
import Foundation
import Intake

/// `flowc form`: print the signup form snippet for the shop's theme.
enum Form: Command {
  static let name = "form"
  static let summary = "Print an embeddable HTML signup form that posts to the intake."
  static let synopsis =
    "flowc form [--shop FILE] [--action URL] [--id NAME] [--fields LIST] [--locale LOCALE] "
    + "[--consent-text TEXT] [--return-to URL] [--format text|json]"
  static let discussion = """
    Prints a plain HTML form (no scripts, nothing loaded from elsewhere) that
    posts to POST /v1/subscribe of 'flowc run --listen'. Paste it into the
    shop's theme. The action is the shop's "tracking_url" + /v1/subscribe
    unless --action gives the full URL. The consent text is shown beside the
    button and stored with the signup as evidence. Labels come in en, fr, de
    and es (--locale, which is also stored as the member's language). With
    --format json: {"action", "form", "html"}. Exit 0, or 2 on a usage error.
    """
  static let options: [OptionSpec] = [
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
    .value("action", "URL", "The subscribe URL (default: tracking_url + /v1/subscribe)."),
    .value("id", "NAME", "Form id recorded with each signup (default: signup)."),
    .value("fields", "LIST", "Extra fields, comma-separated: first_name, last_name."),
    .value("locale", "LOCALE", "Language of the labels and of members signing up (e.g. fr)."),
    .value("consent-text", "TEXT", "The consent text shown and recorded (default by language)."),
    .value("return-to", "URL", "Page to return to after signing up (an allowed origin)."),
    .value("format", "FORMAT", "text (default: the HTML) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    guard arguments.positionals.isEmpty else {
      throw UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
    }
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let action = try arguments.value("action") ?? defaultAction(shop.trackingURL)
    guard isWebURL(action) else {
      throw UsageError(message: "--action must be an http(s) URL, not '\(action)'")
    }
    let formID = arguments.value("id") ?? "signup"
    guard !formID.isEmpty, formID.count <= 64 else {
      throw UsageError(message: "--id takes a name of 1 to 64 characters")
    }
    let snippet = SignupFormSnippet(
      action: action, formID: formID, fields: try fields(arguments.value("fields")),
      locale: try locale(arguments.value("locale")),
      consentText: try consentText(arguments.value("consent-text")),
      returnTo: try returnTo(arguments.value("return-to"), arguments), shopName: shop.name)
    switch format {
    case .text:
      terminal.out(snippet.html)
    case .json:
      let data = try JSONSerialization.data(
        withJSONObject: ["action": action, "form": formID, "html": snippet.html],
        options: [.sortedKeys])
      terminal.out(String(decoding: data, as: UTF8.self) + "\n")
    }
    return 0
  }

  private static func defaultAction(_ trackingURL: String?) throws -> String {
    guard var base = trackingURL else {
      throw UsageError(
        message: "no subscribe URL: set \"tracking_url\" in the shop settings (where "
          + "'flowc run --listen' is reached) or pass --action URL")
    }
    while base.hasSuffix("/") { base.removeLast() }
    return base + "/v1/subscribe"
  }

  private static func fields(_ raw: String?) throws -> [SignupFormSnippet.Field] {
    guard let raw else { return [] }
    var fields: [SignupFormSnippet.Field] = []
    for name in raw.split(separator: ",") {
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      guard let field = SignupFormSnippet.Field(rawValue: trimmed) else {
        let known = SignupFormSnippet.Field.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError(message: "--fields: unknown field '\(trimmed)' (known: \(known))")
      }
      if !fields.contains(field) { fields.append(field) }
    }
    return fields
  }

  private static func locale(_ raw: String?) throws -> String? {
    guard let raw else { return nil }
    guard SignupRules.isLanguageTag(raw) else {
      throw UsageError(
        message: "--locale '\(raw)' is not a BCP 47 language tag (like en or fr-CA)")
    }
    return raw
  }

  /// The text as the intake will take it: not blank, and within its length limit.
  private static func consentText(_ raw: String?) throws -> String? {
    guard let raw else { return nil }
    guard !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw UsageError(message: "--consent-text must not be blank")
    }
    if let problem = SignupRules.problem(field: "consent_text", value: raw) {
      throw UsageError(message: "--consent-text: " + problem)
    }
    return raw
  }

  /// The intake follows `return_to` only on an allowed origin, so a form
  /// with any other would leave people on the intake's own page.
  private static func returnTo(_ raw: String?, _ arguments: Arguments) throws -> String? {
    guard let raw else { return nil }
    guard isWebURL(raw) else {
      throw UsageError(message: "--return-to must be an http(s) URL, not '\(raw)'")
    }
    if let problem = SignupRules.problem(field: "return_to", value: raw) {
      throw UsageError(message: "--return-to: " + problem)
    }
    guard let path = RuntimeOptions.shopPath(arguments) else {
      throw UsageError(
        message: "--return-to needs the shop settings: the intake follows it only on one of "
          + "\"intake\".\"allowed_origins\" (pass --shop FILE)")
    }
    let origins = try IntakeSettings.allowedOrigins(inShopFile: path)
    guard SignupRules.isAllowedReturn(raw, origins: origins) else {
      let listed = origins.isEmpty ? "none are set" : origins.joined(separator: ", ")
      throw UsageError(
        message: "--return-to '\(raw)' is not on an origin in \"intake\".\"allowed_origins\" "
          + "of \(path) (\(listed)); the intake would not follow it")
    }
    return raw
  }

  private static func isWebURL(_ text: String) -> Bool {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil
    else { return false }
    return scheme == "https" || scheme == "http"
  }
}
