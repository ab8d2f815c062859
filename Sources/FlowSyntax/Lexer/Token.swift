import FlowDiagnostics

/// The kinds of tokens. Words are one kind; whether a word is a keyword is
/// recorded beside it, because keywords are contextual after `.` and in
/// event field names.
package enum TokenKind: UInt8, Sendable {
  case word
  /// `3`, `2.5`
  case number
  /// `15m`, `36h`, `3d`, `2w`
  case duration
  /// `09:00`
  case time
  /// `2024-02-29`
  case date
  /// `50%`
  case percent
  /// `"..."` (possibly unterminated; the lexer reported that)
  case string
  case leftBrace, rightBrace, leftParen, rightParen
  case less, greater, lessEqual, greaterEqual, equalEqual, notEqual, equal
  case colon, comma, dot, question, minus
  case endOfFile
}

/// One token: a kind and a byte range; text is read from the source on demand
/// so lexing allocates nothing per token.
package struct Token: Sendable, Hashable {
  package var kind: TokenKind
  /// The keyword a word spells, if any (`.none` for plain identifiers).
  package var keyword: Keyword
  package var start: UInt32
  package var end: UInt32

  package init(kind: TokenKind, keyword: Keyword = .none, start: UInt32, end: UInt32) {
    self.kind = kind
    self.keyword = keyword
    self.start = start
    self.end = end
  }
}
