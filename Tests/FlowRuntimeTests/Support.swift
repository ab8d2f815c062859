import FlowCheck
import FlowDiagnostics
import FlowIR
import Foundation
import Testing

@testable import FlowRuntime
@testable import MemberStore

/// Epoch seconds of a UTC wall-clock time.
func utc(
  _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0
)
  -> Int64
{
  Int64(CalendarDate(year: year, month: month, day: day).daysSinceEpoch) * 86_400
    + Int64(hour * 3600 + minute * 60 + second)
}

let day: Int64 = 86_400

/// Compiles `.flow` source; fails the test with the diagnostics if it has
/// errors (warnings, such as a series without a goal, are fine in scenarios).
func compileFlow(
  _ source: String, templates: Set<String> = ["t"],
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Program {
  let result = compileProgram(
    files: [SourceFile(path: "test.flow", text: source)], templates: templates)
  #expect(
    !result.diagnostics.containsErrors, "\(result.diagnostics.map(\.message))",
    sourceLocation: sourceLocation)
  return try #require(result.program, sourceLocation: sourceLocation)
}

/// A unique temporary path (file need not exist).
func temporaryPath(_ suffix: String) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("flowc-tests-\(UUID().uuidString)\(suffix)").path
}

/// One row of the step log.
struct LogRow: Hashable, CustomStringConvertible {
  var instance: Int64
  var flow: String
  var step: String
  var outcome: String
  var reason: String?
  var at: Int64

  var description: String {
    "#\(instance) \(flow).\(step) \(outcome)\(reason.map { " (\($0))" } ?? "") @\(at)"
  }
}

/// A store on a temporary file, an engine and a scheduler over a compiled
/// program, plus a second read-only connection for looking at rows the
/// `FlowStore` protocol does not expose (step log, timers, end reasons).
final class Harness {
  let path: String
  let store: SQLiteFlowStore
  let program: Program
  let engine: FlowEngine
  let scheduler: Scheduler
  /// A fresh connection per query, so no read snapshot outlives one look.
  private var reader: SQLiteConnection {
    get throws { try SQLiteConnection(path: path) }
  }

  init(
    _ source: String, shopZone: String = "UTC", templates: [String: String]? = nil,
    trackingURL: String? = nil, strictVariables: Bool = false, images: [String: [UInt8]] = [:],
    versions: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let files = templates ?? ["t.html.liquid": "<p>Hello {{ member.email }}</p>"]
    var library = try TemplateLibrary(files: files)
    library.addImages(images)
    program = try compileFlow(source, templates: library.names, sourceLocation: sourceLocation)
    path = temporaryPath(".sqlite")
    store = try SQLiteFlowStore(path: path)
    var shop = ShopSettings(
      name: "Test Shop", url: "https://shop.example.com", fromEmail: "shop@example.com",
      timezone: shopZone, currency: "USD", trackingURL: trackingURL)
    shop.strictVariables = strictVariables
    engine = try FlowEngine(
      program: program, versions: versions, store: store, templates: library, shop: shop,
      signToken: { "tok.\($0)" })
    scheduler = Scheduler(engine: engine)
  }

  deinit {
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
  }

  /// Creates a member who joins at `joinedAt`, with email consent from then unless `consent` is nil.
  @discardableResult
  func join(
    _ email: String, at joinedAt: Int64, timezone: String? = nil, fields: String = "{}",
    consent: String? = ConsentStatus.optedIn
  ) throws -> Int64 {
    try store.transaction {
      let id = try store.createMember(
        MemberRecord(
          id: 0, email: email, timezone: timezone, joinedAt: joinedAt, fieldsJSON: fields),
        createdAt: joinedAt)
      if let consent {
        try store.recordConsent(
          memberID: id, channel: "email", status: consent, source: "test", occurredAt: joinedAt,
          recordedAt: joinedAt, evidence: nil)
      }
      _ = try store.appendEvent(
        memberID: id, name: "member_joined", occurredAt: joinedAt, payload: "{}", externalID: nil)
      return id
    }
  }

  func order(_ member: Int64, at time: Int64, amount: String = "10.00", currency: String = "USD")
    throws
  {
    let payload =
      "{\"order_id\":\"o-\(member)-\(time)\",\"total\":{\"amount\":\"\(amount)\",\"currency\":\"\(currency)\"},\"items\":[]}"
    _ = try store.appendEvent(
      memberID: member, name: "order_placed", occurredAt: time, payload: payload, externalID: nil)
  }

  func event(_ member: Int64, _ name: String, at time: Int64, payload: String = "{}") throws {
    _ = try store.appendEvent(
      memberID: member, name: name, occurredAt: time, payload: payload, externalID: nil)
  }

  @discardableResult
  func drain(until: Int64) throws -> DrainReport {
    try scheduler.drain(until: until, mode: .virtual)
  }

  // MARK: Looking at rows

  /// Runs a query on a fresh connection (so no read snapshot outlives it) and maps every row.
  func query<T>(_ sql: String, _ values: SQLValue?..., row: (Statement) -> T) throws -> [T] {
    let connection = try SQLiteConnection(path: path)
    return try withExtendedLifetime(connection) {
      let statement = try connection.prepareOnce(sql)
      // Variadics cannot be forwarded; the queries here bind at most two values.
      switch values.count {
      case 0: break
      case 1: statement.bind(values[0])
      default: statement.bind(values[0], values[1])
      }
      var rows: [T] = []
      while try statement.step() { rows.append(row(statement)) }
      return rows
    }
  }

  func log(member: Int64? = nil, flow: String? = nil) throws -> [LogRow] {
    try query(
      """
      SELECT l.instance_id, l.flow, l.step, l.outcome, l.reason, l.at FROM step_log l
      JOIN flow_instances i ON i.id = l.instance_id
      WHERE (?1 IS NULL OR i.member_id = ?1) AND (?2 IS NULL OR l.flow = ?2)
      ORDER BY l.id
      """, member.map(SQLValue.int), flow.map(SQLValue.text)
    ) {
      LogRow(
        instance: $0.int(0), flow: $0.text(1), step: $0.text(2), outcome: $0.text(3),
        reason: $0.optionalText(4), at: $0.int(5))
    }
  }

  struct InstanceRow: Hashable {
    var id: Int64
    var flow: String
    var status: String
    var step: String?
    var enteredAt: Int64
    var endedAt: Int64?
    var endReason: String?
  }

  func instances(member: Int64, flow: String? = nil) throws -> [InstanceRow] {
    try query(
      """
      SELECT id, flow, status, step, entered_at, ended_at, end_reason FROM flow_instances
      WHERE member_id = ?1 AND (?2 IS NULL OR flow = ?2) ORDER BY id
      """, .int(member), flow.map(SQLValue.text)
    ) {
      InstanceRow(
        id: $0.int(0), flow: $0.text(1), status: $0.text(2), step: $0.optionalText(3),
        enteredAt: $0.int(4), endedAt: $0.optionalInt(5), endReason: $0.optionalText(6))
    }
  }

  struct TimerRow: Hashable {
    var kind: String
    var key: String
    var dueAt: Int64
  }

  func timers(member: Int64) throws -> [TimerRow] {
    try query(
      "SELECT kind, key, due_at FROM timers WHERE member_id = ? ORDER BY due_at, id", .int(member)
    ) { TimerRow(kind: $0.text(0), key: $0.text(1), dueAt: $0.int(2)) }
  }

  /// `entered_at` of the member's row in a segment, nil when not in it.
  func segmentEnteredAt(member: Int64, segment: String) throws -> Int64? {
    try query(
      "SELECT entered_at FROM member_segments WHERE member_id = ? AND segment = ?",
      .int(member), .text(segment)
    ) { $0.int(0) }.first
  }

  struct OutboxRow: Hashable {
    var flow: String
    var step: String
    var recipient: String
    var createdAt: Int64
  }

  func outbox() throws -> [OutboxRow] {
    try query("SELECT flow, step, recipient, created_at FROM outbox ORDER BY id") {
      OutboxRow(flow: $0.text(0), step: $0.text(1), recipient: $0.text(2), createdAt: $0.int(3))
    }
  }
}
