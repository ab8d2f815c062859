import FlowHost
import FlowRuntime
import Foundation

/// `flowc preview`: render one send for one member without sending it.
enum Preview: Command {
  static let name = "preview"
  static let summary = "Print the exact email a send step would give a member, without sending."
  static let synopsis =
    "flowc preview STEP --member EMAIL|ID --db DB [--flows DIR] [--templates DIR] [--shop FILE] "
    + "[--at TIME] [--format eml|json]"
  static let discussion = """
    STEP is FLOW.STEP, or a send step name used in one flow only. The member's
    data is read from the store as of now (or --at, YYYY-MM-DD or ISO 8601);
    the trigger data is that of the member's running instance of the flow,
    if any. Prints the complete message (headers, text and HTML parts, MIME
    encoded) as it would be sent; --format json prints the rendered subject,
    addresses and parts instead. Nothing is written to the outbox.
    """
  static let options: [OptionSpec] = [
    .value("member", "EMAIL|ID", "The member to render for."),
    .value("db", "DB", "SQLite member store."),
    .value("flows", "DIR", "Folder of .flow files (default: Flows)."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
    .value("at", "TIME", "Render as of this time instead of now."),
    .value("format", "FORMAT", "eml (default) or json."),
  ]

  enum Format: String, CaseIterable {
    case eml, json
  }

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.format(default: Format.eml)
    guard arguments.positionals.count == 1, let step = arguments.positionals.first else {
      throw UsageError(message: "name one send step, as FLOW.STEP")
    }
    let member = try arguments.required("member")
    let database = try RuntimeOptions.existingDatabase(arguments)
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let now = try arguments.value("at").map { try Replay.parseMoment($0, zone: shop.timezone) }
    let project = try RuntimeOptions.loadProject(arguments)
    let composed = try MessagePreview.compose(
      project: project, shop: shop, databasePath: database, step: step, member: member,
      now: now ?? systemNow())
    switch format {
    case .eml:
      terminal.out(String(decoding: composed.bytes, as: UTF8.self))
    case .json:
      let message = composed.message
      let object: [String: Any] = [
        "recipient": composed.recipient, "subject": message.subject,
        "from": message.from.email, "to": message.to.email, "html": message.html,
        "text": message.text ?? NSNull(), "message_id": message.messageID,
      ]
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      terminal.out(String(decoding: data, as: UTF8.self) + "\n")
    }
    return 0
  }
}
