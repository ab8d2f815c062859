import Foundation
import MemberStore

/// `flowc members merges`: the merge log and the conflicts the rules kept apart.
enum MembersMerges: MembersSubcommand {
  static let name = "merges"
  static let summary = "Print the merge log and identity conflicts."
  static let synopsis = "flowc members merges --db DB [--format text|json]"
  static let discussion = """
    Each merge names the survivor, the merged member, the shared key (or
    'manual') and the source; --format json adds both sides as they were.
    A conflict is a key (a shared browser, a family phone) naming members
    with different emails, which were not merged.
    """
  static let options: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    try arguments.expectNoPositionals()
    let store = try MemberLookup.openStore(arguments)
    let merges = try store.merges()
    let conflicts = try store.conflicts()
    switch format {
    case .json:
      terminal.out(
        MemberLookup.json([
          "merges": merges.map(MemberLookup.mergeJSON),
          "conflicts": conflicts.map(MemberLookup.conflictJSON),
        ]))
    case .text:
      terminal.out("merges: \(merges.count)\n")
      for entry in merges { terminal.out("  " + MemberLookup.mergeLine(entry) + "\n") }
      terminal.out("conflicts: \(conflicts.count)\n")
      for conflict in conflicts { terminal.out("  " + MemberLookup.conflictLine(conflict) + "\n") }
    }
    return 0
  }
}
