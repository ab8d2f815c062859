import Foundation
import Testing

/// A rendered email compared byte for byte with a checked-in `.eml`.
///
/// `FLOW_UPDATE_GOLDENS=1 swift test --filter GoldenEmailTests` rewrites the
/// golden; a missing golden is written and the test fails once.
@Suite("golden emails")
struct GoldenEmailTests {
  @Test("customer 1's welcome email matches Fixtures/welcome_email.eml")
  func welcomeEmail() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let workspace = Workspace(scratch, name: "golden")
    try await workspace.importSlice(slice)
    _ = try await workspace.replay()

    let files = try outboxFiles(workspace.outbox)
    let welcomes = files.filter { name, bytes in
      name.hasPrefix("welcome.welcome_email.")
        && String(decoding: bytes, as: UTF8.self).contains("\r\nTo: customer-1@example.com\r\n")
    }
    #expect(welcomes.keys.sorted() == ["welcome.welcome_email.i1.eml"])
    let actual = try #require(welcomes.values.first)
    try expectGolden(actual, named: "welcome_email.eml")
  }

  /// Compares with `Fixtures/<name>`, recording it when missing or asked to.
  private func expectGolden(
    _ actual: Data, named name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = Repo.fixtures.appendingPathComponent(name)
    let update = ProcessInfo.processInfo.environment["FLOW_UPDATE_GOLDENS"] == "1"
    guard !update, let expected = FileManager.default.contents(atPath: url.path) else {
      try FileManager.default.createDirectory(
        at: Repo.fixtures, withIntermediateDirectories: true)
      try actual.write(to: url)
      Issue.record(
        "Recorded new golden \(url.path); check it and run again",
        sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      let firstDifference = zip(expected, actual).prefix { $0 == $1 }.count
      Issue.record(
        """
        \(name) differs from the golden at byte \(firstDifference) \
        (golden \(expected.count) bytes, actual \(actual.count)); \
        rerun with FLOW_UPDATE_GOLDENS=1 to accept
        """, sourceLocation: sourceLocation)
    }
  }
}
