import Foundation
import Testing

/// The signing key the deterministic tests fix, so unsubscribe links repeat.
let testSigningKey = "flowc-tests-signing-key"

/// One row of `flowc replay --format json`.
struct SummaryRow: Hashable, CustomStringConvertible {
  var flow: String
  var step: String
  var entered: Int
  var sent: Int
  var exited: Int
  var skipped: Int

  var description: String { "\(flow).\(step) e\(entered) s\(sent) x\(exited) k\(skipped)" }

  /// Parses `{"rows": [...]}`; throws when the text is not that shape.
  static func parse(_ json: String) throws -> [SummaryRow] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    guard let rows = (object as? [String: Any])?["rows"] as? [[String: Any]] else {
      throw HarnessError("not a replay summary: \(json)")
    }
    return try rows.map { row in
      guard let flow = row["flow"] as? String, let step = row["step"] as? String,
        let entered = row["entered"] as? Int, let sent = row["sent"] as? Int,
        let exited = row["exited"] as? Int, let skipped = row["skipped"] as? Int
      else { throw HarnessError("bad summary row \(row)") }
      return SummaryRow(
        flow: flow, step: step, entered: entered, sent: sent, exited: exited, skipped: skipped)
    }
  }
}

/// A scratch folder with a member store and an outbox, and the flags to reach them.
struct Workspace {
  let scratch: TempDirectory
  let database: String
  let outbox: String

  init(_ scratch: TempDirectory, name: String) {
    self.scratch = scratch
    database = scratch.path("\(name).db")
    outbox = scratch.path("\(name)-outbox")
  }

  /// Creates an empty store file (SQLite takes a zero-length file as an empty
  /// database); `replay` and `run` refuse a path where nothing exists.
  func createEmptyStore() {
    precondition(
      FileManager.default.createFile(atPath: database, contents: Data()),
      "cannot create \(database)")
  }

  /// `--db --outbox --flows --templates --shop` for `replay` and `run`.
  func runtimeFlags(shop: String = Repo.shop) -> [String] {
    [
      "--db", database, "--outbox", outbox, "--flows", Repo.flows, "--templates", Repo.templates,
      "--shop", shop,
    ]
  }

  /// Imports the slice with opted-in consent; fails the test on a non-zero exit.
  func importSlice(_ slice: CDNOWSlice) async throws {
    let result = try await flowc(
      ["import", "cdnow", slice.path, "--db", database, "--consent", "opted-in"], in: scratch.url)
    guard result.exitCode == 0 else {
      throw HarnessError("import failed (\(result.exitCode)): \(result.stderr)")
    }
  }

  /// The arguments of a JSON replay.
  var replayArguments: [String] { ["replay"] + runtimeFlags() + ["--format", "json"] }

  /// Replays to the end with the fixed signing key and returns the summary rows.
  func replay() async throws -> [SummaryRow] {
    let result = try await flowc(
      replayArguments, in: scratch.url, environment: ["FLOWC_SIGNING_KEY": testSigningKey])
    guard result.exitCode == 0 else {
      throw HarnessError("replay failed (\(result.exitCode)): \(result.stderr)")
    }
    return try SummaryRow.parse(result.stdout)
  }
}
