import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SplitMix64: a small seeded generator, so kill times repeat from run to run.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// When to SIGKILL a started `flowc`.
enum KillPoint: CustomStringConvertible {
  /// After this many seconds: usually inside start-up or a batch's transaction.
  case after(seconds: Double)
  /// As soon as the outbox holds this many files: usually in the middle of
  /// delivering a batch, before its rows are marked delivered.
  case outboxReaches(Int)

  var description: String {
    switch self {
    case .after(let seconds): return "after \(seconds)s"
    case .outboxReaches(let count): return "at \(count) outbox files"
    }
  }

  /// A seeded schedule alternating the two kinds; file targets rise through `expectedFiles`.
  static func schedule(
    count: Int, latestSeconds: Double, expectedFiles: Int, using generator: inout SeededGenerator
  ) -> [KillPoint] {
    var targets = (0..<count).map { _ in
      Int.random(in: 1..<max(2, expectedFiles), using: &generator)
    }
    targets.sort()
    return (0..<count).map { index in
      index.isMultiple(of: 2)
        ? .after(seconds: Double.random(in: 0.2...latestSeconds, using: &generator))
        : .outboxReaches(targets[index])
    }
  }
}

/// What one killed `flowc` did before the kill.
struct KillOutcome {
  /// False when the process had already exited on its own.
  var wasRunning: Bool
  var result: RunResult
}

/// Starts `flowc`, kills it at `point` (bounded by `timeout`) and reaps it.
func runAndKill(
  _ arguments: [String], at point: KillPoint, outbox: String, scratch: TempDirectory,
  environment: [String: String] = [:], timeout: Double = 60
) async throws -> KillOutcome {
  let process = try FlowcProcess(
    arguments, in: scratch.url, environment: environment, scratch: scratch)
  switch point {
  case .after(let seconds):
    try await Task.sleep(for: .seconds(seconds))
  case .outboxReaches(let target):
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && outboxCount(outbox) < target && Date() < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
  }
  let wasRunning = process.isRunning
  process.send(SIGKILL)
  return KillOutcome(wasRunning: wasRunning, result: try await process.wait(timeout: timeout))
}

/// Killing `flowc` at any moment and starting it again must neither lose an
/// email nor send one twice, and must end in the same state as a clean run.
@Suite("crash safety")
struct CrashSafetyTests {
  /// Outbox rows, message files and step log agree, and every event was processed.
  private func expectConsistentStore(_ workspace: Workspace, files: Int) throws {
    let db = workspace.database
    #expect(try sqliteCount(db, "SELECT count(*) FROM outbox") == files)
    #expect(try sqliteCount(db, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL") == 0)
    #expect(try sqliteCount(db, "SELECT count(*) FROM outbox_messages") == 0)
    #expect(try sqliteCount(db, "SELECT count(*) FROM events WHERE processed = 0") == 0)
    #expect(
      try sqliteCount(db, "SELECT count(*) FROM step_log WHERE outcome = 'sent'") == files)
  }

  /// Each outbox row as `flow|step|recipient|created_at`, in idempotency-key order.
  private func outboxRows(_ workspace: Workspace) throws -> [String] {
    try sqlite(
      workspace.database,
      "SELECT flow, step, recipient, created_at FROM outbox ORDER BY idempotency_key")
  }

  /// Sends that repeat a (flow, step, recipient) triple.
  private func repeatedSends(_ workspace: Workspace) throws -> Int {
    try sqliteCount(
      workspace.database,
      """
      SELECT count(*) FROM (SELECT flow, step, recipient FROM outbox
        GROUP BY flow, step, recipient HAVING count(*) > 1)
      """)
  }

  @Test("replay killed with SIGKILL and restarted matches a clean replay byte for byte")
  func replaySurvivesKills() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(dataLines: 1500, in: scratch)

    let reference = Workspace(scratch, name: "reference")
    try await reference.importSlice(slice)
    let started = Date()
    let referenceRows = try await reference.replay()
    let referenceSeconds = Date().timeIntervalSince(started)
    let referenceFiles = try outboxFiles(reference.outbox)
    #expect(referenceFiles.count == referenceRows.map(\.sent).reduce(0, +))
    try expectConsistentStore(reference, files: referenceFiles.count)

    let crashed = Workspace(scratch, name: "crashed")
    try await crashed.importSlice(slice)
    var generator = SeededGenerator(seed: 0x666C_6F77_63)
    let schedule = KillPoint.schedule(
      count: 5, latestSeconds: max(0.3, min(1.5, referenceSeconds * 0.9)),
      expectedFiles: referenceFiles.count, using: &generator)
    for point in schedule {
      let outcome = try await runAndKill(
        crashed.replayArguments, at: point, outbox: crashed.outbox, scratch: scratch,
        environment: ["FLOWC_SIGNING_KEY": testSigningKey])
      #expect(
        outcome.wasRunning
          ? outcome.result.signaled && outcome.result.exitCode == SIGKILL
          : outcome.result.exitCode == 0, "killed \(point)")
      // Whatever was delivered so far is exactly what the clean run delivered.
      for (name, bytes) in try outboxFiles(crashed.outbox) {
        #expect(referenceFiles[name] == bytes, "killed \(point): \(name) differs or is extra")
      }
    }

    let finalRows = try await crashed.replay()
    #expect(finalRows == referenceRows)
    let crashedFiles = try outboxFiles(crashed.outbox)
    #expect(crashedFiles.keys.sorted() == referenceFiles.keys.sorted())
    for (name, bytes) in referenceFiles {
      #expect(crashedFiles[name] == bytes, "\(name) differs")
    }
    try expectConsistentStore(crashed, files: crashedFiles.count)
    // Winback may legitimately come back to a member after 180 days, so compare
    // the sends themselves rather than demand unique (flow, step, recipient).
    #expect(try outboxRows(crashed) == outboxRows(reference))
  }

  /// A shop whose zone puts the local time near 13:00 now, so the winback
  /// flow's 21:00-08:00 quiet hours never hold mail during the test.
  private func middayShop(in scratch: TempDirectory) throws -> String {
    let hour =
      Calendar(identifier: .gregorian).dateComponents(
        in: TimeZone(identifier: "UTC") ?? .gmt, from: Date()
      ).hour ?? 0
    var offset = (13 - hour + 24) % 24
    if offset > 12 { offset -= 24 }
    // Etc/GMT signs are inverted: Etc/GMT-5 is five hours ahead of UTC.
    let zone = offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
    let path = scratch.path("midday-shop.json")
    let json = """
      {"name": "Example Records", "url": "https://shop.example.com",
       "from_email": "hello@shop.example.com", "from_name": "Example Records",
       "timezone": "\(zone)", "currency": "USD"}
      """
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Waits (up to `timeout` seconds) until the outbox holds at least `minimum`
  /// files and has not changed for 1.5 s.
  private func waitForQuietOutbox(
    _ folder: String, minimum: Int, process: FlowcProcess, timeout: Double
  ) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    var last = -1
    var stableSince = Date()
    while Date() < deadline {
      guard process.isRunning else {
        throw HarnessError("flowc run exited early: \(process.stderrSoFar)")
      }
      let count = outboxCount(folder)
      if count != last {
        last = count
        stableSince = Date()
      } else if count >= minimum && Date().timeIntervalSince(stableSince) >= 1.5 {
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    process.send(SIGKILL)
    throw HarnessError("the outbox never settled: \(last) files, wanted at least \(minimum)")
  }

  /// The events `flowc run` has reported processing, from its stderr.
  private func eventsProcessed(_ stderr: String) -> Int {
    stderr.split(separator: "\n").compactMap { line -> Int? in
      guard line.hasPrefix("processed ") else { return nil }
      return Int(line.split(separator: " ")[1])
    }.reduce(0, +)
  }

  @Test("run killed with SIGKILL and restarted sends what a clean run sends, once")
  func runSurvivesKills() async throws {
    let scratch = try TempDirectory()
    // Enough events for several 2,000-event batches, so kills land between commits too.
    let slice = try CDNOWSlice(dataLines: 6000, in: scratch)
    let shop = try middayShop(in: scratch)
    let events = slice.customers + slice.orders

    // Clean: wait for every event to be reported processed, then for delivery to settle.
    let clean = Workspace(scratch, name: "clean")
    try await clean.importSlice(slice)
    let cleanStarted = Date()
    let cleanRun = try FlowcProcess(
      ["run"] + clean.runtimeFlags(shop: shop) + ["--poll", "0.2"], in: scratch.url,
      scratch: scratch)
    let deadline = Date().addingTimeInterval(120)
    while eventsProcessed(cleanRun.stderrSoFar) < events && Date() < deadline {
      guard cleanRun.isRunning else { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    let busySeconds = Date().timeIntervalSince(cleanStarted)
    try await waitForQuietOutbox(clean.outbox, minimum: 1, process: cleanRun, timeout: 60)
    cleanRun.send(SIGTERM)
    let cleanResult = try await cleanRun.wait(timeout: 30)
    #expect(cleanResult.exitCode == 0 && !cleanResult.signaled)
    #expect(cleanResult.stderr.hasSuffix("flowc run: stopped\n"))
    #expect(eventsProcessed(cleanResult.stderr) == events)
    let cleanNames = try outboxFiles(clean.outbox).keys.sorted()
    try expectConsistentStore(clean, files: cleanNames.count)
    #expect(try repeatedSends(clean) == 0)

    // Killed at seeded moments, then run until the outbox settles.
    let crashed = Workspace(scratch, name: "crashed")
    try await crashed.importSlice(slice)
    var generator = SeededGenerator(seed: 0x7275_6E)
    // Time kills fall while a clean run would still be busy (start-up, batches, delivery).
    let schedule = KillPoint.schedule(
      count: 5, latestSeconds: max(0.3, min(3.0, busySeconds)),
      expectedFiles: cleanNames.count, using: &generator)
    for point in schedule {
      let outcome = try await runAndKill(
        ["run"] + crashed.runtimeFlags(shop: shop) + ["--poll", "0.2"], at: point,
        outbox: crashed.outbox, scratch: scratch)
      // `run` never exits on its own, so every kill lands.
      #expect(outcome.wasRunning, "killed \(point)")
      #expect(outcome.result.signaled && outcome.result.exitCode == SIGKILL, "killed \(point)")
      let names = try outboxFiles(crashed.outbox).keys
      #expect(Set(names).isSubset(of: cleanNames), "killed \(point)")
    }
    let final = try FlowcProcess(
      ["run"] + crashed.runtimeFlags(shop: shop) + ["--poll", "0.2"], in: scratch.url,
      scratch: scratch)
    try await waitForQuietOutbox(
      crashed.outbox, minimum: cleanNames.count, process: final, timeout: 120)
    final.send(SIGTERM)
    let finalResult = try await final.wait(timeout: 30)
    #expect(finalResult.exitCode == 0 && !finalResult.signaled)
    #expect(finalResult.stderr.hasSuffix("flowc run: stopped\n"))
    let crashedNames = try outboxFiles(crashed.outbox).keys.sorted()
    #expect(crashedNames == cleanNames)
    try expectConsistentStore(crashed, files: crashedNames.count)
    #expect(try repeatedSends(crashed) == 0)
    #expect(try outboxRows(crashed).map(dropCreatedAt) == outboxRows(clean).map(dropCreatedAt))
  }

  /// `flow|step|recipient` of an `outboxRows` line (`run` stamps rows with the system clock).
  private func dropCreatedAt(_ row: String) -> String {
    row.split(separator: "|").dropLast().joined(separator: "|")
  }
}
