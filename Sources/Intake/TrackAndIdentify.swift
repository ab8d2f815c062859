import FlowIR
import Foundation
import HTTPTypes
import Identity
import Imports

/// A `POST /v1/events` body, checked before anything is stored.
struct TrackedEvent {
  var name: String
  var member: MemberInput
  /// The properties as stored in the event's payload (JSON, sorted keys).
  var payload: String
  var occurredAt: Int64?
  /// `api:<id>` when the caller gave an idempotency key.
  var externalID: String?

  init(_ body: JSONBody) throws(Refusal) {
    guard let name = try body.string("event") else { throw Refusal(400, "missing 'event'") }
    guard Self.isEventName(name) else {
      throw Refusal(400, "'event' '\(name)' must be lower-case letters, digits and _")
    }
    // Orders, joins and mail events are recorded by flowc itself, with the
    // payloads the flows rely on.
    guard !Builtins.events.contains(where: { $0.name == name }) else {
      throw Refusal(400, "'event' '\(name)' is recorded by flowc itself and cannot be sent")
    }
    self.name = name
    member = MemberInput(
      source: "api", email: try body.string("email"),
      externalIDs: try body.string("customer_id").map { [$0] } ?? [],
      visitorID: try body.string("visitor_id"))
    guard member.email != nil || member.visitorID != nil || !member.externalIDs.isEmpty else {
      throw Refusal(400, "one of 'email', 'visitor_id' or 'customer_id' is required")
    }
    let properties = try body.object("properties") ?? [:]
    guard
      let data = try? JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys])
    else { throw Refusal(400, "'properties' cannot be stored as JSON") }
    payload = String(decoding: data, as: UTF8.self)
    if let time = try body.string("occurred_at") {
      guard let parsed = Timestamp.parse(time) else {
        throw Refusal(400, "'occurred_at' '\(time)' is not an ISO 8601 time")
      }
      occurredAt = parsed
    }
    externalID = try body.string("id").map { "api:\($0)" }
  }

  /// `[a-z_][a-z0-9_]*`, the event names the language declares.
  static func isEventName(_ name: String) -> Bool {
    guard let first = name.utf8.first, first == UInt8(ascii: "_") || (0x61...0x7A).contains(first)
    else { return false }
    return name.utf8.allSatisfy {
      $0 == UInt8(ascii: "_") || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0)
    }
  }
}

/// A `POST /v1/identify` body: an anonymous visitor id and the email it belongs to.
struct Identification {
  var member: MemberInput

  init(_ body: JSONBody) throws(Refusal) {
    guard let visitor = try body.string("visitor_id") else {
      throw Refusal(400, "missing 'visitor_id'")
    }
    guard let email = try body.string("email") else { throw Refusal(400, "missing 'email'") }
    let locale = try body.string("locale")
    if let problem = locale.flatMap(SignupRules.localeProblem) { throw Refusal(400, problem) }
    var fields: [String: String] = [:]
    for (name, value) in try body.object("fields") ?? [:] {
      guard let text = value as? String else {
        throw Refusal(400, "'fields.\(name)' must be a string")
      }
      if text.hasControlCharacter(besidesLineBreaks: true) {
        throw Refusal(400, "'fields.\(name)' contains a control character")
      }
      fields[name] = text
    }
    member = MemberInput(
      source: "api:identify", email: email, phone: try body.string("phone"),
      externalIDs: try body.string("customer_id").map { [$0] } ?? [], visitorID: visitor,
      firstName: try body.string("first_name"), lastName: try body.string("last_name"),
      locale: locale, fields: fields)
  }
}

extension IntakeRouter {
  /// Finds or creates the member (an unknown visitor becomes an anonymous
  /// member) and appends the event; a repeated `id` is stored once.
  func track(_ event: TrackedEvent) throws(Refusal) -> HTTPResponse {
    let now = clock()
    let (memberID, eventID) = try write { store, resolver in
      let resolution = try resolver.upsert(event.member, at: now)
      let eventID = try store.appendEvent(
        memberID: resolution.memberID, name: event.name, occurredAt: event.occurredAt ?? now,
        payload: event.payload, externalID: event.externalID)
      return (resolution.memberID, eventID)
    }
    var reply: [String: Any] = ["accepted": true, "member_id": memberID]
    if eventID == nil { reply["duplicate"] = true }
    return .json(202, reply)
  }

  /// Links the visitor id to the email's member; members the identity rules
  /// join (the anonymous visitor's) are merged, history included.
  func identify(_ identification: Identification) throws(Refusal) -> HTTPResponse {
    let now = clock()
    let resolution = try write { _, resolver in
      try resolver.upsert(identification.member, at: now)
    }
    return .json(200, ["member_id": resolution.memberID, "merged": resolution.merged])
  }
}
