import Foundation
import Testing

/// `flowc test`: 0 all pass, 1 a failure, 2 a malformed scenario file.
@Suite("flowc test")
struct TestCommandTests {
  @Test("the shipped scenarios in Flows/tests pass")
  func shippedScenariosPass() async throws {
    let result = try await flowc(["test"])
    #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.last == "25 passed, 0 failed")
    #expect(lines.dropLast().allSatisfy { $0.hasPrefix("PASS Flows/tests/") })
    #expect(result.stderr == "")
  }

  @Test("a failed expectation exits 1 and shows the line and what happened")
  func failingScenario() async throws {
    let scratch = try TempDirectory()
    try FileManager.default.createDirectory(
      atPath: scratch.path("Flows/tests"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: Repo.flows + "/welcome.flow", toPath: scratch.path("Flows/welcome.flow"))
    try FileManager.default.copyItem(atPath: Repo.templates, toPath: scratch.path("Templates"))
    try FileManager.default.copyItem(atPath: Repo.shop, toPath: scratch.path("shop.json"))
    try Data(
      """
      scenario "offer at 10:00"
        member ann consent
        at 2026-03-02 15:00 event member_joined ann
        expect send second_order_offer to ann at 2026-03-16 15:00
      end

      """.utf8
    ).write(to: URL(fileURLWithPath: scratch.path("Flows/tests/welcome.flowtest")))
    let result = try await flowc(["test"], in: scratch.url)
    #expect(result.exitCode == 1)
    #expect(
      result.stdout == """
        FAIL Flows/tests/welcome.flowtest:1 offer at 10:00
          Flows/tests/welcome.flowtest:4:3: expect send second_order_offer to ann at 2026-03-16 15:00
            second_order_offer was sent to ann at 2026-03-16 14:00 UTC, not 15:00
        0 passed, 1 failed

        """)
  }

  @Test("a malformed scenario file exits 2 with path:line:col and a caret")
  func malformedScenario() async throws {
    let scratch = try TempDirectory()
    try Data("scenario \"s\"\n  at 2026-03-02 15:00 evnt member_joined ann\nend\n".utf8)
      .write(to: URL(fileURLWithPath: scratch.path("bad.flowtest")))
    let result = try await flowc(
      ["test", "bad.flowtest", "--flows", Repo.flows, "--templates", Repo.templates],
      in: scratch.url, environment: ["NO_COLOR": "1"])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(
      result.stderr == """
        bad.flowtest:2:23: error[FL8001]: expected 'event' or 'set', found 'evnt'
          |
        2 |   at 2026-03-02 15:00 evnt member_joined ann
          |                       ^^^^
          = help: did you mean 'event'?
        1 problem in the scenarios; nothing was run

        """)
  }
}
