import Foundation
import MemberStore
import Testing

/// `flowc import FORMAT PATH` for store exports: all-or-nothing, --skip-invalid
/// with a reject file, idempotent re-import, mapping errors and exit codes.
@Suite("flowc import (store exports)")
struct MemberImportCommandTests {
  static func fixture(_ name: String) -> String {
    let shared =
      ProcessInfo.processInfo.environment["FLOW_SHARED_DIR"].map(URL.init(fileURLWithPath:))
      ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    return shared.appendingPathComponent("fixtures/formats/\(name)").path
  }

  /// The `--format json` report, or nil when the import printed none.
  static func report(_ result: RunResult) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
  }

  func importFile(_ format: String, _ path: String, _ database: String, _ extra: [String] = [])
    async throws -> RunResult
  {
    try await flowc(
      ["import", format, path, "--db", database, "--shop", Repo.shop, "--format", "json"] + extra)
  }

  /// What the store holds, read through SQLiteFlowStore: members by id (ids
  /// are given in order) and the events not yet processed.
  static func storeContents(_ database: String) throws -> (members: [MemberRecord], events: Int) {
    let store = try SQLiteFlowStore(path: database)
    var members: [MemberRecord] = []
    while let member = try store.member(id: Int64(members.count + 1)) { members.append(member) }
    let events = try store.pendingEvents(notAfter: .max, limit: 1_000_000).count
    return (members, events)
  }

  static let mixedCSV =
    "\u{FEFF}E-mail,Given name,Notes\r\n" + "ann@example.com,Ann,\"two\r\nlines\"\r\n"
    + ",Nobody,x\r\n" + "bob@example.com,Bob,5\"screen\r\n" + "cid@example.com,\"Cid, Jr\",ok\r\n"

  @Test("one bad row rolls back everything: exit 1 and each bad row as path:line: reason")
  func allOrNothing() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("people.csv")
    try Data(Self.mixedCSV.utf8).write(to: URL(fileURLWithPath: path))
    let database = scratch.path("members.db")
    let result = try await importFile(
      "csv", path, database, ["--map", "email=E-mail", "--map", "first_name=Given name"])
    #expect(result.exitCode == 1)
    #expect(
      result.stderr.contains(
        "\(path):4: no email, phone or id to know the member by\n"
          + "\(path):5: stray quote inside an unquoted field\n"
          + "nothing imported: 2 bad row(s)\n"))
    let refusal = try #require(Self.report(result))
    #expect(refusal["imported"] as? Int == 0 && refusal["bad_rows"] as? Int == 2)
    let problems = refusal["problems"] as? [[String: Any]]
    #expect(problems?.compactMap { $0["line"] as? Int } == [4, 5])
    #expect(try Self.storeContents(database).members == [])
    #expect(!FileManager.default.fileExists(atPath: path + ".rejects.csv"))
  }

  @Test("--skip-invalid imports the good rows and writes the bad records as read")
  func skipInvalid() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("people.csv")
    try Data(Self.mixedCSV.utf8).write(to: URL(fileURLWithPath: path))
    let database = scratch.path("members.db")
    let result = try await importFile(
      "csv", path, database,
      ["--map", "email=E-mail", "--map", "first_name=Given name", "--skip-invalid"])
    #expect(result.exitCode == 0)
    let report = try #require(Self.report(result))
    #expect(report["rows"] as? Int == 4)
    #expect(report["imported"] as? Int == 2)
    #expect(report["members_created"] as? Int == 2)
    #expect(report["rejected"] as? Int == 2)
    #expect(report["reject_file"] as? String == path + ".rejects.csv")
    let rejects = try String(contentsOfFile: path + ".rejects.csv", encoding: .utf8)
    #expect(rejects == "E-mail,Given name,Notes\r\n,Nobody,x\r\nbob@example.com,Bob,5\"screen\r\n")
    let members = try Self.storeContents(database).members
    #expect(members.map(\.email) == ["ann@example.com", "cid@example.com"])
    #expect(members.map(\.firstName) == ["Ann", "Cid, Jr"])
  }

  @Test("--skip-invalid on JSON Lines writes the bad objects as JSON Lines to --reject-file")
  func skipInvalidJSON() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("orders.jsonl")
    let order = try String(
      contentsOfFile: Self.fixture("woocommerce_webhook_order_created.json"), encoding: .utf8)
    let oneLine = try JSONSerialization.data(
      withJSONObject: JSONSerialization.jsonObject(with: Data(order.utf8)))
    let bad =
      "{\"id\": 7, \"customer_id\": 5, \"currency\": \"USD\", \"date_created_gmt\": \"2025-03-02T16:20:11\"}"
    try Data((String(decoding: oneLine, as: UTF8.self) + "\n" + bad + "\n").utf8)
      .write(to: URL(fileURLWithPath: path))
    let rejects = scratch.path("bad.jsonl")
    let database = scratch.path("members.db")
    let result = try await importFile(
      "woocommerce-order", path, database, ["--skip-invalid", "--reject-file", rejects])
    #expect(result.exitCode == 0)
    #expect(result.stderr.contains("\(path):2: missing total\n"))
    let report = try #require(Self.report(result))
    #expect(report["orders_new"] as? Int == 1)
    #expect(report["rejected"] as? Int == 1)
    #expect(try String(contentsOfFile: rejects, encoding: .utf8) == bad + "\n")
  }

  @Test("importing the same files again creates nothing and changes no counts")
  func idempotent() async throws {
    let scratch = try TempDirectory()
    let database = scratch.path("members.db")
    let files = [
      ("shopify-customers", "shopify_customers_export.csv"),
      ("mailchimp", "mailchimp_subscribed_members_export.csv"),
      ("shopify-order", "shopify_webhook_orders_create.json"),
      ("woocommerce-order", "woocommerce_webhook_order_created.json"),
    ]
    var firstReports: [[String: Any]] = []
    // A fixed --as-of, so the export's order totals describe the same moment both times.
    let asOf = ["--as-of", "2025-03-01T00:00:00Z"]
    for (format, name) in files {
      let result = try await importFile(format, Self.fixture(name), database, asOf)
      #expect(result.exitCode == 0, "\(name): \(result.stderr)")
      firstReports.append(try #require(Self.report(result)))
    }
    #expect(firstReports[0]["members_created"] as? Int == 4)
    #expect(firstReports[2]["orders_new"] as? Int == 1)
    #expect(firstReports[3]["orders_new"] as? Int == 1)
    let before = try Self.storeContents(database)
    #expect(before.members.contains { $0.email == "DANA@EXAMPLE.ORG" })
    #expect(before.members.contains { $0.phone == "+15555550103" && $0.lastName == "Test" })

    for (format, name) in files {
      let result = try await importFile(format, Self.fixture(name), database, asOf)
      #expect(result.exitCode == 0)
      let report = try #require(Self.report(result))
      #expect(report["members_created"] as? Int == 0, "\(name)")
      #expect(report["orders_new"] as? Int == 0, "\(name)")
    }
    let after = try Self.storeContents(database)
    #expect(after.members == before.members)
    #expect(after.events == before.events)
  }

  @Test(
    "mapping mistakes: unknown target and missing --map are usage errors (2), a missing column is 1"
  )
  func mappingErrors() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("people.csv")
    try Data("E-mail,Name\na@example.com,A\n".utf8).write(to: URL(fileURLWithPath: path))
    let database = scratch.path("members.db")

    let unknown = try await importFile("csv", path, database, ["--map", "mail=E-mail"])
    #expect(unknown.exitCode == 2)
    #expect(unknown.stderr.contains("unknown mapping target 'mail'"))

    let none = try await importFile("csv", path, database)
    #expect(none.exitCode == 2)
    #expect(none.stderr.contains("the csv format needs --map TARGET=COLUMN or --mapping FILE"))

    let missing = try await importFile("csv", path, database, ["--map", "email=Mail"])
    #expect(missing.exitCode == 1)
    #expect(
      missing.stderr.contains(
        "\(path):1: column 'Mail' (for email) is not in the header: 'E-mail', 'Name'\nnothing imported\n"
      ))

    let wrongFormat = try await importFile("mailchimp", path, database, ["--map", "email=E-mail"])
    #expect(wrongFormat.exitCode == 2)

    let badTime = try await importFile(
      "csv", path, database, ["--map", "email=E-mail", "--as-of", "last week"])
    #expect(badTime.exitCode == 2)
    #expect(badTime.stderr.contains("--as-of 'last week' is not a time"))

    let unreadable = try await importFile(
      "mailchimp", scratch.path("missing.csv"), database)
    #expect(unreadable.exitCode == 2)
    #expect(unreadable.stderr.contains("cannot read '\(scratch.path("missing.csv"))'"))

    let unknownFormat = try await importFile("hubspot", path, database)
    #expect(unknownFormat.exitCode == 2)
    #expect(unknownFormat.stderr.contains("unknown import format 'hubspot'"))
  }

  @Test("an unterminated quote stops the import at the line where it opens")
  func unterminatedQuote() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("people.csv")
    try Data("email\na@example.com\n\"b@example.com\nc@example.com\n".utf8)
      .write(to: URL(fileURLWithPath: path))
    let result = try await importFile(
      "csv", path, scratch.path("members.db"), ["--map", "email=email"])
    #expect(result.exitCode == 1)
    #expect(
      result.stderr.contains(
        "\(path):3: unterminated quoted field (the quote opens here)\nnothing imported: 1 bad row(s)\n"
      ))
  }
}
