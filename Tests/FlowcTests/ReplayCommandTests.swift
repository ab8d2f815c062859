import Foundation
import Testing

/// `flowc replay --format json` over a slice of the real CDNOW log.
@Suite("flowc replay")
struct ReplayCommandTests {
  /// Every send step of the repository's flows, in source order (file name order).
  static let steps: [(flow: String, step: String)] = [
    ("birthday", "birthday_email"),
    ("vip_upgrade", "vip_welcome"),
    ("welcome", "welcome_email"), ("welcome", "second_order_offer"),
    ("winback", "winback_email"), ("winback", "winback_loyal"), ("winback", "winback_reminder"),
  ]

  @Test("the JSON summary covers every step and matches the outbox file for file")
  func summaryMatchesOutbox() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(dataLines: 1500, in: scratch)
    let workspace = Workspace(scratch, name: "replay")
    try await workspace.importSlice(slice)
    let rows = try await workspace.replay()

    let sendSteps = rows.filter { row in Self.steps.contains { $0 == (row.flow, row.step) } }
    #expect(sendSteps.map(\.flow) == Self.steps.map(\.flow))
    #expect(sendSteps.map(\.step) == Self.steps.map(\.step))
    // The welcome email goes to every opted-in member: each joins once.
    let welcome = try #require(rows.first { $0.flow == "welcome" && $0.step == "welcome_email" })
    #expect(welcome.sent == slice.customers)
    #expect(welcome.skipped == 0)

    let files = try outboxFiles(workspace.outbox)
    #expect(files.count == rows.map(\.sent).reduce(0, +))
    for row in rows {
      let prefix = "\(row.flow).\(row.step).i"
      #expect(
        files.keys.filter { $0.hasPrefix(prefix) }.count == row.sent, "files for \(row)")
    }
    for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
      let parts = name.split(separator: ".")
      try #require(parts.count == 4 && parts[3] == "eml", "unexpected file \(name)")
      let text = String(decoding: bytes, as: UTF8.self)
      let headerEnd = try #require(text.range(of: "\r\n\r\n"), "no header end in \(name)")
      let headers = text[..<headerEnd.lowerBound].components(separatedBy: "\r\n")
      #expect(headers.contains("X-Flow: \(parts[0])"), "\(name)")
      #expect(headers.contains("X-Flow-Step: \(parts[1])"), "\(name)")
      #expect(headers.contains { $0.hasPrefix("List-Unsubscribe: <") }, "\(name)")
      // Every LF is part of a CRLF, and every CR of one.
      let lf = bytes.filter { $0 == 0x0A }.count
      let cr = bytes.filter { $0 == 0x0D }.count
      let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == 0x0D && $1 == 0x0A }.count
      #expect(lf == crlf && cr == crlf, "bare CR or LF in \(name)")
    }
  }

  @Test("replaying again sends nothing new and reports the same counts")
  func replayIsIdempotent() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: Set(1...40), in: scratch)
    let workspace = Workspace(scratch, name: "again")
    try await workspace.importSlice(slice)
    let first = try await workspace.replay()
    let filesAfterFirst = try outboxFiles(workspace.outbox)
    let second = try await workspace.replay()
    #expect(second == first)
    #expect(try outboxFiles(workspace.outbox) == filesAfterFirst)
  }

  @Test("--until stops the clock: a later replay sends only the rest")
  func untilThenRest() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: Set(1...40), in: scratch)
    let whole = Workspace(scratch, name: "whole")
    try await whole.importSlice(slice)
    let reference = try await whole.replay()

    let split = Workspace(scratch, name: "split")
    try await split.importSlice(slice)
    let early = try await flowc(
      split.replayArguments + ["--until", "1997-03-31"], in: scratch.url,
      environment: ["FLOWC_SIGNING_KEY": testSigningKey])
    #expect(early.exitCode == 0)
    let earlyRows = try SummaryRow.parse(early.stdout)
    #expect(earlyRows.map(\.sent).reduce(0, +) < reference.map(\.sent).reduce(0, +))
    let rest = try await split.replay()
    #expect(rest == reference)
    #expect(try outboxFiles(split.outbox) == outboxFiles(whole.outbox))
  }
}
