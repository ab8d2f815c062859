import FlowDiagnostics
import FlowHost
import FlowRuntime
import Foundation
import Mail
import MailDelivery

/// Options shared by `replay` and `run`, and opening the service from them.
enum RuntimeOptions {
  static let specs: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("flows", "DIR", "Folder of .flow files (default: Flows)."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("outbox", "DIR", "Folder that receives one .eml file per email."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
    .value("transport", "KIND", "outbox (default: the --outbox folder) or smtp (shop's \"smtp\")."),
  ]

  static func shop(_ arguments: Arguments, _ terminal: Terminal) throws -> ShopSettings {
    if let path = shopPath(arguments) { return try ShopConfig.load(path: path) }
    terminal.err("note: no shop.json here and no --shop given; using the demo shop's settings\n")
    return ShopConfig.demo
  }

  static func shopPath(_ arguments: Arguments) -> String? {
    if let path = arguments.value("shop") { return path }
    return FileManager.default.fileExists(atPath: "shop.json") ? "shop.json" : nil
  }

  /// The transport `--transport` picks and the shop's DKIM signer, if any.
  private static func delivery(
    _ arguments: Arguments
  ) throws -> (transport: any MailTransport, dkim: DKIMSigner?, mailFrom: String?) {
    let settings = try shopPath(arguments).map { try ShopConfig.delivery(path: $0) } ?? .init()
    let dkim = try settings.dkim.map { try DKIMSigner($0) }
    switch arguments.value("transport") ?? "outbox" {
    case "outbox":
      return (try OutboxFolder(path: try arguments.required("outbox")), dkim, nil)
    case "smtp":
      guard let smtp = settings.smtp else {
        throw UsageError(
          message: "--transport smtp needs an \"smtp\" section in the shop settings")
      }
      return (try SMTPTransport(smtp), dkim, settings.mailFrom)
    case let other:
      throw UsageError(message: "--transport takes outbox or smtp, not '\(other)'")
    }
  }

  /// The flows of `--flows` (default `Flows`) with the templates of `--templates`.
  static func loadProject(_ arguments: Arguments) throws -> Project {
    try Project.load(
      paths: [arguments.value("flows") ?? "Flows"],
      templatesDirectory: arguments.value("templates") ?? "Templates")
  }

  /// `--db`, which must exist: only imports create a store, so a mistyped
  /// path must not look like an empty one.
  static func existingDatabase(_ arguments: Arguments) throws -> String {
    let database = try arguments.required("db")
    guard FileManager.default.fileExists(atPath: database) else {
      throw HostError("no database at '\(database)'; create one with 'flowc import'")
    }
    return database
  }

  /// Compiles the flows and opens the store; flow errors are printed and end the command.
  /// With `deploy` (`run`), members inside changed flows are moved as `flowc plan` shows.
  static func openService(
    _ arguments: Arguments, _ terminal: Terminal, shop: ShopSettings, deploy: Bool = false
  ) throws -> FlowService? {
    let project = try loadProject(arguments)
    if project.program == nil {
      terminal.err(
        TextRenderer(colored: terminal.colorOnStandardError).render(
          project.diagnostics, files: project.files))
      terminal.err("the flows have errors; nothing was run\n")
      return nil
    }
    let database = try existingDatabase(arguments)
    let delivery = try delivery(arguments)
    return try FlowService(
      databasePath: database, project: project, shop: shop, transport: delivery.transport,
      dkim: delivery.dkim, mailFrom: delivery.mailFrom, now: systemNow(), deploy: deploy)
  }
}

/// Seconds since the epoch, from the system clock.
@Sendable func systemNow() -> Int64 { Int64(Date().timeIntervalSince1970) }
