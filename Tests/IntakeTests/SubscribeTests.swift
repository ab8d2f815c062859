import Foundation
import HTTPTypes
import LinkTokens
import MemberStore
import Testing

@testable import Intake

extension Harness {
  /// A JSON signup from `ip`.
  func subscribe(
    json: String, ip: String = "127.0.113.9", headers: [String: String] = [:]
  ) -> HTTPResponse {
    send(
      HTTPRequest(
        method: "POST", path: "/v1/subscribe",
        headers: ["content-type": "application/json"].merging(headers) { _, given in given },
        body: Array(json.utf8), remoteAddress: ip))
  }

  /// A plain HTML form post from `ip`.
  func subscribe(
    form: String, ip: String = "127.0.113.9", headers: [String: String] = [:]
  ) -> HTTPResponse {
    send(
      HTTPRequest(
        method: "POST", path: "/v1/subscribe",
        headers: ["content-type": "application/x-www-form-urlencoded"].merging(headers) {
          _, given in given
        },
        body: Array(form.utf8), remoteAddress: ip))
  }

  func get(_ path: String) -> HTTPResponse {
    send(
      HTTPRequest(
        method: "GET", path: path, headers: ["user-agent": "Mail/2"], remoteAddress: "127.51.100.4")
    )
  }

  /// The confirmation emails queued, oldest first.
  func outbox() throws -> [OutboxMessage] { try store.pendingOutbox(limit: 100) }

  /// The `/v1/confirm/TOKEN` path in the latest confirmation email.
  func confirmPath() throws -> String {
    let text = String(decoding: try #require(try outbox().last).message, as: UTF8.self)
    let start = try #require(text.range(of: "https://track.example.com"))
    return String(text[start.upperBound...].prefix { !$0.isWhitespace })
  }

  /// (status, source, evidence, effective) of each email consent record.
  func consentRecords() -> [[String?]] {
    rows("SELECT status, source, evidence, effective FROM consent_records ORDER BY id")
  }
}

extension HTTPResponse {
  var text: String { String(decoding: body, as: UTF8.self) }
}

@Suite("POST /v1/subscribe and GET /v1/confirm")
struct SubscribeTests {
  let shop = "https://shop.example.com"

  @Test("a JSON signup stores the member, a pending consent with evidence and one email")
  func jsonSignup() throws {
    let harness = try Harness()
    let response = harness.subscribe(
      json:
        #"{"email": "Ann@Example.com", "first_name": "Ann", "locale": "fr-CA", "form": "footer", "consent_text": "Send me news", "visitor_id": "v-9"}"#,
      headers: ["user-agent": "TestAgent/1"])
    #expect(response.status == 202)
    #expect(response.headers["Content-Type"] == "application/json")
    #expect(response.json["status"] as? String == "pending")
    let memberID = Int64(try #require(response.json["member_id"] as? Int))
    let member = try #require(try harness.store.member(id: memberID))
    #expect(member.email == "Ann@Example.com")
    // The name, language and browser are the member's only once the address is confirmed.
    #expect(member.firstName == nil && member.locale == nil)
    #expect(try harness.store.memberID(identity: "visitor", value: "v-9") == nil)
    #expect(
      try harness.store.consentStatus(memberID: memberID, channel: "email", at: testNow)
        == "pending")
    #expect(
      harness.consentRecords() == [
        [
          "pending", "signup",
          #"{"at":"2025-03-03T00:00:00Z","form":"footer","ip":"127.0.113.9","text":"Send me news","user_agent":"TestAgent/1"}"#,
          "1",
        ]
      ])
    let outbox = try harness.outbox()
    #expect(outbox.count == 1)
    #expect(outbox.first?.flow == "(signup)" && outbox.first?.step == "confirm")
    #expect(outbox.first?.recipient == "Ann@Example.com")
    let key = try #require(outbox.first?.idempotencyKey)
    #expect(key.hasPrefix("_signup:confirm:\(memberID):\(testNow):") && key.count == 12 + 29)
    let path = try harness.confirmPath()
    #expect(path.hasPrefix("/v1/confirm/k.\(memberID).\(testNow)."))
    #expect(try harness.events().isEmpty)
  }

  @Test("a form post answers the subscribed page in the member's language")
  func formSignup() throws {
    let harness = try Harness()
    let response = harness.subscribe(
      form: "email=ann%40example.com&first_name=Ann+Marie&locale=de&consent_text=Yes%21&_gotcha=")
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
    #expect(
      response.text
        == PlainPages().html(
          .subscribed, locale: "de",
          values: ["shop_name": "Example Shop", "email": "ann@example.com"]))
    #expect(response.text.contains("Check your inbox"))
    let memberID = try #require(
      try harness.store.memberID(identity: "email", value: "ann@example.com"))
    #expect(try harness.store.member(id: memberID)?.firstName == nil)
    #expect(try harness.outbox().count == 1)
    #expect(harness.consentRecords().first?[2]?.contains(#""text":"Yes!""#) == true)
    #expect(harness.get(try harness.confirmPath()).status == 200)
    let member = try #require(try harness.store.member(id: memberID))
    #expect(member.firstName == "Ann Marie" && member.locale == "de")
  }

  @Test("return_to on an allowed origin is a 303 there; any other is ignored")
  func returnTo() throws {
    let harness = try Harness(allowedOrigins: [shop])
    let allowed = harness.subscribe(
      form: "email=ann%40example.com&return_to=https%3A%2F%2Fshop.example.com%2Fthanks%3Fx%3D1",
      headers: ["origin": shop])
    #expect(allowed.status == 303)
    #expect(allowed.headers["Location"] == "https://shop.example.com/thanks?x=1")
    #expect(allowed.headers["Access-Control-Allow-Origin"] == shop)
    let ignoredTargets = [
      "https://evil.example/thanks", "https://shop.example.com@evil.example/",
      "https://shop.example.com.evil.example/", "javascript:alert(1)", "/relative",
    ]
    for (number, target) in ignoredTargets.enumerated() {
      let encoded = try #require(
        target.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
      let ignored = harness.subscribe(
        form: "email=bob%40example.com&return_to=\(encoded)", ip: "127.0.2.\(number)")
      #expect(ignored.status == 200, "\(target)")
      #expect(ignored.headers["Location"] == nil)
      #expect(ignored.text.contains("Check your inbox"))
    }
  }

  @Test("Accept: application/json makes a form post a JSON caller")
  func acceptJSON() throws {
    let harness = try Harness()
    let response = harness.subscribe(
      form: "email=ann%40example.com", headers: ["accept": "application/json"])
    #expect(response.status == 202)
    #expect(response.json["status"] as? String == "pending")
  }

  @Test(
    "signing up again keeps the member's data, fills only its blanks on confirming, mails again")
  func resubscribe() throws {
    let harness = try Harness()
    let known = harness.post(
      "/v1/identify",
      #"{"visitor_id": "v-1", "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"}"#
    )
    let memberID = Int64(try #require(known.json["member_id"] as? Int))
    try harness.store.setTag("vip", memberID: memberID, present: true, at: testNow)
    try harness.store.recordConsent(
      memberID: memberID, channel: "sms", status: "opted_in", source: "import", occurredAt: testNow,
      recordedAt: testNow, evidence: nil)
    let members = harness.rowCounts()["members"]

    let first = harness.subscribe(
      json: #"{"email": "ann@example.com", "first_name": "Annie", "last_name": "", "locale": "fr"}"#
    )
    #expect(first.status == 202)
    #expect(first.json["member_id"] as? Int == Int(memberID))
    // Anyone may post a signup: nothing it says is stored before the address is confirmed.
    #expect(try harness.store.member(id: memberID)?.locale == nil)
    let firstLink = try harness.confirmPath()
    #expect(try harness.store.tags(memberID: memberID) == ["vip"])
    #expect(
      try harness.store.consentStatus(memberID: memberID, channel: "sms", at: testNow)
        == "opted_in")

    harness.clock.now = testNow + 60
    let counts = harness.rowCounts()
    let again = harness.subscribe(json: #"{"email": "ann@example.com", "first_name": "Anna"}"#)
    #expect(again.json["status"] as? String == "pending")
    #expect(again.json["member_id"] as? Int == Int(memberID))
    var expected = counts
    expected["outbox"]! += 1
    expected["outbox_messages"]! += 1
    #expect(harness.rowCounts() == expected)
    #expect(harness.rowCounts()["members"] == members)
    #expect(try harness.store.member(id: memberID)?.firstName == "Ann")
    #expect(try harness.confirmPath().hasPrefix("/v1/confirm/k.\(memberID).\(testNow + 60)."))

    #expect(harness.get(firstLink).status == 200)
    let member = try #require(try harness.store.member(id: memberID))
    #expect(member.firstName == "Ann" && member.lastName == "Lee" && member.locale == "fr")
  }

  @Test("two signups of one address in one second each get their own link")
  func sameSecondSignups() throws {
    let harness = try Harness()
    _ = harness.subscribe(json: #"{"email": "ann@example.com", "first_name": "Mallory"}"#)
    _ = harness.subscribe(
      json: #"{"email": "ann@example.com", "first_name": "Ann"}"#, ip: "127.0.113.10")
    let outbox = try harness.outbox()
    #expect(outbox.count == 2)
    #expect(Set(outbox.map(\.idempotencyKey)).count == 2)
    // The address's owner follows their own link: the name is theirs.
    #expect(harness.get(try harness.confirmPath()).status == 200)
    let memberID = try #require(
      try harness.store.memberID(identity: "email", value: "ann@example.com"))
    #expect(try harness.store.member(id: memberID)?.firstName == "Ann")
  }

  @Test("a signup never rewrites how a known member's address is written")
  func keepsStoredAddress() throws {
    let harness = try Harness()
    let known = harness.post("/v1/identify", #"{"visitor_id": "v-1", "email": "ann@example.com"}"#)
    let memberID = Int64(try #require(known.json["member_id"] as? Int))
    let signup = harness.subscribe(json: #"{"email": "ANN@Example.COM"}"#)
    #expect(signup.json["member_id"] as? Int == Int(memberID))
    #expect(try harness.store.member(id: memberID)?.email == "ann@example.com")
    #expect(try harness.outbox().last?.recipient == "ann@example.com")
  }

  @Test("one member gets at most three confirmation emails an hour, whoever signs it up")
  func confirmationsPerMember() throws {
    let harness = try Harness()
    for attempt in 0..<5 {
      harness.clock.now = testNow + Int64(attempt)
      let response = harness.subscribe(
        json: #"{"email": "ann@example.com"}"#, ip: "127.0.113.\(attempt)")
      #expect(response.status == 202)
    }
    #expect(try harness.outbox().count == 3)
    harness.clock.now = testNow + 20 * 60 + 2
    _ = harness.subscribe(json: #"{"email": "ann@example.com"}"#, ip: "127.0.113.50")
    #expect(try harness.outbox().count == 4)
  }

  @Test("the link confirms once: consent confirmed and member_joined, later clicks store nothing")
  func confirm() throws {
    let harness = try Harness()
    let signup = harness.subscribe(json: #"{"email": "ann@example.com", "locale": "es"}"#)
    let memberID = Int64(try #require(signup.json["member_id"] as? Int))
    let path = try harness.confirmPath()

    harness.clock.now = testNow + 3600
    let response = harness.get(path)
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
    #expect(
      response.text
        == PlainPages().html(
          .confirmed, locale: "es",
          values: ["shop_name": "Example Shop", "email": "ann@example.com"]))
    #expect(
      try harness.store.consentStatus(memberID: memberID, channel: "email", at: testNow + 3600)
        == "confirmed")
    #expect(
      harness.consentRecords().last == [
        "confirmed", "signup",
        #"{"at":"2025-03-03T01:00:00Z","ip":"127.51.100.4","user_agent":"Mail/2"}"#, "1",
      ])
    let joined = try harness.events().filter { $0.name == "member_joined" }
    #expect(joined.map(\.memberID) == [memberID])
    #expect(joined.map(\.occurredAt) == [testNow + 3600])

    let counts = harness.rowCounts()
    let again = harness.get(path)
    #expect(again.status == 200 && again.text == response.text)
    #expect(harness.rowCounts() == counts)

    let resubscribed = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    #expect(resubscribed.status == 202)
    #expect(resubscribed.json["status"] as? String == "confirmed")
    #expect(resubscribed.json["member_id"] as? Int == Int(memberID))
    #expect(harness.rowCounts() == counts)
  }

  @Test("confirming links the browser the signup came from, merging its visitor's history")
  func confirmLinksVisitor() throws {
    let harness = try Harness()
    let browsing = harness.post(
      "/v1/events",
      #"{"visitor_id": "v-9", "event": "product_viewed", "properties": {"sku": "A1"}}"#)
    #expect(browsing.status == 202)
    let anonymous = try #require(try harness.store.memberID(identity: "visitor", value: "v-9"))
    let signup = harness.subscribe(json: #"{"email": "ann@example.com", "visitor_id": "v-9"}"#)
    let memberID = Int64(try #require(signup.json["member_id"] as? Int))
    #expect(memberID != anonymous)
    #expect(try harness.store.memberID(identity: "visitor", value: "v-9") == anonymous)

    let response = harness.get(try harness.confirmPath())
    #expect(response.status == 200)
    let owner = try #require(try harness.store.memberID(identity: "visitor", value: "v-9"))
    #expect(try harness.store.memberID(identity: "email", value: "ann@example.com") == owner)
    #expect(try harness.events().filter { $0.name == "product_viewed" }.map(\.memberID) == [owner])
    #expect(
      try harness.store.consentStatus(memberID: owner, channel: "email", at: testNow) == "confirmed"
    )
  }

  @Test("a broken confirmation template is a 500 that hides its details and stores nothing")
  func mailerFails() throws {
    let harness = try Harness(mailer: FailingMailer())
    let counts = harness.rowCounts()
    let response = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    #expect(response.status == 500)
    #expect(response.error == "could not write the confirmation email; please try again later")
    #expect(harness.rowCounts() == counts)
    #expect(
      harness.log.lines == [
        "signup refused: could not write the confirmation email: confirm_subscription.html.liquid:3:7: unknown filter 'shout'"
      ])
  }

  @Test("a link of a member merged since confirms the survivor")
  func mergedMember() throws {
    let harness = try Harness()
    let older = harness.post(
      "/v1/identify", #"{"visitor_id": "v-1", "email": "ann@work.example"}"#)
    let survivor = Int64(try #require(older.json["member_id"] as? Int))
    let signup = harness.subscribe(json: #"{"email": "ann@home.example"}"#)
    let merged = Int64(try #require(signup.json["member_id"] as? Int))
    let path = try harness.confirmPath()
    _ = try harness.store.mergeMember(merged, into: survivor, at: testNow)

    let response = harness.get(path)
    #expect(response.status == 200)
    #expect(response.text.contains("ann@work.example"))
    #expect(
      try harness.store.consentStatus(memberID: survivor, channel: "email", at: testNow)
        == "confirmed")
    let joined = try harness.events().filter { $0.name == "member_joined" }
    #expect(joined.filter { $0.occurredAt == testNow }.map(\.memberID).contains(survivor))
    #expect(joined.filter { $0.memberID == merged }.isEmpty)
  }

  @Test("an expired, altered or foreign link is the invalid-link page, and stores nothing")
  func badLinks() throws {
    let harness = try Harness()
    _ = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    let path = try harness.confirmPath()
    let token = String(path.dropFirst("/v1/confirm/".count))
    let signature = token.split(separator: ".").last!
    let other =
      token.dropLast(signature.count) + (signature.first == "A" ? "B" : "A")
      + signature.dropFirst()
    let counts = harness.rowCounts()
    let invalid = PlainPages().html(
      .invalidLink, locale: nil, values: ["shop_name": "Example Shop"])
    // Signed, but dated later than now: it would never expire.
    let future = LinkSigner(key: Array(signingKey.utf8)).token(
      for: ConfirmLink(
        memberID: 1, issuedAt: testNow + 365 * 86_400, consentMark: 0, profile: .init()
      ).payload)
    for bad in [
      "/v1/confirm/" + other, "/v1/confirm/k.2.\(testNow).\(signature)", "/v1/confirm/",
      "/v1/confirm/k.1.\(testNow)", "/v1/confirm/" + future,
    ] {
      let response = harness.get(bad)
      #expect(response.status == 400, "\(bad)")
      #expect(response.text == invalid)
    }
    harness.clock.now = testNow + 7 * 86_400
    let lastDay = harness.rowCounts()
    harness.clock.now += 1
    let expired = harness.get(path)
    #expect(expired.status == 400 && expired.text == invalid)
    #expect(harness.rowCounts() == counts && lastDay == counts)
    harness.clock.now -= 1
    #expect(harness.get(path).status == 200)
  }

  @Test("an old link does not sign up again someone who unsubscribed after it was sent")
  func unsubscribedSince() throws {
    let harness = try Harness()
    let signup = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    let memberID = Int64(try #require(signup.json["member_id"] as? Int))
    let oldPath = try harness.confirmPath()
    try harness.store.recordConsent(
      memberID: memberID, channel: "email", status: "unsubscribed", source: "link",
      occurredAt: testNow + 10, recordedAt: testNow + 10, evidence: nil)
    harness.clock.now = testNow + 60
    let counts = harness.rowCounts()
    #expect(harness.get(oldPath).status == 400)
    #expect(harness.rowCounts() == counts)

    // A withdrawal in the very second the link was made voids it too.
    harness.clock.now = testNow + 90
    _ = harness.subscribe(json: #"{"email": "ann@example.com"}"#, ip: "127.0.113.90")
    let sameSecond = try harness.confirmPath()
    try harness.store.recordConsent(
      memberID: memberID, channel: "email", status: "unsubscribed", source: "link",
      occurredAt: testNow + 90, recordedAt: testNow + 90, evidence: nil)
    #expect(harness.get(sameSecond).status == 400)

    // Signing up again gives a link that works: double opt-in overrides the withdrawal.
    harness.clock.now = testNow + 120
    _ = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    #expect(harness.get(try harness.confirmPath()).status == 200)
    #expect(
      try harness.store.consentStatus(memberID: memberID, channel: "email", at: testNow + 120)
        == "confirmed")
  }

  @Test("a filled honeypot gets exactly a person's answer and stores nothing")
  func honeypot() throws {
    let person = try Harness(allowedOrigins: [shop])
    let bot = try Harness(allowedOrigins: [shop])
    let counts = bot.rowCounts()
    let json = #"{"email": "ann@example.com", "first_name": "Ann"}"#
    let botJSON = bot.subscribe(
      json: #"{"email": "ann@example.com", "first_name": "Ann", "_gotcha": "http://spam"}"#)
    #expect(botJSON == person.subscribe(json: json))
    #expect(botJSON.status == 202 && botJSON.json["member_id"] as? Int == 1)
    let form = "email=bob%40example.com"
    #expect(bot.subscribe(form: form + "&_gotcha=x") == person.subscribe(form: form))
    let redirect = "&return_to=https%3A%2F%2Fshop.example.com%2Fok"
    let botRedirect = bot.subscribe(form: form + redirect + "&_gotcha=x")
    #expect(botRedirect.status == 303 && botRedirect == person.subscribe(form: form + redirect))
    #expect(bot.rowCounts() == counts)
    #expect(try bot.outbox().isEmpty)
  }

  @Test("the sixth signup in a minute from one address is a 429 that stores nothing")
  func rateLimit() throws {
    let harness = try Harness()
    for number in 1...5 {
      let response = harness.subscribe(json: #"{"email": "p\#(number)@example.com"}"#)
      #expect(response.status == 202)
    }
    let counts = harness.rowCounts()
    let limited = harness.subscribe(json: #"{"email": "p6@example.com"}"#)
    #expect(limited.status == 429)
    #expect(limited.headers["Retry-After"] == "12")
    #expect(limited.error == "too many signups from this address; try again in 12 seconds")
    #expect(harness.rowCounts() == counts)
    #expect(harness.subscribe(json: #"{"email": "p6@example.com"}"#, ip: "127.0.0.2").status == 202)
    harness.clock.now = testNow + 11
    #expect(harness.subscribe(json: #"{"email": "p6@example.com"}"#).status == 429)
    harness.clock.now = testNow + 12
    #expect(harness.subscribe(json: #"{"email": "p6@example.com"}"#).status == 202)
    #expect(harness.subscribe(json: #"{"email": "p7@example.com"}"#).status == 429)
  }

  @Test("the rate comes from the settings")
  func configuredRate() throws {
    let harness = try Harness(subscribeRatePerMinute: 2)
    #expect(harness.subscribe(json: #"{"email": "a@example.com"}"#).status == 202)
    #expect(harness.subscribe(json: #"{"email": "b@example.com"}"#).status == 202)
    let limited = harness.subscribe(json: #"{"email": "c@example.com"}"#)
    #expect(limited.status == 429 && limited.headers["Retry-After"] == "30")
  }

  @Test(
    "a signup without a usable address or body is refused and stores nothing",
    arguments: [
      ("application/json", #"{"first_name": "Ann"}"#, 400, "missing 'email'"),
      ("application/json", #"{"email": "  "}"#, 400, "missing 'email'"),
      (
        "application/json", #"{"email": "ann@example"}"#, 400,
        "'email' 'ann@example' is not an email address"
      ),
      (
        "application/json", #"{"email": "ann example.com"}"#, 400,
        "'email' 'ann example.com' is not an email address"
      ),
      (
        "application/json", #"{"email": "a@b@example.com"}"#, 400,
        "'email' 'a@b@example.com' is not an email address"
      ),
      ("application/json", #"{"email": 7}"#, 400, "'email' must be a string"),
      ("application/json", #"{"email": "ann@exa"#, 400, "the body is not valid JSON"),
      ("application/json", #"["ann@example.com"]"#, 400, "the body must be a JSON object"),
      (
        "application/json", #"{"email": "ann@example.com", "locale": "en_US!"}"#, 400,
        "'locale' 'en_US!' is not a BCP 47 language tag (like en or fr-CA)"
      ),
      (
        "application/json",
        #"{"email": "ann@example.com", "first_name": "\#(String(repeating: "A", count: 257))"}"#,
        400, "'first_name' is longer than 256 characters"
      ),
      (
        "application/json", #"{"email": "ann@example.com", "first_name": "A\u0000B"}"#, 400,
        "'first_name' contains a control character"
      ),
      (
        "application/json",
        #"{"email": "ann@example.com", "first_name": "e\#(String(repeating: "\u{301}", count: 300))"}"#,
        400, "'first_name' is longer than 256 characters"
      ),
      (
        "application/x-www-form-urlencoded",
        "email=ann%40example.com&return_to=https%3A%2F%2Fshop.example.com%2F%01", 400,
        "'return_to' contains a control character"
      ),
      ("application/x-www-form-urlencoded", "first_name=Ann", 400, "missing 'email'"),
      (
        "application/x-www-form-urlencoded", "email=%40example.com", 400,
        "'email' '@example.com' is not an email address"
      ),
      (
        "text/plain", "email=ann@example.com", 415,
        "the body must be application/x-www-form-urlencoded or application/json"
      ),
    ])
  func refusals(contentType: String, body: String, status: Int, error: String) throws {
    let harness = try Harness()
    let counts = harness.rowCounts()
    let response = harness.subscribe(json: body, headers: ["content-type": contentType])
    #expect(response.status == status)
    #expect(response.headers["Content-Type"] == "application/json")
    #expect(response.error == error)
    #expect(harness.rowCounts() == counts)
  }

  @Test("without a mailer signups are a 503 and store nothing")
  func noMailer() throws {
    let harness = try Harness(mailer: nil)
    let counts = harness.rowCounts()
    let response = harness.subscribe(json: #"{"email": "ann@example.com"}"#)
    #expect(response.status == 503)
    #expect(response.error == "signups are not available: no confirmation email can be sent")
    #expect(harness.rowCounts() == counts)
  }

  @Test("CORS preflight, wrong methods and the other paths")
  func routing() throws {
    let harness = try Harness(allowedOrigins: [shop])
    let preflight = harness.send(
      HTTPRequest(method: "OPTIONS", path: "/v1/subscribe", headers: ["origin": shop]))
    #expect(preflight.status == 204)
    #expect(preflight.headers["Access-Control-Allow-Origin"] == shop)
    let foreign = harness.send(
      HTTPRequest(
        method: "OPTIONS", path: "/v1/subscribe", headers: ["origin": "https://x.example"]))
    #expect(foreign.status == 403)
    let get = harness.send(HTTPRequest(method: "GET", path: "/v1/subscribe"))
    #expect(get.status == 405 && get.headers["Allow"] == "POST, OPTIONS")
    let post = harness.send(HTTPRequest(method: "POST", path: "/v1/confirm/abc"))
    #expect(post.status == 405 && post.headers["Allow"] == "GET")
    #expect(harness.send(HTTPRequest(method: "GET", path: "/v1/confirm")).status == 404)
  }

  @Test("a form posted by curl gets the page, and the member is stored")
  func overHTTP() throws {
    let harness = try Harness()
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments = [
      "--silent", "--max-time", "20", "--write-out", "\n%{http_code} %{content_type}",
      "--data-urlencode", "email=ann+news@example.com", "--data-urlencode", "first_name=Zoë",
      "--data", "form=footer&_gotcha=", "http://127.0.0.1:\(harness.port)/v1/subscribe",
    ]
    let pipe = Pipe()
    curl.standardOutput = pipe
    try curl.run()
    let output = String(
      decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    curl.waitUntilExit()
    let lastLine = output.split(separator: "\n").last.map(String.init)
    #expect(lastLine == "200 text/html; charset=utf-8")
    #expect(output.contains("<strong>ann+news@example.com</strong>"))
    let memberID = try #require(
      try harness.store.memberID(identity: "email", value: "ann+news@example.com"))
    #expect(harness.consentRecords().first?[2]?.contains(#""ip":"127.0.0.1""#) == true)
    #expect(harness.get(try harness.confirmPath()).status == 200)
    #expect(try harness.store.member(id: memberID)?.firstName == "Zoë")
    #expect(try harness.outbox().count == 1)
  }
}
