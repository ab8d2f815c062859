import Foundation
import Testing

/// `flowc fmt`: rewrites in place and lists what changed; `--check` only
/// lists, exit 1 when anything would change; syntax errors leave files alone.
@Suite("flowc fmt")
struct FmtCommandTests {
  static let messy = "segment vip=member.order_count>=3 // big spenders\nsegment lapsed = not vip\n"
  static let canonical =
    "segment vip    = member.order_count >= 3 // big spenders\nsegment lapsed = not vip\n"

  /// A folder `project` holding `a.flow` (messy) and `nested/b.flow` (canonical).
  private func project() throws -> TempDirectory {
    let scratch = try TempDirectory()
    try FileManager.default.createDirectory(
      atPath: scratch.path("project/nested"), withIntermediateDirectories: true)
    try Data(Self.messy.utf8).write(to: URL(fileURLWithPath: scratch.path("project/a.flow")))
    try Data(Self.canonical.utf8).write(
      to: URL(fileURLWithPath: scratch.path("project/nested/b.flow")))
    return scratch
  }

  private func contents(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  }

  @Test("--check lists the unformatted file and exits 1; fmt fixes it; --check then passes")
  func checkThenFormat() async throws {
    let scratch = try project()
    let check = try await flowc(["fmt", "--check", "project"], in: scratch.url)
    #expect(check.exitCode == 1)
    #expect(check.stdout == "project/a.flow\n")
    #expect(check.stderr == "")
    #expect(contents(scratch.path("project/a.flow")) == Self.messy)

    let format = try await flowc(["fmt", "project"], in: scratch.url)
    #expect(format.exitCode == 0)
    #expect(format.stdout == "project/a.flow\n")
    #expect(contents(scratch.path("project/a.flow")) == Self.canonical)

    let recheck = try await flowc(["fmt", "--check", "project"], in: scratch.url)
    #expect(recheck.exitCode == 0)
    #expect(recheck.stdout == "")
  }

  @Test("a file with syntax errors is reported like check and left untouched, exit 1")
  func syntaxErrors() async throws {
    let scratch = try TempDirectory()
    let broken = "flow f {\n  wait 3days\n}\n"
    try Data(broken.utf8).write(to: URL(fileURLWithPath: scratch.path("broken.flow")))
    let result = try await flowc(["fmt", "broken.flow"], in: scratch.url)
    #expect(result.exitCode == 1)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("broken.flow:2:8: error[FL0004]: malformed duration\n"))
    #expect(contents(scratch.path("broken.flow")) == broken)
  }

  @Test("'-' formats standard input to standard output")
  func standardInput() async throws {
    let scratch = try TempDirectory()
    try Data(Self.messy.utf8).write(to: URL(fileURLWithPath: scratch.path("in.flow")))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: flowcBinary)
    process.arguments = ["fmt", "-"]
    process.standardInput = try FileHandle(
      forReadingFrom: scratch.url.appendingPathComponent("in.flow"))
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: data, as: UTF8.self) == Self.canonical)
  }

  @Test("no paths, or a missing one, is exit 2")
  func usageAndMissingPaths() async throws {
    let none = try await flowc(["fmt"])
    #expect(none.exitCode == 2)
    #expect(none.stderr.hasPrefix("flowc fmt: missing PATHS"))
    let missing = try await flowc(["fmt", "--check", "no-such-folder"])
    #expect(missing.exitCode == 2)
    #expect(missing.stderr == "flowc fmt: no such file or folder 'no-such-folder'\n")
  }

  @Test("the repository's flows are formatted")
  func repositoryFlows() async throws {
    let result = try await flowc(["fmt", "--check", "Flows"])
    #expect(result.exitCode == 0)
    #expect(result.stdout == "")
  }
}
