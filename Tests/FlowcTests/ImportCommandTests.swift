import Foundation
import Testing

/// `flowc import cdnow`: exact counts, idempotent re-import, all-or-nothing on bad lines.
@Suite("flowc import cdnow")
struct ImportCommandTests {
  /// The import's `--format json` report as numbers.
  struct Report: Equatable {
    var members: Int
    var newMembers: Int
    var orders: Int
    var newOrders: Int
  }

  private func importSlice(
    _ path: String, database: String, extra: [String] = []
  ) async throws -> (RunResult, Report?) {
    let result = try await flowc(
      ["import", "cdnow", path, "--db", database, "--format", "json"] + extra)
    guard result.exitCode == 0,
      let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        as? [String: Int]
    else { return (result, nil) }
    return (
      result,
      Report(
        members: object["members"] ?? -1, newMembers: object["new_members"] ?? -1,
        orders: object["orders"] ?? -1, newOrders: object["new_orders"] ?? -1)
    )
  }

  @Test("a slice of the real log imports with exact counts; again, nothing is new")
  func importTwice() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(dataLines: 1500, in: scratch)
    // Customer 436's orders straddle line 1500: the slice must still count them right.
    #expect(slice.customers == 436)
    #expect(slice.orders == 1500)
    let database = scratch.path("members.db")

    let (first, firstReport) = try await importSlice(
      slice.path, database: database, extra: ["--consent", "opted-in"])
    #expect(first.exitCode == 0)
    #expect(
      firstReport
        == Report(
          members: slice.customers, newMembers: slice.customers, orders: slice.orders,
          newOrders: slice.orders))
    #expect(try sqliteCount(database, "SELECT count(*) FROM members") == slice.customers)
    #expect(try sqliteCount(database, "SELECT count(*) FROM orders") == slice.orders)
    #expect(
      try sqliteCount(database, "SELECT count(*) FROM events")
        == slice.customers + slice.orders)
    #expect(
      try sqliteCount(database, "SELECT count(*) FROM consent_records WHERE status = 'opted_in'")
        == slice.customers)

    let (second, secondReport) = try await importSlice(
      slice.path, database: database, extra: ["--consent", "opted-in"])
    #expect(second.exitCode == 0)
    #expect(
      secondReport
        == Report(members: slice.customers, newMembers: 0, orders: slice.orders, newOrders: 0))
    #expect(try sqliteCount(database, "SELECT count(*) FROM members") == slice.customers)
    #expect(try sqliteCount(database, "SELECT count(*) FROM orders") == slice.orders)
    #expect(
      try sqliteCount(database, "SELECT count(*) FROM events")
        == slice.customers + slice.orders)
    #expect(try sqliteCount(database, "SELECT count(*) FROM consent_records") == slice.customers)
  }

  @Test("the text report names the counts and the database")
  func textReport() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let database = scratch.path("members.db")
    let result = try await flowc(["import", "cdnow", slice.path, "--db", database])
    #expect(result.exitCode == 0)
    let orders = "\(slice.orders) orders (\(slice.orders) new)"
    #expect(result.stdout == "imported 3 members (3 new) and \(orders) into \(database)\n")
  }

  @Test("malformed lines are all reported by line number and nothing is written")
  func malformedLines() async throws {
    let scratch = try TempDirectory()
    let lines = try CDNOWSlice.masterLines().prefix(8).map(String.init)
    var broken = lines
    broken[2] = " 00002 19971340  1   12.00"  // line 3: month 13
    broken[5] = " 00003 19970402  2"  // line 6: three columns
    let path = scratch.path("broken.txt")
    try Data(broken.map { $0 + "\r\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    let database = scratch.path("members.db")

    let result = try await flowc(["import", "cdnow", path, "--db", database])
    #expect(result.exitCode == 1)
    #expect(result.stdout == "")
    #expect(
      result.stderr == """
        \(path):3: date '19971340' is not a valid YYYYMMDD date
        \(path):6: expected 4 columns, found 3
        nothing imported: 2 malformed line(s)

        """)
    // The file is checked before the store is opened: not even an empty one is created.
    #expect(!FileManager.default.fileExists(atPath: database))
  }

  @Test("a bad file leaves an existing store exactly as it was")
  func malformedAfterGoodImport() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let database = scratch.path("members.db")
    let good = try await flowc(["import", "cdnow", slice.path, "--db", database])
    #expect(good.exitCode == 0)

    var lines = try CDNOWSlice.masterLines().prefix(200).map(String.init)
    lines[150] = " 00040 1997O101  1   11.77"  // letter O for zero
    let path = scratch.path("broken.txt")
    try Data(lines.map { $0 + "\r\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    let bad = try await flowc(["import", "cdnow", path, "--db", database])
    #expect(bad.exitCode == 1)
    #expect(bad.stderr.hasPrefix("\(path):151: date '1997O101' is not a valid YYYYMMDD date\n"))
    #expect(try sqliteCount(database, "SELECT count(*) FROM members") == 3)
    #expect(try sqliteCount(database, "SELECT count(*) FROM orders") == slice.orders)
  }

  @Test("an unreadable file is an I/O error, exit 2")
  func missingFile() async throws {
    let scratch = try TempDirectory()
    let path = scratch.path("absent.txt")
    let result = try await flowc(["import", "cdnow", path, "--db", scratch.path("members.db")])
    #expect(result.exitCode == 2)
    #expect(result.stderr == "flowc import: cannot read '\(path)'\n")
  }
}
