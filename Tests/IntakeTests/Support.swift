import CSQLite
import FlowIR
import Foundation
import HMACSigning
import HTTPServer
import HTTPTypes
import LinkTokens
import MemberStore

@testable import Intake

/// The package root, found from this file's path (`Tests/IntakeTests/`).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A file of the team's shared format fixtures (`FLOW_SHARED_DIR` overrides the location).
func formatFixture(_ name: String) -> URL {
  let shared =
    ProcessInfo.processInfo.environment["FLOW_SHARED_DIR"].map(URL.init(fileURLWithPath:))
    ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
  return shared.appendingPathComponent("fixtures/formats/\(name)")
}

let webhookSecret = "fixture-webhook-secret-not-real"
let apiKey = "test-api-key"
let signingKey = "test-link-signing-key"
/// 2025-03-03T00:00:00Z, the router's clock in every test.
let testNow: Int64 = 1_740_960_000

/// A fixture webhook delivery: the body file's exact bytes and the headers
/// (lower-cased, with the real signature) from `webhook_headers.json`.
func delivery(_ file: String, path: String) throws -> HTTPRequest {
  let headersFile = try Data(contentsOf: formatFixture("webhook_headers.json"))
  let all = try JSONSerialization.jsonObject(with: headersFile) as? [String: Any]
  let deliveries = all?["deliveries"] as? [String: [String: String]]
  let headers = deliveries?[file] ?? [:]
  return HTTPRequest(
    method: "POST", path: path,
    headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) }),
    body: Array(try Data(contentsOf: formatFixture(file))))
}

/// Confirmation emails as plain text naming the address and the link.
/// A mailer whose template is broken.
struct FailingMailer: ConfirmationMailer {
  struct Broken: Error, CustomStringConvertible {
    var description: String { "confirm_subscription.html.liquid:3:7: unknown filter 'shout'" }
  }
  func message(for request: ConfirmationRequest) throws -> [UInt8] { throw Broken() }
}

/// Lines the router logged for the operator.
final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []
  var lines: [String] { lock.withLock { stored } }
  func append(_ line: String) { lock.withLock { stored.append(line) } }
}

struct FakeMailer: ConfirmationMailer {
  func message(for request: ConfirmationRequest) throws -> [UInt8] {
    Array("To: \(request.email)\r\nSubject: Confirm\r\n\r\n\(request.confirmURL)\r\n".utf8)
  }
}

/// The router's clock, which a test may move.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = testNow

  var now: Int64 {
    get { lock.withLock { current } }
    set { lock.withLock { current = newValue } }
  }
}

/// A router over a fresh store file, served by a real `HTTPServer` on
/// 127.0.0.1 that the tests call with curl, and a way to look at what it stored.
final class Harness: @unchecked Sendable {
  let path: String
  let store: SQLiteFlowStore
  let router: IntakeRouter
  private let folder: URL
  private var server: HTTPServer!
  let clock = TestClock()
  let log = LogLines()

  init(
    allowedOrigins: [String] = [], maxBodyBytes: Int = 1 << 20,
    pages: any IntakePages = PlainPages(), mailer: (any ConfirmationMailer)? = FakeMailer(),
    subscribeRatePerMinute: Int = 5
  ) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("intake-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    self.folder = folder
    path = folder.appendingPathComponent("flow.db").path
    store = try SQLiteFlowStore(path: path)
    router = IntakeRouter(
      store: store,
      settings: IntakeSettings(
        apiKeys: ["other-key", apiKey], shopifyWebhookSecret: webhookSecret,
        wooCommerceWebhookSecret: webhookSecret, allowedOrigins: allowedOrigins,
        currency: "USD", country: "US", maxBodyBytes: maxBodyBytes,
        subscribeRatePerMinute: subscribeRatePerMinute),
      services: IntakeServices(
        signer: LinkSigner(key: Array(signingKey.utf8)), pages: pages, mailer: mailer,
        publicURL: "https://track.example.com", shopName: "Example Shop",
        log: { [log] in log.append($0) }),
      clock: { [clock] in clock.now })
    server = try HTTPServer(
      address: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, handler: router)
  }

  /// The port the harness's server listens on (127.0.0.1).
  var port: Int { server.port }

  deinit {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  /// Sends `request` to the server over loopback with curl and returns the
  /// answer (header names as the server sent them). A `127.x.y.z`
  /// `remoteAddress` becomes curl's source address, so per-client limits can
  /// be tried from several clients.
  func send(_ request: HTTPRequest) -> HTTPResponse {
    let id = UUID().uuidString
    let bodyFile = folder.appendingPathComponent("body-\(id)")
    let headerFile = folder.appendingPathComponent("headers-\(id)")
    let outputFile = folder.appendingPathComponent("output-\(id)")
    defer {
      for file in [bodyFile, headerFile, outputFile] {
        try? FileManager.default.removeItem(at: file)
      }
    }
    var target = "http://127.0.0.1:\(server.port)\(request.path)"
    if !request.query.isEmpty {
      target +=
        "?"
        + request.query.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value))" }
        .joined(separator: "&")
    }
    var arguments = [
      "--silent", "--max-time", "20", "--request", request.method, "--dump-header", headerFile.path,
      "--output", outputFile.path, "--write-out", "%{http_code}",
      // curl adds these unless told not to; the handler should see only the request's own.
      "--header", "Accept:", "--header", "User-Agent:",
    ]
    for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
      arguments += ["--header", "\(name): \(value)"]
    }
    if !request.body.isEmpty || request.method == "POST" {
      FileManager.default.createFile(atPath: bodyFile.path, contents: Data(request.body))
      arguments += ["--data-binary", "@\(bodyFile.path)"]
      if request.headers["content-type"] == nil { arguments += ["--header", "Content-Type:"] }
    }
    if request.remoteAddress.hasPrefix("127."), request.remoteAddress != "127.0.0.1" {
      arguments += ["--interface", request.remoteAddress]
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments + [target]
    let output = Pipe()
    process.standardOutput = output
    guard (try? process.run()) != nil else { return HTTPResponse(status: 0) }
    let status =
      Int(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) ?? 0
    process.waitUntilExit()
    var headers: [String: String] = [:]
    let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
    for line in headerText.split(whereSeparator: \.isNewline).dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    let body = (try? Data(contentsOf: outputFile)).map(Array.init) ?? []
    return HTTPResponse(status: status, headers: headers, body: body)
  }

  private func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
  }

  /// A JSON `POST` to an API endpoint with the test key.
  func post(_ path: String, _ json: String, key: String? = apiKey) -> HTTPResponse {
    var headers = ["content-type": "application/json"]
    if let key { headers["authorization"] = "Bearer \(key)" }
    return send(HTTPRequest(method: "POST", path: path, headers: headers, body: Array(json.utf8)))
  }

  /// Rows in every table, read through a second connection: what a request
  /// changed, or that a refused one changed nothing.
  func rowCounts() -> [String: Int] {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return [:] }
    defer { sqlite3_close(db) }
    var tables: [String] = []
    var statement: OpaquePointer?
    sqlite3_prepare_v2(
      db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &statement, nil)
    while sqlite3_step(statement) == SQLITE_ROW {
      tables.append(String(cString: sqlite3_column_text(statement, 0)))
    }
    sqlite3_finalize(statement)
    var counts: [String: Int] = [:]
    for table in tables {
      sqlite3_prepare_v2(db, "SELECT count(*) FROM \"\(table)\"", -1, &statement, nil)
      if sqlite3_step(statement) == SQLITE_ROW {
        counts[table] = Int(sqlite3_column_int64(statement, 0))
      }
      sqlite3_finalize(statement)
    }
    return counts
  }

  /// The text of each row `sql` selects, read through a second connection.
  func rows(_ sql: String) -> [[String?]] {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return [] }
    defer { sqlite3_close(db) }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { return [] }
    defer { sqlite3_finalize(statement) }
    var rows: [[String?]] = []
    while sqlite3_step(statement) == SQLITE_ROW {
      rows.append(
        (0..<sqlite3_column_count(statement)).map { column in
          sqlite3_column_text(statement, column).map { String(cString: $0) }
        })
    }
    return rows
  }

  /// Every stored event, oldest first.
  func events() throws -> [StoredEvent] {
    try store.pendingEvents(notAfter: Int64.max, limit: 1000)
  }
}

extension HTTPResponse {
  /// The body as a JSON object.
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
  }

  var error: String? { json["error"] as? String }
}

/// `base64(HMAC-SHA256(fixture secret, body))`, to sign bodies the tests write.
func hmacBase64(_ body: [UInt8]) -> String {
  Data(HMACSHA256.digest(key: Array(webhookSecret.utf8), message: body)).base64EncodedString()
}
