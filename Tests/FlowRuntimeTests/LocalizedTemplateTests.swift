import FlowIR
import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct LocalizedTemplateTests {
  private static let templates = [
    "welcome.html.liquid": "<p>Welcome</p>",
    "welcome.txt.liquid": "Welcome (text)",
    "welcome.fr.html.liquid": "<p>Bienvenue</p>",
    "welcome.pt-BR.html.liquid": "<p>Bem-vindo</p>",
    "welcome.pt-BR.txt.liquid": "Bem-vindo (texto)",
  ]

  /// The HTML and text bodies each member got, keyed by email.
  private func bodies(locales: [String: String?]) throws -> [String: String] {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        send hello { template "welcome" subject "Hi" }
      }
      """, templates: Self.templates)
    let joined = utc(2024, 1, 1)
    for (email, locale) in locales.sorted(by: { $0.key < $1.key }) {
      let id = try h.store.createMember(
        MemberRecord(id: 0, email: email, locale: locale, joinedAt: joined), createdAt: joined)
      try h.store.recordConsent(
        memberID: id, channel: "email", status: ConsentStatus.optedIn, source: "test",
        occurredAt: joined, recordedAt: joined, evidence: nil)
      try h.event(id, "member_joined", at: joined)
    }
    try h.drain(until: joined + day)
    var result: [String: String] = [:]
    for message in try h.store.pendingOutbox(limit: 10) {
      let text = String(decoding: message.message, as: UTF8.self)
      let words = ["Welcome (text)", "Bienvenue", "Bem-vindo (texto)", "Welcome", "Bem-vindo"]
      result[message.recipient] = words.filter { text.contains($0) }.joined(separator: " + ")
    }
    return result
  }

  @Test func theMembersLanguageThenTheDefault() throws {
    let got = try bodies(locales: [
      "ca@example.com": "fr-CA", "fr@example.com": "fr", "de@example.com": "de",
      "none@example.com": nil, "br@example.com": "pt_BR", "pt@example.com": "pt",
    ])
    #expect(
      got == [
        // fr-CA falls back to fr; a translation without a text part derives
        // one from its own HTML (so "Bienvenue" appears in both parts).
        "ca@example.com": "Bienvenue", "fr@example.com": "Bienvenue",
        "de@example.com": "Welcome (text) + Welcome",
        "none@example.com": "Welcome (text) + Welcome",
        "br@example.com": "Bem-vindo (texto) + Bem-vindo",
        // pt has no translation of its own: pt-BR is a region, not a fallback.
        "pt@example.com": "Welcome (text) + Welcome",
      ])
  }

  @Test func fileNamesSplitIntoBaseLocaleAndPart() {
    let cases: [(String, String?)] = [
      ("welcome.html.liquid", "welcome - html"), ("welcome.fr.html.liquid", "welcome fr html"),
      ("welcome.pt_BR.txt.liquid", "welcome pt-br text"),
      ("promo.v2.html.liquid", "promo.v2 - html"),
      ("promo.new.html.liquid", "promo.new - html"), ("readme.md", nil), (".html.liquid", nil),
    ]
    for (file, expected) in cases {
      let name = TemplateFileName(file).map { "\($0.base) \($0.locale ?? "-") \($0.part)" }
      #expect(name == expected, "\(file)")
    }
    #expect(TemplateLibrary.defaultName(ofFile: "welcome.fr.html.liquid") == nil)
    #expect(TemplateLibrary.defaultName(ofFile: "welcome.html.liquid") == "welcome")
  }
}
