import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A SIGTERM that reaches `flowc run` while it starts must still stop it.
///
/// Fails today (under the test runner about 1 attempt in 4 lands in the
/// window; from a shell, 2 in 150): `Run.run` sets SIGINT/SIGTERM to
/// SIG_IGN and only then arms a DispatchSource, whose
/// registration is asynchronous; a signal in between is discarded and `run`
/// keeps going forever.
@Suite("flowc run signal race")
struct RunSignalRaceTests {
  @Test("SIGTERM at seeded moments around start-up always ends run")
  func sigtermDuringStartUp() async throws {
    let scratch = try TempDirectory()
    // Calibrate: how long until this machine's `run` announces itself.
    let probe = Workspace(scratch, name: "probe")
    probe.createEmptyStore()
    let started = Date()
    let calibration = try FlowcProcess(
      ["run"] + probe.runtimeFlags() + ["--poll", "0.1"], in: scratch.url, scratch: scratch)
    while !calibration.stderrSoFar.contains("flowc run: running") && calibration.isRunning
      && Date().timeIntervalSince(started) < 30
    {
      try await Task.sleep(for: .milliseconds(1))
    }
    let announce = Date().timeIntervalSince(started)
    calibration.send(SIGKILL)
    _ = try await calibration.wait(timeout: 10)

    var generator = SeededGenerator(seed: 0x5349_4754)
    for attempt in 1...8 {
      let delay = Double.random(in: (announce * 0.6)...(announce * 1.2), using: &generator)
      let workspace = Workspace(scratch, name: "race\(attempt)")
      workspace.createEmptyStore()
      let process = try FlowcProcess(
        ["run"] + workspace.runtimeFlags() + ["--poll", "0.1"], in: scratch.url, scratch: scratch)
      try await Task.sleep(for: .seconds(delay))
      process.send(SIGTERM)
      do {
        let result = try await process.wait(timeout: 5)
        // Before the handlers exist the default action ends it; after, it stops cleanly.
        #expect(
          result.signaled ? result.exitCode == SIGTERM : result.exitCode == 0,
          "attempt \(attempt) after \(delay)s")
      } catch {
        Issue.record("attempt \(attempt): SIGTERM after \(delay)s was ignored; \(error)")
      }
    }
  }
}
