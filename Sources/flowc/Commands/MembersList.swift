import FlowDiagnostics
import FlowHost
import Foundation
import MemberStore

/// `flowc members list --segment NAME`: who is in a segment, answered by SQL.
enum MembersList: MembersSubcommand {
  static let name = "list"
  static let summary = "List the members of a segment, or count them."
  static let synopsis =
    "flowc members list --segment NAME --db DB [--flows DIR] [--at TIME] [--count] "
    + "[--timings] [--format text|json]"
  static let discussion = """
    Compiles the segment's condition (segments it uses included) to SQL and
    answers from the store, with exactly the runtime's rules: nulls compare
    false, money only in the same currency, days in each member's zone.
    --at moves the clock of time conditions (before, within, consent) to
    another moment (default: now); order figures are today's. Prints id, email and
    name per member, by id, or with --count only the number.
    """
  static let options: [OptionSpec] = [
    .value("segment", "NAME", "The segment, as declared in the flows."),
    .value("db", "DB", "SQLite member store."),
    .value("flows", "DIR", "Folder of .flow files (default: Flows)."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
    .value("at", "TIME", "The moment to evaluate at (default: now)."),
    .flag("count", "Print only how many members are in the segment."),
    .flag("timings", "Print the time the query took on stderr."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    try arguments.expectNoPositionals()
    let format = try arguments.outputFormat()
    let segment = try arguments.required("segment")
    let database = try RuntimeOptions.existingDatabase(arguments)
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let now = try arguments.value("at").map { try Replay.parseMoment($0, zone: shop.timezone) }
    let project = try RuntimeOptions.loadProject(arguments)
    guard let program = project.program else {
      terminal.err(
        TextRenderer(colored: terminal.colorOnStandardError).render(
          project.diagnostics, files: project.files))
      terminal.err("the flows have errors; no segment was read\n")
      return 2
    }
    let compiler = SegmentSQL(program: program, shop: shop, now: now ?? systemNow())
    let compiled: String?
    do {
      compiled = try compiler.condition(segment: segment)
    } catch let error as SegmentSQL.Unsupported {
      throw HostError("segment '\(segment)' cannot be answered in SQL: \(error.description)")
    }
    guard let condition = compiled else {
      let names = program.segments.map(\.name)
      let hint = Suggestion.closest(to: segment, among: names).map { "; did you mean '\($0)'?" }
      throw UsageError(message: "no segment '\(segment)' in the flows" + (hint ?? ""))
    }
    let store = try SQLiteFlowStore(path: database)
    try store.preferSinglePassReads()
    try compiler.defineFunctions(on: store)
    let started = ContinuousClock.now
    defer {
      if arguments.has("timings") {
        let elapsed = ContinuousClock.now - started
        let seconds =
          Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        terminal.err("timings: query \(String(format: "%.3f", seconds)) s\n")
      }
    }
    if arguments.has("count") {
      let count =
        try compiler.needsAggregates(segment: segment)
        ? store.countMembers(
          where: compiler.aggregatesOnlyCondition(segment: segment) ?? condition,
          aggregatesOnly: true)
        : store.countMembers(where: condition)
      terminal.out(
        format == .json ? try json(["segment": segment, "count": count]) : "\(count)\n")
      return 0
    }
    let members = try store.members(
      where: condition, needsAggregates: compiler.needsAggregates(segment: segment))
    switch format {
    case .text:
      terminal.out(members.map { "\($0.id)\t\($0.email)\t\(displayName($0))\n" }.joined())
    case .json:
      let rows = members.map { member -> [String: Any] in
        ["id": member.id, "email": member.email, "name": displayName(member)]
      }
      terminal.out(
        try json(["segment": segment, "count": members.count, "members": rows]))
    }
    return 0
  }

  private static func displayName(_ member: MemberSummary) -> String {
    [member.firstName, member.lastName].compactMap { $0 }.joined(separator: " ")
  }

  private static func json(_ object: [String: Any]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
