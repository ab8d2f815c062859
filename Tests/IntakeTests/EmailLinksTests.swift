import Foundation
import HTTPTypes
import LinkTokens
import MemberStore
import Testing

@testable import Intake

@Suite("Email links")
struct EmailLinksTests {
  private let signer = LinkSigner(key: Array(signingKey.utf8))
  private let shoes = "https://shop.example.com/shoes?a=1&b=2"

  /// A member in a `welcome` flow instance, as a sent email's links name them.
  private func member(
    in harness: Harness, email: String = "ann@example.com", locale: String? = nil
  ) throws -> (member: Int64, instance: Int64) {
    let member = try harness.store.createMember(
      MemberRecord(id: 0, email: email, locale: locale), createdAt: testNow - 86_400)
    let instance = try harness.store.createInstance(
      flow: "welcome", version: "v1", memberID: member, enteredAt: testNow - 86_400,
      triggerPayload: "{}")
    return (member, instance)
  }

  private func get(_ harness: Harness, _ path: String) -> HTTPResponse {
    harness.send(HTTPRequest(method: "GET", path: path))
  }

  private func postUnsubscribe(_ harness: Harness, _ token: String) -> HTTPResponse {
    harness.send(
      HTTPRequest(
        method: "POST", path: "/u/\(token)",
        headers: ["content-type": "application/x-www-form-urlencoded"],
        body: Array("List-Unsubscribe=One-Click".utf8), remoteAddress: "127.0.0.9"))
  }

  private func clickToken(_ member: Int64, _ instance: Int64, url: String) -> String {
    signer.token(
      for: TrackingPayload.click(
        memberID: member, instanceID: instance, step: "hello", url: url,
        tags: ["interest:shoes", "sale"]
      ).text)
  }

  /// The token with the first character of its signature changed.
  private func flipped(_ token: String) -> String {
    var characters = Array(token)
    let first = characters.lastIndex(of: ".")! + 1
    characters[first] = characters[first] == "A" ? "B" : "A"
    return String(characters)
  }

  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
  }

  // MARK: Opens

  @Test("an open pixel records email_opened with flow and step and answers a 1x1 GIF")
  func openRecordsAndAnswersGIF() throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)
    let token = signer.token(
      for: TrackingPayload.open(memberID: ann, instanceID: instance, step: "hello").text)

    let response = get(harness, "/o/\(token).gif")
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"] == "image/gif")
    #expect(response.headers["Cache-Control"] == "no-store, private")
    #expect(
      hex(response.body)
        == "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
    let events = try harness.events()
    #expect(events.map(\.name) == ["email_opened"])
    #expect(events.first?.memberID == ann)
    #expect(events.first?.occurredAt == testNow)
    #expect(events.first?.payload == #"{"flow":"welcome","step":"hello"}"#)
  }

  @Test(
    "a bad open token, or one for an unknown instance, still answers the GIF but stores nothing")
  func badOpenToken() throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)
    let token = LinkSigner(key: Array("another-key".utf8)).token(
      for: TrackingPayload.open(memberID: ann, instanceID: instance, step: "hello").text)
    let before = harness.rowCounts()

    let unknownInstance = signer.token(
      for: TrackingPayload.open(memberID: ann, instanceID: instance + 1, step: "hello").text)
    for path in ["/o/\(token).gif", "/o/garbage.gif", "/o/\(token)", "/o/\(unknownInstance).gif"] {
      let response = get(harness, path)
      #expect(response.status == 200, "\(path)")
      #expect(response.headers["Content-Type"] == "image/gif")
      #expect(response.body.count == 43)
    }
    #expect(harness.rowCounts() == before)
  }

  @Test("an open for a merged-away member is recorded on the member it merged into")
  func openOfMergedMember() throws {
    let harness = try Harness()
    let (old, instance) = try member(in: harness, email: "old@example.com")
    let survivor = try harness.store.createMember(
      MemberRecord(id: 0, email: "ann@example.com"), createdAt: testNow - 86_400)
    _ = try harness.store.mergeMember(old, into: survivor, at: testNow - 60)
    let token = signer.token(
      for: TrackingPayload.open(memberID: old, instanceID: instance, step: "hello").text)

    #expect(get(harness, "/o/\(token).gif").status == 200)
    let opened = try harness.events().filter { $0.name == "email_opened" }
    #expect(opened.map(\.memberID) == [survivor])
    #expect(opened.first?.payload == #"{"flow":"welcome","step":"hello"}"#)
  }

  // MARK: Clicks

  @Test("a click records email_clicked, tags the member and redirects to the signed URL")
  func clickRecordsTagsAndRedirects() throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)

    let response = get(harness, "/c/\(clickToken(ann, instance, url: shoes))")
    #expect(response.status == 302)
    #expect(response.headers["Location"] == "https://shop.example.com/shoes?a=1&b=2")
    #expect(response.headers["Cache-Control"] == "no-store")
    let events = try harness.events()
    #expect(events.map(\.name) == ["email_clicked"])
    #expect(events.first?.memberID == ann)
    #expect(
      events.first?.payload
        == #"{"flow":"welcome","step":"hello","url":"https://shop.example.com/shoes?a=1&b=2"}"#)
    #expect(try harness.store.tags(memberID: ann) == ["interest:shoes", "sale"])
  }

  @Test(
    "an altered, foreign or non-http click token is a 400 page that stores nothing",
    arguments: ["flipped signature", "swapped URL", "other key", "javascript URL"])
  func badClickToken(kind: String) throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)
    let good = clickToken(ann, instance, url: shoes)
    let token: String
    switch kind {
    case "flipped signature":
      token = flipped(good)
    case "swapped URL":
      let signature = good[good.index(after: good.lastIndex(of: ".")!)...]
      let swapped = TrackingPayload.click(
        memberID: ann, instanceID: instance, step: "hello", url: "https://evil.example/",
        tags: ["interest:shoes", "sale"])
      token = "\(swapped.text).\(signature)"
    case "other key":
      token = LinkSigner(key: Array("another-key".utf8)).token(
        for: TrackingPayload.click(
          memberID: ann, instanceID: instance, step: "hello", url: shoes, tags: []
        ).text)
    default:
      token = clickToken(ann, instance, url: "javascript:alert(1)")
    }
    let before = harness.rowCounts()

    let response = get(harness, "/c/\(token)")
    #expect(response.status == 400)
    #expect(response.headers["Location"] == nil)
    #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
    #expect(String(decoding: response.body, as: UTF8.self).contains("This link does not work"))
    #expect(harness.rowCounts() == before)
  }

  @Test("a click answers curl with a 302 and the exact Location")
  func clickThroughServer() throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)
    let answer = get(harness, "/c/\(clickToken(ann, instance, url: shoes))")
    #expect(answer.status == 302)
    #expect(answer.headers["Location"] == "https://shop.example.com/shoes?a=1&b=2")
    #expect(try harness.events().map(\.name) == ["email_clicked"])
  }

  @Test("other methods on link paths are a 405 naming the allowed ones")
  func wrongMethod() throws {
    let harness = try Harness()
    let click = harness.send(HTTPRequest(method: "POST", path: "/c/x"))
    #expect(click.status == 405)
    #expect(click.headers["Allow"] == "GET")
    let unsubscribe = harness.send(HTTPRequest(method: "DELETE", path: "/u/x"))
    #expect(unsubscribe.status == 405)
    #expect(unsubscribe.headers["Allow"] == "GET, POST")
    #expect(unsubscribe.error == "/u/ accepts GET or POST, not DELETE")
  }

  // MARK: Unsubscribe

  @Test("GET /u/ shows the unsubscribe page in the member's language and changes nothing")
  func unsubscribePage() throws {
    let harness = try Harness(pages: EchoPages())
    let (ann, _) = try member(in: harness, locale: "de")
    try harness.store.recordConsent(
      memberID: ann, channel: "email", status: ConsentStatus.optedIn, source: "test",
      occurredAt: testNow - 86_400, recordedAt: testNow - 86_400, evidence: nil)
    let token = signer.token(for: "u.\(ann)")
    let before = harness.rowCounts()

    let response = get(harness, "/u/\(token)")
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
    #expect(
      String(decoding: response.body, as: UTF8.self)
        == "unsubscribe de action_url=https://track.example.com/u/\(token) email=ann@example.com shop_name=Example Shop"
    )
    #expect(harness.rowCounts() == before)
    #expect(
      try harness.store.consentStatus(memberID: ann, channel: "email", at: testNow)
        == ConsentStatus.optedIn)
  }

  @Test("POST /u/ unsubscribes with evidence and an event; a second POST stores nothing")
  func unsubscribePost() throws {
    let harness = try Harness()
    let (ann, _) = try member(in: harness)
    try harness.store.recordConsent(
      memberID: ann, channel: "email", status: ConsentStatus.optedIn, source: "test",
      occurredAt: testNow - 86_400, recordedAt: testNow - 86_400, evidence: nil)
    let token = signer.token(for: "u.\(ann)")

    let first = postUnsubscribe(harness, token)
    #expect(first.status == 200)
    #expect(String(decoding: first.body, as: UTF8.self).contains("You are unsubscribed"))
    #expect(
      try harness.store.consentStatus(memberID: ann, channel: "email", at: testNow)
        == ConsentStatus.unsubscribed)
    let record = try #require(try harness.store.consentHistory(memberID: ann).last)
    #expect(record.source == "link:unsubscribe")
    #expect(record.evidence == "POST /u/ from 127.0.0.9 at 2025-03-03T00:00:00Z")
    #expect(record.occurredAt == testNow)
    let events = try harness.events()
    #expect(events.map(\.name) == ["unsubscribed"])
    #expect(events.first?.payload == "{}")

    let counts = harness.rowCounts()
    let second = postUnsubscribe(harness, token)
    #expect(second.status == 200)
    #expect(second.body == first.body)
    #expect(harness.rowCounts() == counts)
  }

  @Test(
    "a bad unsubscribe token is a 400 page for GET and POST and stores nothing",
    arguments: ["flipped signature", "other key", "click token", "unknown member"])
  func badUnsubscribeToken(kind: String) throws {
    let harness = try Harness()
    let (ann, instance) = try member(in: harness)
    let good = signer.token(for: "u.\(ann)")
    let token =
      switch kind {
      case "flipped signature": flipped(good)
      case "other key": LinkSigner(key: Array("another-key".utf8)).token(for: "u.\(ann)")
      case "click token": clickToken(ann, instance, url: shoes)
      default: signer.token(for: "u.\(ann + 100)")
      }
    let before = harness.rowCounts()

    for response in [get(harness, "/u/\(token)"), postUnsubscribe(harness, token)] {
      #expect(response.status == 400)
      #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
      #expect(String(decoding: response.body, as: UTF8.self).contains("This link does not work"))
    }
    #expect(harness.rowCounts() == before)
    #expect(try harness.store.consentStatus(memberID: ann, channel: "email", at: testNow) == nil)
  }
}

/// Pages that show what they were asked for: the page, the locale and the values.
private struct EchoPages: IntakePages {
  func html(_ page: IntakePage, locale: String?, values: [String: String]) -> String {
    ([page.rawValue, locale ?? "-"] + values.sorted { $0.key < $1.key }.map { "\($0)=\($1)" })
      .joined(separator: " ")
  }
}
