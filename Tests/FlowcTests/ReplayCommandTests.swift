import Foundation
import Testing

/// `flowc replay --format json` over a slice of the real CDNOW log.
@Suite("flowc replay")
struct ReplayCommandTests {
  /// Every send step of the repository's flows, in source order (file name order).
  static let steps: [(flow: String, step: String)] = [
    ("abandoned_cart", "cart_reminder"), ("abandoned_cart", "cart_offer"),
    ("birthday", "birthday_email"),
    ("vip_upgrade", "vip_welcome"),
    ("welcome", "welcome_email"), ("welcome", "second_order_offer"),
    ("winback", "winback_email"), ("winback", "winback_loyal"), ("winback", "winback_reminder"),
  ]

  /// A summary row, for tables of expected counts.
  static func row(
    _ flow: String, _ step: String, _ entered: Int, _ sent: Int, _ exited: Int, _ skipped: Int = 0
  ) -> SummaryRow {
    SummaryRow(
      flow: flow, step: step, entered: entered, sent: sent, exited: exited, skipped: skipped)
  }

  /// The replay of the log's first 1,500 orders (436 customers, all opted in).
  static let first1500Summary: [SummaryRow] = [
    // CDNOW has no cart events.
    row("abandoned_cart", "wait_1", 0, 0, 0),
    row("abandoned_cart", "cart_reminder", 0, 0, 0),
    row("abandoned_cart", "wait_2", 0, 0, 0),
    row("abandoned_cart", "cart_offer", 0, 0, 0),
    row("birthday", "birthday_email", 0, 0, 0),
    row("vip_upgrade", "vip_welcome", 18, 18, 0),
    row("welcome", "welcome_email", 436, 436, 0),
    row("welcome", "wait_1", 436, 0, 49),
    row("welcome", "second_order_offer", 387, 387, 0),
    row("winback", "winback_email", 533, 533, 0),
    row("winback", "wait_1", 533, 0, 44),
    row("winback", "if_1", 476, 0, 0),
    row("winback", "winback_loyal", 99, 99, 0),
    row("winback", "winback_reminder", 377, 377, 0),
  ]

  @Test("the JSON summary covers every step and matches the outbox file for file")
  func summaryMatchesOutbox() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(dataLines: 1500, in: scratch)
    let workspace = Workspace(scratch, name: "replay")
    try await workspace.importSlice(slice)
    let rows = try await workspace.replay()
    #expect(rows == Self.first1500Summary)

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
    // By the end of March 1997 every one of the 40 has joined; no one has lapsed yet.
    let earlyRows = try SummaryRow.parse(early.stdout)
    let active = earlyRows.filter { $0.entered > 0 }
    #expect(
      active == [
        Self.row("welcome", "welcome_email", 40, 40, 0),
        Self.row("welcome", "wait_1", 40, 0, 4),
        Self.row("welcome", "second_order_offer", 36, 36, 0),
      ])
    #expect(earlyRows.count == reference.count)
    #expect(outboxCount(split.outbox) == 76)
    #expect(reference.map(\.sent).reduce(0, +) == 172)
    let rest = try await split.replay()
    #expect(rest == reference)
    #expect(try outboxFiles(split.outbox) == outboxFiles(whole.outbox))
  }
}
