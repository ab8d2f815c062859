import FlowDiagnostics
import FlowHost
import FlowRuntime
import Foundation

/// Options shared by `replay` and `run`, and opening the service from them.
enum RuntimeOptions {
  static let specs: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("flows", "DIR", "Folder of .flow files (default: Flows)."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("outbox", "DIR", "Folder that receives one .eml file per email."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
  ]

  static func shop(_ arguments: Arguments, _ terminal: Terminal) throws -> ShopSettings {
    if let path = arguments.value("shop") { return try ShopConfig.load(path: path) }
    if FileManager.default.fileExists(atPath: "shop.json") {
      return try ShopConfig.load(path: "shop.json")
    }
    terminal.err("note: no shop.json here and no --shop given; using the demo shop's settings\n")
    return ShopConfig.demo
  }

  /// Compiles the flows and opens the store; flow errors are printed and end the command.
  /// With `deploy` (`run`), members inside changed flows are moved as `flowc plan` shows.
  static func openService(
    _ arguments: Arguments, _ terminal: Terminal, shop: ShopSettings, deploy: Bool = false
  ) throws -> FlowService? {
    let project = try Project.load(
      paths: [arguments.value("flows") ?? "Flows"],
      templatesDirectory: arguments.value("templates") ?? "Templates")
    if project.program == nil {
      terminal.err(
        TextRenderer(colored: terminal.colorOnStandardError).render(
          project.diagnostics, files: project.files))
      terminal.err("the flows have errors; nothing was run\n")
      return nil
    }
    let database = try arguments.required("db")
    // Only imports create a store: a mistyped path must not look like an empty one.
    guard FileManager.default.fileExists(atPath: database) else {
      throw HostError("no database at '\(database)'; create one with 'flowc import'")
    }
    return try FlowService(
      databasePath: database, project: project, shop: shop,
      outboxDirectory: try arguments.required("outbox"), now: systemNow(), deploy: deploy)
  }
}

/// Seconds since the epoch, from the system clock.
@Sendable func systemNow() -> Int64 { Int64(Date().timeIntervalSince1970) }
