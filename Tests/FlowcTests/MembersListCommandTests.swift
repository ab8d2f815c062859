import Foundation
import Testing

/// `flowc members list --segment NAME` over a store written with the sqlite3 shell.
@Suite("flowc members list")
struct MembersListCommandTests {
  static let flows = """
    segment big_spender = member.total_spent >= 500 USD
    segment vip_to_be   = big_spender and member.order_count >= 3 and not (member.tags has "vip")
    segment recent      = member.last_order_at within 30d
    field favourites: list<string>
    segment fans        = member.favourites has "jazz"
    """

  /// A store with four members; the schema comes from a first `flowc` run.
  private func workspace() async throws -> (TempDirectory, [String]) {
    let scratch = try TempDirectory()
    let flowsDirectory = scratch.path("flows")
    try FileManager.default.createDirectory(
      atPath: flowsDirectory, withIntermediateDirectories: true)
    try Self.flows.write(
      toFile: flowsDirectory + "/segments.flow", atomically: true, encoding: .utf8)
    let database = scratch.path("members.db")
    #expect(FileManager.default.createFile(atPath: database, contents: Data()))
    let flags = [
      "--db", database, "--flows", flowsDirectory, "--templates", Repo.templates, "--shop",
      Repo.shop, "--at", "2026-06-01T12:00:00Z",
    ]
    let empty = try await flowc(["members", "list", "--segment", "recent", "--count"] + flags)
    #expect(empty.stdout == "0\n")
    // 2026-05-20 and 2026-01-10 (UTC) as epoch seconds.
    _ = try sqlite(
      database,
      """
      INSERT INTO members(id, email, first_name, last_name, created_at) VALUES
        (1, 'ann@example.com', 'Ann', 'Lee', 0), (2, 'bob@example.com', 'Bob', NULL, 0),
        (3, 'cy@example.com', NULL, NULL, 0), (4, 'di@example.com', 'Di', 'Ng', 0);
      INSERT INTO member_aggregates(member_id, order_count, total_spent_cents, currency,
        last_order_at) VALUES
        (1, 3, 60000, 'USD', 1779235200), (2, 5, 90000, 'USD', 1768003200),
        (3, 4, 70000, 'EUR', 1779235200), (4, 3, 50000, 'USD', 1779235200);
      INSERT INTO member_tags(member_id, tag, added_at) VALUES (4, 'vip', 0);
      """)
    return (scratch, flags)
  }

  @Test("lists a compound segment's members, by id, with names")
  func listsMembers() async throws {
    let (scratch, flags) = try await workspace()
    let result = try await flowc(["members", "list", "--segment", "vip_to_be"] + flags)
    #expect(result.exitCode == 0)
    #expect(result.stdout == "1\tann@example.com\tAnn Lee\n2\tbob@example.com\tBob\n")
    withExtendedLifetime(scratch) {}
  }

  @Test("counts, in text and JSON")
  func counts() async throws {
    let (scratch, flags) = try await workspace()
    let text = try await flowc(["members", "list", "--segment", "recent", "--count"] + flags)
    #expect(text.stdout == "3\n")
    let json = try await flowc(
      ["members", "list", "--segment", "big_spender", "--count", "--format", "json"] + flags)
    #expect(json.stdout == "{\"count\":3,\"segment\":\"big_spender\"}\n")
    withExtendedLifetime(scratch) {}
  }

  @Test("JSON lists id, email and name")
  func listsJSON() async throws {
    let (scratch, flags) = try await workspace()
    let result = try await flowc(
      ["members", "list", "--segment", "vip_to_be", "--format", "json"] + flags)
    #expect(
      result.stdout
        == "{\"count\":2,\"members\":[{\"email\":\"ann@example.com\",\"id\":1,\"name\":\"Ann Lee\"},"
        + "{\"email\":\"bob@example.com\",\"id\":2,\"name\":\"Bob\"}],\"segment\":\"vip_to_be\"}\n")
    withExtendedLifetime(scratch) {}
  }

  @Test("an unknown segment is a usage error with a suggestion")
  func unknownSegment() async throws {
    let (scratch, flags) = try await workspace()
    let result = try await flowc(["members", "list", "--segment", "big_spendr"] + flags)
    #expect(result.exitCode == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains("no segment 'big_spendr' in the flows; did you mean 'big_spender'?"))
    withExtendedLifetime(scratch) {}
  }

  @Test("a segment with no SQL form is an error naming why")
  func unsupportedSegment() async throws {
    let (scratch, flags) = try await workspace()
    let result = try await flowc(["members", "list", "--segment", "fans"] + flags)
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "flowc members list: segment 'fans' cannot be answered in SQL: "
        + "field favourites of a list or record type\n")
    withExtendedLifetime(scratch) {}
  }
}
