import FlowDiagnostics

/// Parses one file into a `FileSyntax`, never throwing and never stopping early.
///
/// The parser is recursive descent over the lexer's tokens. On an error it
/// records a `SyntaxProblem`, then skips to a point it understands (a
/// declaration keyword, a step or clause keyword, or a closing `}`) and goes on,
/// so one run reports many problems. Every loop checks that it consumed a
/// token; nesting is capped so hostile input cannot exhaust the stack.
package struct Parser {
  /// Deepest nesting of parentheses, `not`s and step blocks accepted.
  package static let maxDepth = 64
  /// Most `and`/`or` operators in one top-level expression.
  package static let maxOperators = 500
  /// After this many problems in one file, further ones are dropped.
  package static let maxProblems = 100

  let bytes: [UInt8]
  let file: Int
  var tokens: [Token]
  var index = 0
  var depth = 0
  /// `and`/`or` operators seen in the current top-level expression.
  var operatorCount = 0
  var problems: [SyntaxProblem] = []
  /// Problems seen, including those dropped past `maxProblems`.
  var problemCount = 0
  /// Token index of the last `expected` report, to avoid a cascade at one spot.
  private var lastErrorIndex = -1

  /// Parses `source`, the file at `index` in the program's file list.
  package static func parse(_ source: SourceFile, file: Int) -> (FileSyntax, [Diagnostic]) {
    let (syntax, problems) = parseProblems(source.bytes, file: file)
    return (syntax, problems.map(\.diagnostic))
  }

  /// Like `parse`, but returns the problems as data (for tests).
  package static func parseProblems(_ bytes: [UInt8], file: Int) -> (FileSyntax, [SyntaxProblem]) {
    let (tokens, lexProblems) = Lexer.tokenize(bytes, file: file)
    return parseProblems(bytes, file: file, tokens: tokens, lexProblems: lexProblems)
  }

  /// Parses tokens already lexed from `bytes` (the formatter lexes with comments).
  static func parseProblems(
    _ bytes: [UInt8], file: Int, tokens: [Token], lexProblems: [SyntaxProblem]
  ) -> (FileSyntax, [SyntaxProblem]) {
    var parser = Parser(bytes: bytes, file: file, tokens: tokens)
    parser.problems = Array(lexProblems.prefix(maxProblems))
    let decls = parser.parseDeclarations()
    let all = parser.problems.sorted { $0.span.start < $1.span.start }
    return (FileSyntax(file: file, decls: decls), all)
  }

  init(bytes: [UInt8], file: Int, tokens: [Token]) {
    self.bytes = bytes
    self.file = file
    self.tokens = tokens
  }

  // MARK: Token access

  var current: Token { tokens[index] }
  var atEnd: Bool { current.kind == .endOfFile }

  func peek(_ offset: Int = 1) -> Token {
    tokens[min(index + offset, tokens.count - 1)]
  }

  func at(_ kind: TokenKind) -> Bool { current.kind == kind }
  func at(_ keyword: Keyword) -> Bool { current.kind == .word && current.keyword == keyword }

  @discardableResult
  mutating func advance() -> Token {
    let token = current
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  func span(_ token: Token) -> Span { Span(file: file, start: token.start, end: token.end) }
  func span(from start: Token) -> Span {
    let previous = index > 0 ? tokens[index - 1] : start
    return Span(file: file, start: start.start, end: max(start.end, previous.end))
  }
  func text(_ token: Token) -> String {
    String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
  }

  // MARK: Problems

  mutating func report(_ problem: SyntaxProblem) {
    problemCount += 1
    if problems.count < Self.maxProblems { problems.append(problem) }
  }

  /// Reports "expected X, found <current token>", once per token position.
  mutating func expected(_ what: String) {
    guard lastErrorIndex != index else { return }
    lastErrorIndex = index
    report(.expected(what, found: describe(current), span(current)))
  }

  /// Consumes a token of `kind`, or reports and consumes nothing.
  @discardableResult
  mutating func expect(_ kind: TokenKind, _ what: String) -> Token? {
    if at(kind) { return advance() }
    expected(what)
    return nil
  }

  /// Consumes `keyword`, or reports and consumes nothing.
  @discardableResult
  mutating func expect(_ keyword: Keyword) -> Bool {
    if at(keyword) {
      advance()
      return true
    }
    expected("'\(keyword.spelling)'")
    return false
  }

  /// A user-facing description of a token for "found ..." messages.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .endOfFile: return "end of file"
    case .string: return "a string"
    case .word, .number, .duration, .time, .date, .percent:
      let raw = text(token)
      let shown = raw.count > 24 ? String(raw.prefix(24)) + "…" : raw
      return "'\(shown)'"
    default: return "'\(text(token))'"
    }
  }

  /// A declaration or step name: a word that is not a keyword.
  mutating func expectName(_ what: String) -> Name? {
    if at(.word), current.keyword == .none {
      let token = advance()
      return Name(text: text(token), span: span(token))
    }
    expected(what)
    return nil
  }

  /// True when the current token is the plain word `word` (a contextual
  /// keyword such as `up` in `up to 2d`, kept out of the reserved words).
  func atWord(_ word: String) -> Bool {
    at(.word) && current.keyword == .none && current.end - current.start == word.utf8.count
      && text(current) == word
  }

  /// Consumes the contextual word `word`, or reports and consumes nothing.
  @discardableResult
  mutating func expectWord(_ word: String) -> Bool {
    if atWord(word) {
      advance()
      return true
    }
    expected("'\(word)'")
    return false
  }

  // MARK: Recovery

  /// Skips tokens until one of `stops` at brace depth 0, a `}` that closes the
  /// enclosing block, or a `flow` keyword (which always starts a declaration).
  /// Braces are skipped in pairs so a broken step's block is jumped over.
  mutating func recover(to stops: KeywordSet) {
    var braces = 0
    while !atEnd {
      let token = current
      if token.kind == .word, !afterDot {
        if braces == 0, stops.contains(token.keyword) { return }
        if token.keyword == .flow { return }
      }
      switch token.kind {
      case .leftBrace: braces += 1
      case .rightBrace:
        if braces == 0 { return }
        braces -= 1
      default: break
      }
      advance()
    }
  }

  /// True when the previous token is `.` (so the current word is a field name).
  var afterDot: Bool { index > 0 && tokens[index - 1].kind == .dot }

  /// Enters one level of nesting; false (after reporting once) past the cap.
  mutating func enterNesting() -> Bool {
    depth += 1
    if depth == Self.maxDepth + 1 { report(.nestingTooDeep(limit: Self.maxDepth, span(current))) }
    return depth <= Self.maxDepth
  }

  mutating func leaveNesting() { depth -= 1 }

  static let declarationKeywords = KeywordSet([
    .field, .event, .segment, .tag, .flow, .limit, .merge, .match, .identity,
  ])
  /// Where top-level recovery stops: `never` may start `never merge on ...`.
  static let topLevelStops = declarationKeywords.union(KeywordSet([.never]))
}

extension SyntaxProblem {
  /// The primary span of the problem.
  package var span: Span {
    switch self {
    case .unexpectedCharacter(_, let s), .unterminatedString(let s), .malformedNumber(_, let s),
      .malformedDuration(let s), .malformedTime(let s), .invalidEscape(let s),
      .expected(_, _, let s), .nestingTooDeep(_, let s), .expressionTooLong(_, let s),
      .missingSendProperty(_, _, let s), .duplicateSendProperty(_, let s, _):
      return s
    }
  }
}
