import Testing

/// `replay` and `run` take no positional arguments; a stray one is a usage error.
/// Fails today: `flowc replay --db m.db Flows --outbox out` exits 0 and ignores `Flows`.
@Suite("stray arguments")
struct StrayArgumentTests {
  @Test("a positional argument to replay or run exits 2", arguments: ["replay", "run"])
  func strayPositional(command: String) async throws {
    let scratch = try TempDirectory()
    // `run` would otherwise keep running: the timeout then fails the test.
    let result = try await flowc(
      [command, "--db", scratch.path("m.db"), "Flows", "--outbox", scratch.path("out")],
      timeout: 20)
    #expect(result.exitCode == 2)
    #expect(result.stderr.hasPrefix("flowc \(command): "))
    #expect(result.stderr.contains("'Flows'"))
  }
}
