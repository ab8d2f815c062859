import Foundation
import Testing

/// Exit codes and messages every `flowc` command shares: 0 ok, 2 usage
/// (`plan` keeps 2 for "changes" and uses 1 for errors; see PlanCommandTests).
@Suite("flowc command-line conventions")
struct CLIConventionTests {
  @Test("no arguments prints usage on stderr and exits 2")
  func noArguments() async throws {
    let result = try await flowc([])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("flowc: compile and run email membership flows.\n"))
    #expect(result.stderr.contains("usage: flowc COMMAND [options]"))
  }

  @Test("--help lists every command and exits 0")
  func mainHelp() async throws {
    let result = try await flowc(["--help"])
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    let commandLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
      .map { $0.split(separator: " ")[0] }
    #expect(
      commandLines == [
        "check", "fmt", "form", "graph", "import", "members", "plan", "preview", "replay", "run",
        "test",
      ])
  }

  @Test("an unknown command suggests the closest one and exits 2")
  func misspelledCommand() async throws {
    let result = try await flowc(["chek"])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("flowc: unknown command 'chek' (did you mean 'check'?)\n"))
  }

  @Test("an unknown command far from any name gets no suggestion")
  func unknownCommand() async throws {
    let result = try await flowc(["frobnicate"])
    #expect(result.exitCode == 2)
    #expect(result.stderr.hasPrefix("flowc: unknown command 'frobnicate'\n"))
  }

  @Test("a misspelled option suggests the closest one and exits 2")
  func misspelledOption() async throws {
    let result = try await flowc(["replay", "--outbx", "x"])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(
      result.stderr.hasPrefix(
        "flowc replay: unknown option '--outbx'; did you mean '--outbox'?\nusage: flowc replay "))
  }

  @Test(
    "every command's --help exits 0 and shows its usage",
    arguments: [
      "check", "fmt", "form", "graph", "import", "members", "plan", "preview", "replay", "run",
      "test",
    ])
  func commandHelp(command: String) async throws {
    let result = try await flowc([command, "--help"])
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    #expect(result.stdout.contains("usage: flowc \(command) "))
    #expect(result.stdout.contains("  --help "))
  }

  @Test(
    "a missing --db is a usage error",
    arguments: [
      ["import", "cdnow", Repo.cdnow],
      [
        "replay", "--outbox", "/nonexistent-flowc-outbox", "--flows", Repo.flows,
        "--templates", Repo.templates,
      ],
    ])
  func missingDatabase(arguments: [String]) async throws {
    let result = try await flowc(arguments)
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("flowc \(arguments[0]): missing '--db'\nusage: flowc "))
  }
}
