import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The package root, found from this file's path (`Tests/FlowcTests/Support/`).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Paths to the repository's flows, templates and shop settings.
enum Repo {
  static let flows = packageRoot.appendingPathComponent("Flows").path
  static let templates = packageRoot.appendingPathComponent("Templates").path
  static let shop = packageRoot.appendingPathComponent("shop.json").path
  static let cdnow = packageRoot.appendingPathComponent(
    "scripts/demo-data/cdnow/CDNOW_master.txt"
  ).path
  static let fixtures = packageRoot.appendingPathComponent("Tests/FlowcTests/Fixtures")
}

/// A test failure outside an `#expect`: a subprocess that misbehaved.
struct HarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The built `flowc` binary: beside the test bundle, else in `.build/debug`.
let flowcBinary: String = {
  var folders: [URL] = []
  if let first = CommandLine.arguments.first {
    folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
  }
  folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
  folders.append(Bundle.main.bundleURL)
  for configuration in ["debug", "release"] {
    folders.append(packageRoot.appendingPathComponent(".build/\(configuration)"))
  }
  for folder in folders {
    let candidate = folder.appendingPathComponent("flowc").path
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return packageRoot.appendingPathComponent(".build/debug/flowc").path
}()

/// A scratch folder under the system temp directory, unique per test.
final class TempDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("flowc-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// An absolute path inside the folder.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// What a finished `flowc` invocation produced.
struct RunResult {
  var exitCode: Int32
  /// True when the process ended by a signal; `exitCode` is then the signal number.
  var signaled: Bool
  var stdout: String
  var stderr: String
}

/// A running `flowc` whose output goes to files, so a full pipe never blocks it.
final class FlowcProcess {
  let process = Process()
  private let stdoutPath: String
  private let stderrPath: String
  let arguments: [String]

  /// Starts `flowc arguments` in `directory` (default: the package root).
  init(
    _ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:],
    scratch: TempDirectory
  ) throws {
    self.arguments = arguments
    let id = UUID().uuidString
    stdoutPath = scratch.path(".stdout-\(id)")
    stderrPath = scratch.path(".stderr-\(id)")
    _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.executableURL = URL(fileURLWithPath: flowcBinary)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["FLOWC_SIGNING_KEY"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    try process.run()
  }

  var isRunning: Bool { process.isRunning }

  /// Standard error so far (the process may still be writing).
  var stderrSoFar: String {
    String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
  }

  func send(_ signal: Int32) {
    if process.isRunning { kill(process.processIdentifier, signal) }
  }

  /// Waits for the exit; past `timeout` seconds the process is killed and this throws.
  func wait(timeout: Double) async throws -> RunResult {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
      if Date() > deadline {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw HarnessError("flowc \(arguments.joined(separator: " ")) ran past \(timeout)s")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    process.waitUntilExit()
    let out = FileManager.default.contents(atPath: stdoutPath) ?? Data()
    let err = FileManager.default.contents(atPath: stderrPath) ?? Data()
    try? FileManager.default.removeItem(atPath: stdoutPath)
    try? FileManager.default.removeItem(atPath: stderrPath)
    return RunResult(
      exitCode: process.terminationStatus,
      signaled: process.terminationReason == .uncaughtSignal,
      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
  }
}

/// Runs `flowc` to completion (bounded by `timeout` seconds).
func flowc(
  _ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:],
  timeout: Double = 120
) async throws -> RunResult {
  let scratch = try TempDirectory()
  let running = try FlowcProcess(
    arguments, in: directory, environment: environment, scratch: scratch)
  return try await running.wait(timeout: timeout)
}

/// Runs a query with the `sqlite3` shell and returns its output lines.
func sqlite(_ database: String, _ query: String) throws -> [String] {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["sqlite3", "-batch", database, query]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.standardError
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw HarnessError("sqlite3 failed on \(query)")
  }
  return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// The single integer a `SELECT count(*) ...` query returns.
func sqliteCount(_ database: String, _ query: String) throws -> Int {
  let lines = try sqlite(database, query)
  guard lines.count == 1, let value = Int(lines[0]) else {
    throw HarnessError("expected one number from \(query), got \(lines)")
  }
  return value
}

/// Message files in an outbox (hidden temp files excluded), by name.
func outboxFiles(_ folder: String) throws -> [String: Data] {
  guard FileManager.default.fileExists(atPath: folder) else { return [:] }
  var files: [String: Data] = [:]
  for name in try FileManager.default.contentsOfDirectory(atPath: folder)
  where !name.hasPrefix(".") {
    files[name] = FileManager.default.contents(atPath: folder + "/" + name) ?? Data()
  }
  return files
}

/// The number of message files in an outbox, ignoring hidden temp files.
func outboxCount(_ folder: String) -> Int {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  return names.filter { !$0.hasPrefix(".") }.count
}
