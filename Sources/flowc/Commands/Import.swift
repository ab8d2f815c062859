import FlowHost
import Foundation
import MemberStore

/// `flowc import FORMAT PATH`: load members and orders from a file.
enum Import: Command {
  static let name = "import"
  static let summary = "Import members and their history from a file."
  static let synopsis =
    "flowc import FORMAT PATH --db DB [--skip-invalid] [--reject-file PATH] [--map TARGET=COLUMN]... [options]"
  static let discussion = """
    Formats:
      shopify-customers  Shopify customer export CSV (current, extended or legacy layout).
      shopify-customer   Shopify customers/create, customers_email_marketing_consent/update
                         or customers/purchasing_summary webhook JSON.
      shopify-order      Shopify orders/create webhook JSON.
      woocommerce-order  WooCommerce order.created webhook JSON.
      mailchimp          Mailchimp audience export CSV (subscribed, unsubscribed or cleaned file).
      klaviyo            Klaviyo profile CSV (assumed columns, see Docs/imports.md).
      csv                Any CSV, through --map TARGET=COLUMN and/or --mapping FILE.
      cdnow              The CDNOW master transaction log (customer id, date, CDs, dollars).
      products           The shop's catalog as Shopify products JSON ({"products": [...]}).
    JSON files hold one object, an array of objects or JSON Lines.
    A bad row is reported as PATH:LINE: reason and nothing is imported, unless
    --skip-invalid is given: then bad rows go to the reject file and the rest is
    imported. Importing the same file again changes nothing.
    """
  static let options: [OptionSpec] = [
    .value("db", "DB", "SQLite member store (created if missing)."),
    .value("flows", "DIR", "Flows whose identity rules and fields apply (default: Flows)."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("shop", "FILE", "Shop settings for currency and product URLs (default: shop.json)."),
    .flag("skip-invalid", "Import the good rows; write bad ones to the reject file."),
    .value(
      "reject-file", "PATH",
      "Where --skip-invalid writes bad rows (default: PATH.rejects.csv, or .jsonl for JSON)."),
    .value("as-of", "TIME", "When the export was taken, for its order totals (default: now)."),
    .value("map", "TARGET=COLUMN", "csv, klaviyo: read TARGET from COLUMN (repeatable)."),
    .value("mapping", "FILE", "csv: a JSON mapping file (see Docs/imports.md)."),
    .value("consent", "STATUS", "cdnow: record email consent for new members: opted-in."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    guard arguments.positionals.count == 2 else {
      throw UsageError(message: "expected a format and a file: \(synopsis)")
    }
    let kind = arguments.positionals[0]
    let path = arguments.positionals[1]
    if kind == "products" { return try importProducts(path, arguments, terminal, format) }
    if MemberImport.formats.contains(kind) {
      return try MemberImport.run(kind, path, arguments, terminal, format)
    }
    guard kind == "cdnow" else {
      let known = (MemberImport.formats + ["cdnow", "products"]).joined(separator: ", ")
      throw UsageError(message: "unknown import format '\(kind)'; known formats: \(known)")
    }
    let consent = try arguments.value("consent").map(consentStatus)
    let database = try arguments.required("db")
    guard let data = FileManager.default.contents(atPath: path) else {
      throw HostError("cannot read '\(path)'")
    }
    let log: CDNOWImporter.ValidLog
    do {
      log = try CDNOWImporter.validated(String(decoding: data, as: UTF8.self))
    } catch let failure as ImportErrors {
      for error in failure.errors.prefix(50) {
        terminal.err("\(path):\(error.line): \(error.reason)\n")
      }
      if failure.errors.count > 50 { terminal.err("... and \(failure.errors.count - 50) more\n") }
      terminal.err("nothing imported: \(failure.errors.count) malformed line(s)\n")
      return 1
    }
    let store = try SQLiteFlowStore(path: database)
    let importer = CDNOWImporter(consent: consent, importedAt: Int64(Date().timeIntervalSince1970))
    let report = try importer.importLog(log, into: store)
    switch format {
    case .json:
      terminal.out(
        "{\"members\": \(report.members), \"new_members\": \(report.newMembers), "
          + "\"orders\": \(report.orders), \"new_orders\": \(report.newOrders)}\n")
    case .text:
      terminal.out(
        "imported \(report.members) members (\(report.newMembers) new) and "
          + "\(report.orders) orders (\(report.newOrders) new) into \(database)\n")
    }
    return 0
  }

  private static func consentStatus(_ raw: String) throws -> String {
    switch raw {
    case "opted_in", "opted-in": return "opted_in"
    case "confirmed": return "confirmed"
    default: throw UsageError(message: "unknown consent '\(raw)'; use opted-in or confirmed")
    }
  }

  private static func importProducts(
    _ path: String, _ arguments: Arguments, _ terminal: Terminal, _ format: OutputFormat
  ) throws -> Int32 {
    let database = try arguments.required("db")
    guard let data = FileManager.default.contents(atPath: path) else {
      throw HostError("cannot read '\(path)'")
    }
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let store = try SQLiteFlowStore(path: database)
    let report: ProductCatalogImporter.Report
    do {
      report = try ProductCatalogImporter.importShopifyJSON(
        data, into: store, shop: shop, at: Int64(Date().timeIntervalSince1970))
    } catch let problem as ProductCatalogImporter.Problem {
      terminal.err("\(path): \(problem.description)\nnothing imported\n")
      return 1
    }
    switch format {
    case .json:
      terminal.out("{\"products\": \(report.products), \"changed\": \(report.changed)}\n")
    case .text:
      terminal.out(
        "imported \(report.products) products (\(report.changed) new or changed) into \(database)\n"
      )
    }
    return 0
  }
}
