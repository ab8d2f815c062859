/// Words with a meaning in the grammar. They are reserved as declaration and
/// segment names, but allowed after `.` (`trigger.flow`) and as event fields.
package enum Keyword: String, Sendable, CaseIterable {
  case none = ""
  case field, event, segment, tag, flow, when
  case trigger, on, at, local, enters, only, `if`, `else`, reentry, never, after
  case exit, `where`, quiet, hours
  case send, template, subject, wait, `for`, until, split
  case or, and, not, before, ago, within, has, `true`, `false`, member

  /// Keywords bucketed by length, so matching a word compares a handful of
  /// byte arrays instead of building a String.
  private static let byLength: [[(bytes: [UInt8], keyword: Keyword)]] = {
    var table = [[(bytes: [UInt8], keyword: Keyword)]](repeating: [], count: 9)
    for keyword in allCases where keyword != .none {
      table[keyword.rawValue.utf8.count].append((Array(keyword.rawValue.utf8), keyword))
    }
    return table
  }()

  /// The keyword spelled by `bytes[start..<end]`, or `.none`.
  static func match(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
    let length = end - start
    guard length < byLength.count else { return .none }
    candidates: for (spelling, keyword) in byLength[length] {
      for i in 0..<length where spelling[i] != bytes[start + i] { continue candidates }
      return keyword
    }
    return .none
  }
}
