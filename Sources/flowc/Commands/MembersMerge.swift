import FlowIR
import Foundation
import Identity
import MemberStore

/// `flowc members merge A B`: B becomes part of A, whatever the identity rules say.
enum MembersMerge: MembersSubcommand {
  static let name = "merge"
  static let summary = "Merge member B into member A (A stays)."
  static let synopsis = "flowc members merge A B --db DB [--format text|json]"
  static let discussion = """
    A and B are member ids, emails, E.164 phones or store ids. B's identities, events, orders, consent,
    tags and flow instances move to A (of a flow both are in, A's goes on);
    A's profile keeps its values and takes B's where A has none. The merge log
    (flowc members merges) keeps both sides as they were, with reason 'manual'.
    """
  static let options: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    guard arguments.positionals.count == 2 else {
      throw UsageError(message: "expected two members: \(synopsis)")
    }
    let store = try MemberLookup.openStore(arguments)
    var ids: [Int64] = []
    for word in arguments.positionals {
      guard let id = try MemberLookup.memberID(word, in: store) else {
        throw UsageError(message: "no member '\(word)'")
      }
      if let survivor = try store.mergedInto(memberID: id) {
        throw UsageError(message: "member \(id) was already merged into member \(survivor)")
      }
      ids.append(id)
    }
    guard ids[0] != ids[1] else {
      throw UsageError(
        message:
          "'\(arguments.positionals[0])' and '\(arguments.positionals[1])' are the same member")
    }
    // The rules and fields only matter for imports; a manual merge ignores them.
    let resolver = IdentityResolver(
      store: store, rules: IdentityRules(), fields: [], defaultCountry: nil, shopCurrency: "")
    let now = Int64(Date().timeIntervalSince1970)
    let moves = try store.transaction {
      try resolver.mergeMoving(ids[1], into: ids[0], reason: "manual", at: now)
    }
    let counts: KeyValuePairs<String, Int> = [
      "identities": moves.identities, "events": moves.events, "orders": moves.orders,
      "consent_records": moves.consentRecords, "tags": moves.tags,
      "flow_instances": moves.instances, "flow_instances_ended": moves.instancesEnded,
    ]
    switch format {
    case .json:
      terminal.out(
        MemberLookup.json([
          "survivor": ids[0], "merged": ids[1],
          "moved": Dictionary(counts.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
        ]))
    case .text:
      terminal.out("merged member \(ids[1]) into member \(ids[0])\n")
      for (what, count) in counts {
        terminal.out("  \(what.replacingOccurrences(of: "_", with: " ")): \(count)\n")
      }
    }
    return 0
  }
}
