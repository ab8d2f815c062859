import FlowRuntime
import Foundation
import Intake
import Mail
import Templates

/// The double opt-in email from the shop's `confirm_subscription` template
/// (`confirm_subscription.html.liquid`, an optional `.txt.liquid` part, and
/// translations chosen as for flow emails), or a built-in plain English email
/// when the shop has none. Templates see `shop.*`, `member.first_name`,
/// `member.email` and `confirm_url`.
public struct TemplateConfirmationMailer: ConfirmationMailer {
  public static let templateName = "confirm_subscription"
  private let library: TemplateLibrary
  private let shop: ShopSettings

  public init(library: TemplateLibrary, shop: ShopSettings) {
    self.library = library
    self.shop = shop
  }

  /// A failing shop template throws (with its file, line and column): the
  /// signup is refused rather than confirmed by an email the shop did not write.
  public func message(for request: ConfirmationRequest) throws -> [UInt8] {
    let context: [String: TemplateValue] = [
      "shop": .object([
        "name": .string(shop.name), "url": .string(shop.url), "currency": .string(shop.currency),
        "email": .string(shop.fromEmail),
      ]),
      "member": .object([
        "first_name": request.firstName.map(TemplateValue.string) ?? .null,
        "email": .string(request.email),
      ]),
      "confirm_url": .string(request.confirmURL),
    ]
    var options = RenderOptions(
      now: request.now, currency: shop.currency, strictVariables: shop.strictVariables)
    options.timeZone = TimeZone(identifier: shop.timezone) ?? options.timeZone
    let entry =
      library.entry(Self.templateName, locale: request.locale) ?? BuiltInConfirmation.entry
    // The signed link is unique to this store's key, member and moment.
    let digest = Project.version(of: "\(request.memberID) \(request.now) \(request.confirmURL)")
    let message = MailMessage(
      from: MailAddress(email: shop.fromEmail, displayName: shop.fromName),
      to: MailAddress(email: request.email, displayName: request.firstName),
      subject: try BuiltInConfirmation.subject(locale: request.locale).render(
        context, options: options),
      html: try entry.html.render(context, options: options),
      text: try entry.text?.render(context, options: options), date: request.now,
      messageID: "confirm.\(digest).\(request.memberID)@\(shop.mailDomain)")
    return MIMEWriter.render(message, boundary: "flowc-\(digest)")
  }
}

/// What a shop without a `confirm_subscription` template sends: plain
/// English with the link also written out, and the subject by language.
private enum BuiltInConfirmation {
  // Constant sources, rendered by the tests; parsing them cannot fail.
  static let entry = try! TemplateLibrary(files: [
    "confirm_subscription.html.liquid": """
    <!doctype html>
    <html lang="en">
    <head><meta charset="utf-8"><title>Confirm your subscription</title></head>
    <body>
    <p>Hello{% if member.first_name %} {{ member.first_name | escape }}{% endif %},</p>
    <p>Please confirm that you want emails from {{ shop.name | escape }}:</p>
    <p><a href="{{ confirm_url | escape }}">Confirm my subscription</a></p>
    <p>Or open this link: {{ confirm_url | escape }}</p>
    <p>If you did not sign up, ignore this email: you will get no other.</p>
    </body>
    </html>

    """,
    "confirm_subscription.txt.liquid": """
    Hello{% if member.first_name %} {{ member.first_name }}{% endif %},

    Please confirm that you want emails from {{ shop.name }} by opening this link:

    {{ confirm_url }}

    If you did not sign up, ignore this email: you will get no other.

    """,
  ]).entry(TemplateConfirmationMailer.templateName, locale: nil)!

  /// The subject in the member's language (`fr-CA` reads `fr`), else English.
  static func subject(locale: String?) -> Template {
    let language = locale?.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first
    return language.flatMap { subjects[String($0)] } ?? subjects["en"]!
  }

  private static let subjects = [
    "en": "Confirm your subscription to {{ shop.name }}",
    "fr": "Confirmez votre abonnement à {{ shop.name }}",
  ].mapValues { try! Template(source: $0, name: "confirm_subscription.subject") }
}
