/// Words with a meaning in the grammar. They are reserved as declaration and
/// segment names, but allowed after `.` (`trigger.flow`) and as event fields.
package enum Keyword: UInt8, Sendable, CaseIterable {
  case none
  case field, event, segment, tag, flow, when
  case trigger, on, at, local, enters, only, `if`, `else`, reentry, never, after
  case exit, `where`, quiet, hours
  case send, template, subject, wait, `for`, until, split, limit
  case or, and, not, before, ago, within, has, `true`, `false`, member
  case merge, match, identity

  /// The keyword as written ("" for `.none`).
  package var spelling: String { Self.spellings[Int(rawValue)] }

  private static let spellings: [String] = allCases.map {
    $0 == .none ? "" : String(describing: $0)
  }

  /// Keywords bucketed by length, so matching a word compares a handful of
  /// byte arrays instead of building a String.
  private static let byLength: [[(bytes: [UInt8], keyword: Keyword)]] = {
    var table = [[(bytes: [UInt8], keyword: Keyword)]](repeating: [], count: 9)
    for keyword in allCases where keyword != .none {
      table[keyword.spelling.utf8.count].append((Array(keyword.spelling.utf8), keyword))
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

/// A set of keywords as a bit mask: membership is one AND, which matters in
/// the parser's hot loops (a `Set<Keyword>` would hash on every token).
package struct KeywordSet: Sendable {
  private var bits: UInt64 = 0

  package init(_ keywords: [Keyword]) {
    for keyword in keywords { bits |= 1 << UInt64(keyword.rawValue) }
  }

  package func contains(_ keyword: Keyword) -> Bool { bits & (1 << UInt64(keyword.rawValue)) != 0 }

  package func union(_ other: KeywordSet) -> KeywordSet {
    var result = self
    result.bits |= other.bits
    return result
  }
}
