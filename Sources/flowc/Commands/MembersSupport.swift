import Foundation
import MemberStore

/// What the `flowc members` subcommands share: finding a member by email or
/// id, and printing times and JSON.
enum MemberLookup {
  /// The member `word` names: an id, an email (matched as imports match it),
  /// a phone in E.164 (`+15555550103`) or a store id (`shopify:7000000000003`);
  /// nil when none does.
  static func memberID(_ word: String, in store: SQLiteFlowStore) throws -> Int64? {
    let word = word.trimmingCharacters(in: .whitespaces)
    if let id = Int64(word) { return try store.member(id: id) == nil ? nil : id }
    if word.hasPrefix("+") { return try store.memberID(identity: "phone", value: word) }
    if !word.contains("@"), let colon = word.firstIndex(of: ":") {
      return try store.memberID(
        identity: String(word[..<colon]), value: String(word[word.index(after: colon)...]))
    }
    return try store.memberID(identity: "email", value: word.lowercased())
  }

  /// The member store at `--db`, which must exist (these commands never create one).
  static func openStore(_ arguments: Arguments) throws -> SQLiteFlowStore {
    let path = try arguments.required("db")
    guard FileManager.default.fileExists(atPath: path) else {
      throw UsageError(message: "no member store at '\(path)'")
    }
    return try SQLiteFlowStore(path: path)
  }

  static func time(_ seconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }

  static func json(_ object: Any) -> String {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  static func mergeJSON(_ entry: MergeLogEntry) -> [String: Any] {
    let snapshot =
      (try? JSONSerialization.jsonObject(with: Data(entry.snapshot.utf8))) ?? entry.snapshot
    return [
      "survivor": entry.survivor, "merged": entry.merged, "reason": entry.reason,
      "source": entry.source, "at": time(entry.at), "snapshot": snapshot,
    ]
  }

  static func conflictJSON(_ conflict: IdentityConflict) -> [String: Any] {
    [
      "kind": conflict.key.kind, "value": conflict.key.value, "members": conflict.memberIDs,
      "source": conflict.source, "at": time(conflict.at),
    ]
  }

  static func mergeLine(_ entry: MergeLogEntry) -> String {
    "\(time(entry.at))  member \(entry.merged) merged into \(entry.survivor)  "
      + "reason \(entry.reason)  source \(entry.source)"
  }

  static func conflictLine(_ conflict: IdentityConflict) -> String {
    "\(time(conflict.at))  \(conflict.key.kind):\(conflict.key.value) shared by members "
      + "\(conflict.memberIDs.map(String.init).joined(separator: ", ")), kept apart  "
      + "source \(conflict.source)"
  }
}
