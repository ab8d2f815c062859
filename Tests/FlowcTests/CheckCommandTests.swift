import Foundation
import Testing

/// `flowc check`: 0 clean, 1 errors (text or JSON on stdout), 2 I/O trouble.
@Suite("flowc check")
struct CheckCommandTests {
  /// A flow whose trigger names a segment that is not declared (a typo).
  static let brokenFlow = """
    segment lapsing = member.last_order_at before 90d ago
    flow winback {
      trigger enters segment lapsng
    }

    """

  /// Writes `brokenFlow` as `project/winback.flow` in a fresh folder.
  private func brokenProject() throws -> TempDirectory {
    let scratch = try TempDirectory()
    try FileManager.default.createDirectory(
      atPath: scratch.path("project"), withIntermediateDirectories: true)
    try Data(Self.brokenFlow.utf8).write(
      to: URL(fileURLWithPath: scratch.path("project/winback.flow")))
    return scratch
  }

  @Test("the repository's flows check clean")
  func repositoryFlows() async throws {
    let result = try await flowc(["check", "Flows"])
    #expect(result.exitCode == 0)
    #expect(result.stdout == "")
    #expect(result.stderr == "checked 6 files: no problems\n")
  }

  @Test("--timings names every phase on stderr")
  func timings() async throws {
    let result = try await flowc(["check", "Flows", "--timings"])
    #expect(result.exitCode == 0)
    let last = try #require(result.stderr.split(separator: "\n").last)
    let shape = /timings: read \d+ ms, templates \d+ ms, parse \d+ ms, check \d+ ms, total \d+ ms/
    #expect(try shape.wholeMatch(in: String(last)) != nil, "\(last)")
  }

  @Test("an unknown segment is an FL2003 error with file:line:col, exit 1")
  func unknownSegmentText() async throws {
    let scratch = try brokenProject()
    let result = try await flowc(
      ["check", "project", "--templates", Repo.templates], in: scratch.url)
    #expect(result.exitCode == 1)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "project/winback.flow:3:26: error[FL2003]: unknown segment 'lapsng'")
    #expect(result.stdout.contains("  = help: did you mean 'lapsing'?\n"))
    #expect(result.stderr == "checked 1 file: 1 error, 0 warnings\n")
  }

  @Test("--format json reports the same error as JSON")
  func unknownSegmentJSON() async throws {
    let scratch = try brokenProject()
    let result = try await flowc(
      ["check", "project", "--templates", Repo.templates, "--format", "json"], in: scratch.url)
    #expect(result.exitCode == 1)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    let diagnostics = try #require((object as? [String: Any])?["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == 1)
    let first = try #require(diagnostics.first)
    #expect(first["code"] as? String == "FL2003")
    #expect(first["severity"] as? String == "error")
    #expect(first["message"] as? String == "unknown segment 'lapsng'")
    #expect(first["file"] as? String == "project/winback.flow")
    #expect(first["line"] as? Int == 3)
    #expect(first["column"] as? Int == 26)
    #expect(first["endColumn"] as? Int == 32)
    #expect(first["help"] as? String == "did you mean 'lapsing'?")
  }

  @Test("--format json on clean flows is an empty list, exit 0")
  func cleanJSON() async throws {
    let result = try await flowc(["check", "Flows", "--format", "json"])
    #expect(result.exitCode == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    let diagnostics = try #require((object as? [String: Any])?["diagnostics"] as? [Any])
    #expect(diagnostics.isEmpty)
  }

  @Test("a path that does not exist is an I/O error, exit 2")
  func missingPath() async throws {
    let scratch = try TempDirectory()
    let result = try await flowc(["check", "no-such-folder"], in: scratch.url)
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(result.stderr == "flowc check: no such file or folder 'no-such-folder'\n")
  }

  @Test("an unknown --format is a usage error, exit 2")
  func unknownFormat() async throws {
    let result = try await flowc(["check", "Flows", "--format", "yaml"])
    #expect(result.exitCode == 2)
    #expect(
      result.stderr.hasPrefix(
        "flowc check: unknown format 'yaml'; use 'text', 'json', 'github' or 'sarif'\n"))
  }

  @Test("--format github prints one ::error workflow command, exit 1")
  func unknownSegmentGitHub() async throws {
    let scratch = try brokenProject()
    let result = try await flowc(
      ["check", "project", "--templates", Repo.templates, "--format", "github"], in: scratch.url)
    #expect(result.exitCode == 1)
    #expect(
      result.stdout
        == "::error file=project/winback.flow,line=3,col=26,endLine=3,endColumn=32,"
        + "title=FL2003::unknown segment 'lapsng' (help: did you mean 'lapsing'?)\n")
    #expect(result.stderr == "")
  }

  @Test("--format sarif prints a SARIF 2.1.0 log with the error, exit 1")
  func unknownSegmentSARIF() async throws {
    let scratch = try brokenProject()
    let result = try await flowc(
      ["check", "project", "--templates", Repo.templates, "--format", "sarif"], in: scratch.url)
    #expect(result.exitCode == 1)
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == 1)
    let first = try #require(results.first)
    #expect(first["ruleId"] as? String == "FL2003")
    #expect(first["level"] as? String == "error")
    let location = try #require((first["locations"] as? [[String: Any]])?.first)
    let physical = try #require(location["physicalLocation"] as? [String: Any])
    #expect(
      (physical["artifactLocation"] as? [String: Any])?["uri"] as? String
        == "project/winback.flow")
    #expect(
      physical["region"] as? [String: Int]
        == ["startLine": 3, "startColumn": 26, "endLine": 3, "endColumn": 32])
    #expect(result.stderr == "")
  }

  @Test("only check accepts github and sarif: replay --format sarif is a usage error, exit 2")
  func sarifOnlyForCheck() async throws {
    let scratch = try TempDirectory()
    let result = try await flowc(["replay", "--format", "sarif"], in: scratch.url)
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(
      result.stderr.hasPrefix("flowc replay: unknown format 'sarif'; use 'text' or 'json'\n"))
  }
}
