import Foundation
import Testing

/// `flowc members show|merge|merges` over a store built by `flowc import cdnow`.
@Suite("flowc members")
struct MembersCommandTests {
  /// Two CDNOW customers: 1 with two orders, 2 with one; both opted in on import.
  private func store(in scratch: TempDirectory) async throws -> String {
    let log = scratch.path("cdnow.txt")
    try "00001 19970101 1 11.77\n00001 19970115 2 20.00\n00002 19970112 1 12.00\n"
      .write(toFile: log, atomically: true, encoding: .utf8)
    let database = scratch.path("members.db")
    let imported = try await flowc(
      ["import", "cdnow", log, "--db", database, "--consent", "opted-in"])
    #expect(imported.exitCode == 0)
    return database
  }

  private func json(_ result: RunResult) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test("show prints identities, consent history and flows by email or id")
  func show() async throws {
    let scratch = try TempDirectory()
    let database = try await store(in: scratch)
    _ = try sqlite(
      database,
      """
      INSERT INTO consent_records(member_id, channel, status, source, occurred_at, recorded_at,
        evidence, effective) VALUES (1, 'email', 'unsubscribed', 'link', 900000000, 900000000,
        'footer link', 1);
      INSERT INTO flow_instances(flow, version, member_id, status, step, entered_at, ended_at,
        end_reason) VALUES ('welcome', 'v1', 1, 'exited', 'a', 852120000, 852206400,
        'exit when event order_placed');
      """)
    let text = try await flowc(["members", "show", "Customer-1@Example.com", "--db", database])
    #expect(text.exitCode == 0)
    #expect(text.stdout.hasPrefix("member 1  customer-1@example.com\n"))
    #expect(text.stdout.contains("\n  cdnow:1\n  email:customer-1@example.com\n"))
    #expect(text.stdout.contains("consent (now: email unsubscribed)\n"))
    #expect(
      text.stdout.contains(
        "\ntags      none\nsegments  none\naggregates  0 orders\n"
          + "  1997-01-01T12:00:00Z  cdnow-00001-19970101-1  11.77 USD\n"
          + "  1997-01-15T12:00:00Z  cdnow-00001-19970115-1  20.00 USD\nflows\n"))
    #expect(
      text.stdout.contains(
        "  1998-07-09T16:00:00Z  email unsubscribed  source link  evidence footer link\n"))
    #expect(
      text.stdout.contains(
        "  welcome  exited  entered 1997-01-01T12:00:00Z  step a  ended 1997-01-02T12:00:00Z"
          + "  (exit when event order_placed)\n"))

    // Any identity key finds the member: a store id here (cdnow:1).
    let byStoreID = try await flowc(["members", "show", "cdnow:1", "--db", database])
    #expect(byStoreID.stdout == text.stdout)

    let result = try await flowc(["members", "show", "1", "--db", database, "--format", "json"])
    let object = try json(result)
    let identities = object["identities"] as? [[String: String]]
    #expect(
      identities?.map { "\($0["kind"]!):\($0["value"]!)" } == [
        "cdnow:1", "email:customer-1@example.com",
      ])
    let consent = object["consent"] as? [String: Any]
    #expect(consent?["current"] as? [String: String] == ["email": "unsubscribed"])
    #expect((consent?["history"] as? [[String: Any]])?.count == 2)
  }

  @Test("merge moves B into A; show of B says where it went; merges lists it")
  func merge() async throws {
    let scratch = try TempDirectory()
    let database = try await store(in: scratch)
    let merged = try await flowc([
      "members", "merge", "1", "customer-2@example.com", "--db", database, "--format", "json",
    ])
    #expect(merged.exitCode == 0)
    let moved = try json(merged)["moved"] as? [String: Int]
    #expect(moved?["orders"] == 1)
    #expect(moved?["identities"] == 2)
    #expect(moved?["events"] == 2)
    #expect(
      try sqlite(
        database, "SELECT order_count, total_spent_cents FROM member_aggregates WHERE member_id = 1"
      ) == ["3|4377"])

    let gone = try await flowc(["members", "show", "2", "--db", database])
    #expect(gone.exitCode == 0)
    #expect(gone.stdout == "member 2 was merged into member 1\n")

    let log = try await flowc(["members", "merges", "--db", database, "--format", "json"])
    let merges = try json(log)["merges"] as? [[String: Any]]
    #expect(merges?.count == 1)
    #expect(merges?.first?["reason"] as? String == "manual")
    #expect(merges?.first?["merged"] as? Int == 2)

    let again = try await flowc(["members", "merge", "1", "2", "--db", database])
    #expect(again.exitCode == 2)
    #expect(again.stderr.contains("member 2 was already merged into member 1"))
  }

  @Test("an unknown member or a missing store is a usage error; --help works")
  func usage() async throws {
    let scratch = try TempDirectory()
    let database = try await store(in: scratch)
    let unknown = try await flowc(["members", "show", "nobody@example.com", "--db", database])
    #expect(unknown.exitCode == 2)
    #expect(unknown.stderr.contains("no member 'nobody@example.com'"))
    let missing = try await flowc(["members", "merges", "--db", scratch.path("none.db")])
    #expect(missing.exitCode == 2)
    for sub in ["show", "merge", "merges"] {
      let help = try await flowc(["members", sub, "--help"])
      #expect(help.exitCode == 0)
      #expect(help.stdout.contains("flowc members \(sub)"))
    }
  }
}
