import FlowIR
import FlowRuntime
import Foundation
import MemberStore

/// What a scenario runs against: the compiled project, as `flowc run` would load it.
struct ScenarioProject: Sendable {
  let program: Program
  /// Each flow's version, as `flowc run` records it on instances.
  let versions: [String: String]
  let templates: TemplateLibrary
  let shop: ShopSettings
}

/// What happened in one scenario run, for judging its expectations.
struct ScenarioTrace {
  var memberIDs: [String: Int64]
  var steps: [StepTrace]
  var endings: [Int64: InstanceStatus]
  /// Each member's segments and tags when the clock stopped.
  var segments: [String: Set<String>]
  var tags: [String: Set<String>]
}

/// Plays a scenario's timeline through the real engine and scheduler on a
/// virtual clock, over a fresh SQLite store in a temporary folder.
struct ScenarioRunner {
  let project: ScenarioProject

  func run(_ scenario: Scenario) throws -> ScenarioTrace {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("flowc-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try play(scenario, databasePath: folder.appendingPathComponent("store.sqlite").path)
  }

  private func play(_ scenario: Scenario, databasePath: String) throws -> ScenarioTrace {
    let store = RecordingStore(try SQLiteFlowStore(path: databasePath))
    var shop = project.shop
    shop.timezone = scenario.shopTimezone ?? shop.timezone
    let engine = try FlowEngine(
      program: project.program, versions: project.versions, store: store,
      templates: project.templates, shop: shop, signToken: { "scenario.\($0)" })
    let scheduler = Scheduler(engine: engine)
    var profiles: [String: MemberProfile] = [:]
    for entry in scenario.timeline {
      // Work due by now runs first: a timer at the same instant goes before
      // the line, as the scheduler orders a timer before an event.
      _ = try scheduler.drain(until: entry.at, mode: .virtual)
      try store.transaction {
        let name = entry.member.value
        var profile =
          try profiles[name]
          ?? MemberProfile.create(
            scenario.members.first { $0.name.value == name }, name: name, at: entry.at,
            in: store)
        switch entry.action {
        case .event(let event, let fields):
          _ = try store.appendEvent(
            memberID: profile.record.id, name: event.value, occurredAt: entry.at,
            payload: ScenarioValue.json(fields), externalID: nil)
        case .set(let fields):
          profile.apply(fields)
          try store.updateMember(profile.record)
          try engine.profileChanged(memberID: profile.record.id, now: entry.at)
        }
        profiles[name] = profile
      }
    }
    let horizon = scenario.horizon
    _ = try scheduler.drain(until: horizon, mode: .virtual)
    var segments: [String: Set<String>] = [:]
    var tags: [String: Set<String>] = [:]
    for (name, profile) in profiles {
      let state = try store.memberState(id: profile.record.id, at: horizon)
      segments[name] = state?.segments ?? []
      tags[name] = state?.tags ?? []
    }
    return ScenarioTrace(
      memberIDs: profiles.mapValues(\.record.id), steps: store.steps, endings: store.endings,
      segments: segments, tags: tags)
  }
}

/// A member's profile as the scenario last wrote it.
private struct MemberProfile {
  var record: MemberRecord
  var fields: [FieldAssignment] = []

  /// Creates the member when they first appear in the timeline, with
  /// `joined_at` and (if the `member` line says `consent`) an email opt-in
  /// at that moment. Joining flows start only with a `member_joined` event.
  static func create(_ spec: MemberSpec?, name: String, at: Int64, in store: FlowStore) throws
    -> MemberProfile
  {
    var profile = MemberProfile(
      record: MemberRecord(id: 0, email: "\(name)@example.com", joinedAt: at))
    profile.apply(spec?.assignments ?? [])
    profile.record.id = try store.createMember(profile.record, createdAt: at)
    if spec?.consent == true {
      try store.recordConsent(
        memberID: profile.record.id, channel: "email", status: ConsentStatus.optedIn,
        source: "scenario", occurredAt: at, recordedAt: at, evidence: nil)
    }
    return profile
  }

  mutating func apply(_ assignments: [FieldAssignment]) {
    for assignment in assignments {
      let text: String? =
        if case .string(let text) = assignment.value.value { text } else { nil }
      switch assignment.field.value {
      case "email": record.email = text ?? record.email
      case "first_name": record.firstName = text
      case "last_name": record.lastName = text
      case "phone": record.phone = text
      case "locale": record.locale = text
      case "timezone": record.timezone = text
      default:
        fields.removeAll { $0.field.value == assignment.field.value }
        fields.append(assignment)
      }
    }
    record.fieldsJSON = ScenarioValue.json(fields)
  }
}

extension ScenarioValue {
  /// The JSON the store keeps for this value (see `PayloadCodec`).
  var jsonObject: Any {
    switch self {
    case .string(let text): text
    case .number(let text): NSDecimalNumber(string: text)
    case .money(let money): ["amount": money.decimalString, "currency": money.currency]
    case .date(let date): date.isoText
    case .bool(let value): value
    }
  }

  /// A JSON object of field assignments, keys sorted.
  static func json(_ fields: [FieldAssignment]) -> String {
    var object: [String: Any] = [:]
    for assignment in fields { object[assignment.field.value] = assignment.value.value.jsonObject }
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
