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

  static func shop(_ arguments: Arguments) throws -> ShopSettings {
    if let path = arguments.value("shop") { return try ShopConfig.load(path: path) }
    if FileManager.default.fileExists(atPath: "shop.json") {
      return try ShopConfig.load(path: "shop.json")
    }
    return ShopConfig.demo
  }

  /// Compiles the flows and opens the store; flow errors are printed and end the command.
  static func openService(_ arguments: Arguments, _ terminal: Terminal) throws -> FlowService? {
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
    return try FlowService(
      databasePath: try arguments.required("db"), project: project, shop: try shop(arguments),
      outboxDirectory: try arguments.required("outbox"), now: systemNow())
  }
}

/// Seconds since the epoch, from the system clock.
@Sendable func systemNow() -> Int64 { Int64(Date().timeIntervalSince1970) }
