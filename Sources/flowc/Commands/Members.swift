/// One `flowc members` subcommand; its `name` is the word after `members`.
protocol MembersSubcommand: Command {}

/// `flowc members SUBCOMMAND`: look at and fix the member base.
enum Members: Command {
  /// Every subcommand, in the order help lists them.
  static let subcommands: [any MembersSubcommand.Type] = [
    MembersShow.self, MembersList.self, MembersMerge.self, MembersMerges.self,
  ]

  static let name = "members"
  static let summary = "Show, list and merge members."
  static var synopsis: String {
    "flowc members \(subcommands.map { $0.name }.joined(separator: "|")) ..."
  }
  static var discussion: String {
    let width = subcommands.map { $0.name.count }.max() ?? 0
    let lines = subcommands.map {
      "  " + $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.summary
    }
    return "subcommands:\n" + lines.joined(separator: "\n")
      + "\nRun 'flowc members SUBCOMMAND --help' for its options."
  }
  static let options: [OptionSpec] = []

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    throw UsageError(message: "expected a subcommand: \(synopsis)")
  }
}
