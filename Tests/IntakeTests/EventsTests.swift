import Foundation
import HTTPTypes
import Testing

@Suite("POST /v1/events and /v1/identify")
struct EventsTests {
  @Test("an event for an unknown visitor creates an anonymous member and stores the event")
  func anonymousVisitor() throws {
    let harness = try Harness()
    let response = harness.post(
      "/v1/events",
      #"{"event": "cart_abandoned", "visitor_id": "v-1", "properties": {"cart": "c9", "value": 42}, "occurred_at": "2025-03-02T10:00:00Z"}"#
    )
    #expect(response.status == 202)
    #expect(response.headers["Content-Type"] == "application/json")
    #expect(response.json["accepted"] as? Bool == true)
    let memberID = try #require(response.json["member_id"] as? Int)
    #expect(try harness.store.memberID(identity: "visitor", value: "v-1") == Int64(memberID))
    #expect(try harness.store.member(id: Int64(memberID))?.email == "")
    let events = try harness.events().filter { $0.name == "cart_abandoned" }
    #expect(events.count == 1)
    #expect(events.first?.memberID == Int64(memberID))
    #expect(events.first?.occurredAt == 1_740_909_600)
    #expect(events.first?.payload == #"{"cart":"c9","value":42}"#)
  }

  @Test("an event by email and X-Api-Key finds the member; no occurred_at means now")
  func knownEmail() throws {
    let harness = try Harness()
    let first = harness.post("/v1/events", #"{"event": "viewed", "email": "Ann@Example.com"}"#)
    let request = HTTPRequest(
      method: "POST", path: "/v1/events", headers: ["x-api-key": apiKey],
      body: Array(#"{"event": "viewed", "email": "ann@example.com"}"#.utf8))
    let second = harness.send(request)
    #expect(first.status == 202 && second.status == 202)
    #expect(first.json["member_id"] as? Int == second.json["member_id"] as? Int)
    let viewed = try harness.events().filter { $0.name == "viewed" }
    #expect(viewed.map(\.occurredAt) == [testNow, testNow])
    #expect(viewed.map(\.payload) == ["{}", "{}"])
  }

  @Test("a retried event with the same id is stored once")
  func idempotentRetry() throws {
    let harness = try Harness()
    let body = #"{"event": "quiz_done", "email": "ann@example.com", "id": "evt-7"}"#
    let first = harness.post("/v1/events", body)
    let counts = harness.rowCounts()
    let retry = harness.post("/v1/events", body)
    #expect(first.status == 202 && retry.status == 202)
    #expect(first.json["duplicate"] == nil)
    #expect(retry.json["duplicate"] as? Bool == true)
    #expect(retry.json["member_id"] as? Int == first.json["member_id"] as? Int)
    #expect(harness.rowCounts() == counts)
    #expect(try harness.events().filter { $0.name == "quiz_done" }.count == 1)
  }

  @Test(
    "refused events name the problem and store nothing",
    arguments: [
      (#"{"event": "viewed", "email": "a@example.com"}"#, "wrong-key", 401, "invalid API key"),
      (
        #"{"event": "viewed", "email": "a@example.com"}"#, nil, 401,
        "missing API key (Authorization: Bearer KEY or X-Api-Key)"
      ),
      (#"{"event": "viewed", "email": "a@exam"#, apiKey, 400, "the body is not valid JSON"),
      (#"["viewed"]"#, apiKey, 400, "the body must be a JSON object"),
      (#"{"email": "a@example.com"}"#, apiKey, 400, "missing 'event'"),
      (
        #"{"event": "Viewed!", "email": "a@example.com"}"#, apiKey, 400,
        "'event' 'Viewed!' must be lower-case letters, digits and _"
      ),
      (
        #"{"event": "order_placed", "email": "a@example.com"}"#, apiKey, 400,
        "'event' 'order_placed' is recorded by flowc itself and cannot be sent"
      ),
      (
        #"{"event": "viewed"}"#, apiKey, 400,
        "one of 'email', 'visitor_id' or 'customer_id' is required"
      ),
      (#"{"event": "viewed", "email": 7}"#, apiKey, 400, "'email' must be a string"),
      (
        #"{"event": "viewed", "email": "a@example.com", "properties": [1]}"#, apiKey, 400,
        "'properties' must be an object"
      ),
      (
        #"{"event": "viewed", "email": "a@example.com", "occurred_at": "yesterday"}"#, apiKey,
        400, "'occurred_at' 'yesterday' is not an ISO 8601 time"
      ),
      (#"{"event": "viewed", "email": "not-an-email"}"#, apiKey, 400, nil),
      (
        #"{"event": "viewed", "customer_id": "7000"}"#, apiKey, 400,
        "external id '7000' is not kind:value (like shopify:123)"
      ),
    ] as [(String, String?, Int, String?)])
  func refusals(body: String, key: String?, status: Int, error: String?) throws {
    let harness = try Harness()
    let before = harness.rowCounts()
    let response = harness.post("/v1/events", body, key: key)
    #expect(response.status == status)
    #expect(response.headers["Content-Type"] == "application/json")
    let message = try #require(response.error)
    if let error { #expect(message == error) }
    #expect(harness.rowCounts() == before)
  }

  @Test("identify merges an anonymous visitor's events into the email's member")
  func identifyMerges() throws {
    let harness = try Harness()
    let known = harness.post("/v1/events", #"{"event": "signed_up", "email": "ann@example.com"}"#)
    let anonymous = harness.post("/v1/events", #"{"event": "cart_abandoned", "visitor_id": "v-9"}"#)
    let annID = try #require(known.json["member_id"] as? Int)
    let visitorID = try #require(anonymous.json["member_id"] as? Int)
    #expect(annID != visitorID)

    let identified = harness.post(
      "/v1/identify", #"{"visitor_id": "v-9", "email": "ann@example.com", "first_name": "Ann"}"#)
    #expect(identified.status == 200)
    #expect(identified.json["member_id"] as? Int == annID)
    #expect(identified.json["merged"] as? [Int] == [visitorID])
    #expect(try harness.store.memberID(identity: "visitor", value: "v-9") == Int64(annID))
    #expect(try harness.store.member(id: Int64(annID))?.firstName == "Ann")
    let names = try harness.events().filter { $0.memberID == Int64(annID) }.map(\.name)
    #expect(names.contains("cart_abandoned") && names.contains("signed_up"))

    // The visitor's later events go to Ann.
    let later = harness.post("/v1/events", #"{"event": "viewed", "visitor_id": "v-9"}"#)
    #expect(later.json["member_id"] as? Int == annID)
  }

  @Test(
    "identify refusals store nothing",
    arguments: [
      (#"{"email": "ann@example.com"}"#, 400, "missing 'visitor_id'"),
      (#"{"visitor_id": "v-1"}"#, 400, "missing 'email'"),
      (
        #"{"visitor_id": "v-1", "email": "ann@example.com", "fields": {"size": 3}}"#, 400,
        "'fields.size' must be a string"
      ),
      (
        #"{"visitor_id": "v-1", "email": "ann@example.com", "locale": "en_US!"}"#, 400,
        "'locale' 'en_US!' is not a BCP 47 language tag (like en or fr-CA)"
      ),
      (
        #"{"visitor_id": "v\u00001", "email": "ann@example.com"}"#, 400,
        "'visitor_id' contains a control character"
      ),
      (
        #"{"visitor_id": "v-1", "email": "ann@example.com", "fields": {"tier": "go\u0000ld"}}"#,
        400, "'fields.tier' contains a control character"
      ),
      ("", 400, "the body is not valid JSON"),
    ])
  func identifyRefusals(body: String, status: Int, error: String) throws {
    let harness = try Harness()
    let before = harness.rowCounts()
    let response = harness.post("/v1/identify", body)
    #expect(response.status == status)
    #expect(response.error == error)
    #expect(harness.rowCounts() == before)
    #expect(harness.post("/v1/identify", body, key: "nope").status == 401)
  }

  @Test("calls from several threads at once are all stored")
  func concurrentCalls() throws {
    let harness = try Harness()
    let statuses = Statuses()
    DispatchQueue.concurrentPerform(iterations: 40) { index in
      let body = #"{"event": "viewed", "visitor_id": "v-\#(index % 8)", "id": "e\#(index)"}"#
      let response = harness.send(
        HTTPRequest(
          method: "POST", path: "/v1/events", headers: ["x-api-key": apiKey],
          body: Array(body.utf8)))
      statuses.append(response.status)
    }
    #expect(statuses.all == Array(repeating: 202, count: 40))
    #expect(try harness.events().filter { $0.name == "viewed" }.count == 40)
    #expect(harness.rowCounts()["members"] == 8)
  }
}

/// Statuses collected from several threads.
final class Statuses: @unchecked Sendable {
  private let lock = NSLock()
  private var statuses: [Int] = []

  func append(_ status: Int) {
    lock.lock()
    statuses.append(status)
    lock.unlock()
  }

  var all: [Int] {
    lock.lock()
    defer { lock.unlock() }
    return statuses
  }
}
