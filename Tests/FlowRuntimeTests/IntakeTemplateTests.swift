import FlowHost
import Foundation
import Intake
import Synchronization
import Testing

@testable import FlowRuntime

/// The intake's pages and confirmation email from the shop's templates.
@Suite struct IntakeTemplateTests {
  static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")
  static let shop = ShopSettings(
    name: "Disques & Co", url: "https://shop.example.com", fromEmail: "hello@shop.example.com",
    fromName: "Disques & Co")
  static let values = [
    "shop_name": "Disques & Co", "email": "ann+<b>@example.com",
    "action_url": "https://t.example.com/u/tok?a=1&b=2",
  ]

  @Test func theRepoFrenchPageForFrCAWithValuesEscaped() throws {
    let pages = try TemplatePages.load(folder: Self.templates.path + "/pages", shop: Self.shop)
    let html = pages.html(.unsubscribe, locale: "fr-CA", values: Self.values)
    #expect(html.contains(#"<html lang="fr">"#))
    #expect(html.contains("<title>Se désabonner - Disques &amp; Co</title>"))
    #expect(html.contains("<strong>ann+&lt;b&gt;@example.com</strong>"))
    #expect(html.contains(#"action="https://t.example.com/u/tok?a=1&amp;b=2""#))
    #expect(html.contains(#"<button type="submit">Me désabonner</button>"#))
    // Both examples keep the built-in pages' accessibility: one h1 inside main.
    for page in [IntakePage.unsubscribe, .confirmed] {
      let french = pages.html(page, locale: "fr", values: Self.values)
      #expect(french.components(separatedBy: "<h1>").count == 2, "\(page)")
      #expect(french.contains("<main>") && french.contains("<title>"), "\(page)")
    }
  }

  @Test func pagesTheShopHasNotWrittenAreTheBuiltInOnes() throws {
    let pages = try TemplatePages.load(folder: Self.templates.path + "/pages", shop: Self.shop)
    let plain = PlainPages()
    // No German unsubscribe page, and no French "subscribed" page.
    #expect(
      pages.html(.unsubscribe, locale: "de", values: Self.values)
        == plain.html(.unsubscribe, locale: "de", values: Self.values))
    #expect(
      pages.html(.subscribed, locale: "fr", values: Self.values)
        == plain.html(.subscribed, locale: "fr", values: Self.values))
    let none = try TemplatePages.load(folder: temporaryPath("-absent"), shop: Self.shop)
    #expect(
      none.html(.invalidLink, locale: nil, values: Self.values)
        == plain.html(.invalidLink, locale: nil, values: Self.values))
  }

  @Test func aPageThatFailsToRenderIsTheBuiltInOneAndTheFailureNamesNoValue() throws {
    let failures = Mutex<[String]>([])
    let pages = TemplatePages(
      library: try TemplateLibrary(files: [
        "confirmed.html.liquid": "<p>{{ email }}</p>\n{{ 1 | divided_by: 0 }}"
      ]), shop: Self.shop, onFailure: { message in failures.withLock { $0.append(message) } })
    #expect(
      pages.html(.confirmed, locale: "en", values: Self.values)
        == PlainPages().html(.confirmed, locale: "en", values: Self.values))
    #expect(
      failures.withLock { $0 }
        == ["page template 'confirmed.html.liquid' failed at line 2, column 1"])
  }

  @Test func aBrokenPageTemplateIsReportedWhenLoaded() throws {
    let folder = temporaryPath("-pages")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "<p>{% if %}</p>".write(
      toFile: folder + "/confirmed.html.liquid", atomically: true, encoding: .utf8)
    #expect(throws: HostError.self) {
      try TemplatePages.load(folder: folder, shop: Self.shop)
    }
  }

  static let request = ConfirmationRequest(
    memberID: 42, email: "ann@example.org", firstName: "Ann", locale: nil,
    confirmURL: "https://track.example.com/v1/confirm/tok.sig?a=1&b=2", now: 1_700_000_000)

  @Test func withoutATemplateTheBuiltInEnglishEmailShowsTheLinkInBothParts() throws {
    let mailer = TemplateConfirmationMailer(
      library: try TemplateLibrary(files: [:]), shop: Self.shop)
    let bytes = try mailer.message(for: Self.request)
    #expect(try mailer.message(for: Self.request) == bytes)  // deterministic
    let mail = try ParsedMail(bytes)
    #expect(mail.defects.isEmpty)
    #expect(mail.subject == "Confirm your subscription to Disques & Co")
    #expect(mail.from == ["Disques & Co", "hello@shop.example.com"])
    #expect(mail.to == ["Ann", "ann@example.org"])
    #expect(
      mail.messageID.hasPrefix("<confirm.") && mail.messageID.hasSuffix(".42@shop.example.com>"))
    #expect(mail.listUnsubscribe == "")
    #expect(
      mail.html.contains(#"<a href="https://track.example.com/v1/confirm/tok.sig?a=1&amp;b=2">"#))
    #expect(
      mail.html.contains(
        "Or open this link: https://track.example.com/v1/confirm/tok.sig?a=1&amp;b=2"))
    #expect(mail.html.contains("<p>Hello Ann,</p>"))
    #expect(
      mail.text == """
        Hello Ann,

        Please confirm that you want emails from Disques & Co by opening this link:

        https://track.example.com/v1/confirm/tok.sig?a=1&b=2

        If you did not sign up, ignore this email: you will get no other.

        """)
  }

  @Test func theShopsFrenchTemplateForFrCAWithAFrenchSubject() throws {
    let sources = try FileManager.default.contentsOfDirectory(atPath: Self.templates.path)
      .filter { $0.hasSuffix(".liquid") }
      .reduce(into: [String: String]()) { files, name in
        files[name] = try String(
          contentsOf: Self.templates.appendingPathComponent(name), encoding: .utf8)
      }
    let mailer = TemplateConfirmationMailer(
      library: try TemplateLibrary(files: sources), shop: Self.shop)
    var request = Self.request
    request.locale = "fr-CA"
    request.firstName = nil
    let mail = try ParsedMail(try mailer.message(for: request))
    #expect(mail.defects.isEmpty)
    #expect(mail.subject == "Confirmez votre abonnement à Disques & Co")
    #expect(mail.to == ["", "ann@example.org"])
    #expect(mail.html.contains(#"<html lang="fr">"#))
    #expect(mail.html.contains("<p>Bonjour,</p>"))
    #expect(
      mail.html.contains(#"<a href="https://track.example.com/v1/confirm/tok.sig?a=1&amp;b=2">"#))
    // The text part is derived from the French HTML, with the link written out.
    #expect(mail.text.contains("Confirmez que vous souhaitez recevoir les e-mails de Disques & Co"))
    #expect(mail.text.contains("https://track.example.com/v1/confirm/tok.sig?a=1&b=2"))

    // A language without a translation gets the built-in English email.
    request.locale = "de"
    let german = try ParsedMail(try mailer.message(for: request))
    #expect(german.subject == "Confirm your subscription to Disques & Co")
    #expect(german.html.contains("<p>Hello,</p>"))
  }
}

/// A message read back with Python's `email` package, an independent MIME parser.
private struct ParsedMail {
  static let script = #"""
    import json, sys
    from email import policy
    from email.parser import BytesParser
    m = BytesParser(policy=policy.default).parse(sys.stdin.buffer)
    def box(h):
        a = m[h].addresses[0]
        return [a.display_name, a.addr_spec]
    def body(kind):
        return m.get_body((kind,)).get_content().replace('\r\n', '\n')
    defects = [str(d) for part in m.walk() for d in part.defects]
    print(json.dumps({
        'subject': str(m['subject']), 'from': box('from'), 'to': box('to'),
        'message_id': str(m['message-id']), 'text': body('plain'), 'html': body('html'),
        'list_unsubscribe': str(m['list-unsubscribe'] or ''), 'defects': defects,
    }))
    """#

  var subject: String, from: [String], to: [String], messageID: String
  var text: String, html: String, listUnsubscribe: String, defects: [String]

  init(_ bytes: [UInt8]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", Self.script]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    subject = json["subject"] as? String ?? "?"
    from = json["from"] as? [String] ?? []
    to = json["to"] as? [String] ?? []
    messageID = json["message_id"] as? String ?? "?"
    text = json["text"] as? String ?? "?"
    html = json["html"] as? String ?? "?"
    listUnsubscribe = json["list_unsubscribe"] as? String ?? "?"
    defects = json["defects"] as? [String] ?? ["?"]
  }
}
