import Foundation
import Testing

/// `flowc graph`: a diagram on stdout (0), unknown flow or format (2),
/// broken flows reported like `check` (1).
@Suite("flowc Graph command")
struct GraphCommandTests {
  @Test("graph winback prints a Mermaid flowchart of the repository's flow")
  func winbackMermaid() async throws {
    let result = try await flowc(["graph", "winback"])
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "flowchart TD")
    #expect(lines.contains("  step_if_1{\"if member.order_count #gt;= 3\"}"))
    #expect(lines.contains("  step_if_1 -->|\"no\"| step_winback_reminder"))
    #expect(lines.last == "  step_winback_reminder --> flow_end")
  }

  @Test("--format dot prints a digraph")
  func welcomeDot() async throws {
    let result = try await flowc(["graph", "welcome", "Flows", "--format", "dot"])
    #expect(result.exitCode == 0)
    #expect(result.stdout.hasPrefix("digraph \"welcome\" {\n"))
    #expect(result.stdout.hasSuffix("}\n"))
  }

  @Test("an unknown flow exits 2 and suggests the closest name")
  func unknownFlow() async throws {
    let result = try await flowc(["graph", "winbak"])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(result.stderr == "flowc graph: unknown flow 'winbak' (did you mean 'winback'?)\n")
  }

  @Test("an unknown format exits 2 with the usage line")
  func badFormat() async throws {
    let result = try await flowc(["graph", "winback", "--format", "svg"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "flowc graph: unknown format 'svg'; use 'mermaid' or 'dot'\n"
        + "usage: flowc graph FLOW [PATHS...] [--templates DIR] [--format mermaid|dot]\n")
  }

  @Test("flows with errors print diagnostics like check and exit 1")
  func brokenFlows() async throws {
    let scratch = try TempDirectory()
    try Data(CheckCommandTests.brokenFlow.utf8).write(
      to: URL(fileURLWithPath: scratch.path("winback.flow")))
    let result = try await flowc(
      ["graph", "winback", "winback.flow", "--templates", Repo.templates], in: scratch.url)
    #expect(result.exitCode == 1)
    #expect(
      result.stdout.hasPrefix("winback.flow:3:26: error[FL2003]: unknown segment 'lapsng'\n"))
    #expect(result.stderr == "flowc graph: 1 error in the flows\n")
  }

  @Test("graph --help describes the command")
  func help() async throws {
    let result = try await flowc(["graph", "--help"])
    #expect(result.exitCode == 0)
    #expect(result.stdout.contains("flowc graph FLOW [PATHS...]"))
    let main = try await flowc(["--help"])
    #expect(
      main.stdout.contains("  graph    Print one flow as a diagram (Mermaid or Graphviz DOT).\n"))
  }
}
