import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowc run` stops cleanly, exit 0, on SIGINT or SIGTERM.
@Suite("flowc run signals")
struct RunSignalTests {
  @Test("SIGINT or SIGTERM after work stops run with exit 0", arguments: [SIGINT, SIGTERM])
  func stopsOnSignal(signal: Int32) async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let workspace = Workspace(scratch, name: "signal")
    try await workspace.importSlice(slice)
    let process = try FlowcProcess(
      ["run"] + workspace.runtimeFlags() + ["--poll", "0.1"], in: scratch.url, scratch: scratch)
    let deadline = Date().addingTimeInterval(60)
    while !process.stderrSoFar.contains("processed ") && process.isRunning && Date() < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    process.send(signal)
    let result = try await process.wait(timeout: 30)
    #expect(result.exitCode == 0 && !result.signaled)
    // A first run over a fresh store deploys every flow as new.
    let deployed = "flowc run: deployed: 0 resume, 0 move, 0 leave, "
    #expect(result.stderr.hasPrefix(deployed))
    #expect(
      result.stderr.drop { $0 != "\n" }.dropFirst() == """
        flowc run: running (SIGINT or SIGTERM to stop)
        processed \(slice.customers + slice.orders) events and 0 timers
        flowc run: stopped

        """)
    #expect(
      try sqliteCount(workspace.database, "SELECT count(*) FROM events WHERE processed = 0") == 0)
  }

  @Test("run with flows that do not compile prints the errors and exits 1")
  func brokenFlows() async throws {
    let scratch = try TempDirectory()
    let flows = scratch.path("flows")
    try FileManager.default.createDirectory(atPath: flows, withIntermediateDirectories: true)
    try Data(CheckCommandTests.brokenFlow.utf8).write(
      to: URL(fileURLWithPath: flows + "/winback.flow"))
    let result = try await flowc(
      [
        "run", "--db", scratch.path("x.db"), "--outbox", scratch.path("outbox"), "--flows", flows,
        "--templates", Repo.templates, "--shop", Repo.shop,
      ], in: scratch.url, timeout: 30)
    #expect(result.exitCode == 1)
    #expect(result.stderr.contains("error[FL2003]: unknown segment 'lapsng'"))
    #expect(result.stderr.hasSuffix("the flows have errors; nothing was run\n"))
    #expect(!FileManager.default.fileExists(atPath: scratch.path("outbox")))
  }
}
