import FlowDiagnostics
import FlowHost
import FlowIR
import FlowRuntime
import Foundation
import Identity
import Imports
import MemberStore

/// `flowc import FORMAT PATH` for store exports and webhook bodies: every row
/// through the identity resolver in one store transaction.
enum MemberImport {
  static let formats = [
    "shopify-customers", "shopify-customer", "shopify-order", "woocommerce-order", "mailchimp",
    "klaviyo", "csv",
  ]

  static func run(
    _ kind: String, _ path: String, _ arguments: Arguments, _ terminal: Terminal,
    _ format: OutputFormat
  ) throws -> Int32 {
    let database = try arguments.required("db")
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw HostError("cannot read '\(path)'")
    }
    let now = Int64(Date().timeIntervalSince1970)
    let asOf = try arguments.value("as-of").map { text in
      guard let time = Timestamp.parse(text) else {
        throw UsageError(message: "--as-of '\(text)' is not a time like 2025-03-01T00:00:00Z")
      }
      return time
    }
    let mapping = try columnMapping(kind, arguments)
    let shop = try RuntimeOptions.shop(arguments, terminal)
    guard let program = try program(arguments, terminal) else { return 1 }

    let source: ImportSource
    do {
      source = try makeSource(
        kind, path, mapping: mapping, currency: shop.currency, asOf: asOf ?? now)
    } catch {
      terminal.err("\(error.description)\nnothing imported\n")
      return 1
    }
    let rejects =
      arguments.has("skip-invalid")
      ? RejectFile(
        path: arguments.value("reject-file") ?? defaultRejectPath(path, kind),
        preamble: source.rejectPreamble)
      : nil
    let store = try SQLiteFlowStore(path: database)
    let resolver = IdentityResolver(
      store: store, rules: program.identity, fields: program.fields,
      defaultCountry: shop.country, shopCurrency: shop.currency)
    let report = try store.bulkLoad {
      try Importer(store: store, resolver: resolver, now: now).run(source, rejects: rejects)
    }

    for problem in report.problems { terminal.err("\(path):\(problem.line): \(problem.reason)\n") }
    if report.badRows > report.problems.count {
      terminal.err("... and \(report.badRows - report.problems.count) more\n")
    }
    guard report.committed else {
      terminal.err("nothing imported: \(report.badRows) bad row(s)\n")
      if format == .json { terminal.out(refusal(report)) }
      return 1
    }
    terminal.out(format == .json ? json(report, rejects) : text(report, rejects, database))
    return 0
  }

  private static func defaultRejectPath(_ path: String, _ kind: String) -> String {
    ["shopify-customer", "shopify-order", "woocommerce-order"].contains(kind)
      ? "\(path).rejects.jsonl" : "\(path).rejects.csv"
  }

  /// The flows' identity rules and fields; the defaults when there is no
  /// Flows folder and none was named. Nil (after printing why) when the flows have errors.
  private static func program(_ arguments: Arguments, _ terminal: Terminal) throws -> Program? {
    let flows = arguments.value("flows") ?? "Flows"
    if arguments.value("flows") == nil, !FileManager.default.fileExists(atPath: flows) {
      return Program()
    }
    let project = try Project.load(
      paths: [flows], templatesDirectory: arguments.value("templates") ?? "Templates")
    guard let program = project.program else {
      terminal.err(
        TextRenderer(colored: terminal.colorOnStandardError).render(
          project.diagnostics, files: project.files))
      terminal.err("the flows have errors; nothing imported\n")
      return nil
    }
    return program
  }

  private static func columnMapping(_ kind: String, _ arguments: Arguments) throws -> ColumnMapping?
  {
    let options = arguments.values("map")
    guard kind == "csv" || kind == "klaviyo" else {
      if !options.isEmpty || arguments.value("mapping") != nil {
        throw UsageError(message: "--map and --mapping apply to the csv and klaviyo formats only")
      }
      return nil
    }
    do throws(FormatError) {
      var mapping = kind == "klaviyo" ? ColumnMapping.klaviyo : ColumnMapping()
      if let file = arguments.value("mapping") { mapping = try ColumnMapping.load(path: file) }
      for option in options {
        try mapping.add(option)
        mapping.optional.remove(String(option.prefix { $0 != "=" }))
      }
      if mapping.columns.isEmpty {
        throw FormatError("the csv format needs --map TARGET=COLUMN or --mapping FILE")
      }
      return mapping
    } catch {
      throw UsageError(message: error.description)
    }
  }

  private static func makeSource(
    _ kind: String, _ path: String, mapping: ColumnMapping?, currency: String, asOf: Int64
  ) throws(FormatError) -> ImportSource {
    switch kind {
    case "shopify-customers":
      return try CSVSource(path: path) { header throws(FormatError) in
        try ShopifyCustomersCSV(header: header, currency: currency, asOf: asOf)
      }
    case "mailchimp":
      return try CSVSource(path: path) { header throws(FormatError) in
        try MailchimpCSV(header: header)
      }
    case "shopify-customer":
      return try JSONSource(path: path, format: ShopifyCustomerJSON(currency: currency))
    case "shopify-order": return try JSONSource(path: path, format: ShopifyOrderJSON())
    case "woocommerce-order": return try JSONSource(path: path, format: WooCommerceOrderJSON())
    default:
      return try CSVSource(path: path) { header throws(FormatError) in
        try MappedCSV(header: header, mapping: mapping!)
      }
    }
  }

  private static func text(_ report: ImportReport, _ rejects: RejectFile?, _ database: String)
    -> String
  {
    var lines = [
      "imported \(report.rows - report.badRows) of \(report.rows) rows into \(database)",
      "members: \(report.membersCreated) created, \(report.membersUpdated) matched existing, "
        + "\(report.membersMerged) merged",
      "orders: \(report.ordersNew) new, \(report.ordersKnown) already known",
    ]
    if let rejects, report.badRows > 0 {
      lines.append("rejected: \(report.badRows), written to \(rejects.path)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A refused import for machines: nothing was stored; the first problems by line.
  private static func refusal(_ report: ImportReport) -> String {
    let problems = report.problems.map {
      "{\"line\": \($0.line), \"reason\": \(JSONRenderer.quote($0.reason))}"
    }
    return """
      {"rows": \(report.rows), "imported": 0, "bad_rows": \(report.badRows), \
      "problems": [\(problems.joined(separator: ", "))]}

      """
  }

  private static func json(_ report: ImportReport, _ rejects: RejectFile?) -> String {
    let rejectFile =
      rejects.flatMap { report.badRows > 0 ? JSONRenderer.quote($0.path) : nil } ?? "null"
    return """
      {"rows": \(report.rows), "imported": \(report.rows - report.badRows), \
      "members_created": \(report.membersCreated), "members_updated": \(report.membersUpdated), \
      "members_merged": \(report.membersMerged), "orders_new": \(report.ordersNew), \
      "orders_known": \(report.ordersKnown), "rejected": \(report.badRows), \
      "reject_file": \(rejectFile)}

      """
  }
}
