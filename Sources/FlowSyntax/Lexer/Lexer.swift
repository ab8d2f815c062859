import FlowDiagnostics

/// Splits a file's bytes into tokens.
///
/// Works on raw bytes (never decodes UTF-8), never fails and always makes
/// progress: a byte that cannot start a token is reported once per run and
/// skipped. Whitespace is dropped; comments too, unless the caller (the
/// formatter) asks for their ranges, which then come beside the tokens so the
/// parser never sees them.
package enum Lexer {
  /// Tokenizes `bytes`; the result always ends with an `.endOfFile` token.
  package static func tokenize(_ bytes: [UInt8], file: Int) -> (
    tokens: [Token], problems: [SyntaxProblem]
  ) {
    let lexed = lex(bytes, file: file, keepingComments: false)
    return (lexed.tokens, lexed.problems)
  }

  /// Like `tokenize`, plus the byte range of each `//` comment (without its
  /// line break), in source order.
  package static func tokenizeKeepingComments(_ bytes: [UInt8], file: Int) -> (
    tokens: [Token], problems: [SyntaxProblem], comments: [Range<UInt32>]
  ) {
    lex(bytes, file: file, keepingComments: true)
  }

  private static func lex(_ bytes: [UInt8], file: Int, keepingComments: Bool) -> (
    tokens: [Token], problems: [SyntaxProblem], comments: [Range<UInt32>]
  ) {
    var tokens: [Token] = []
    tokens.reserveCapacity(bytes.count / 4 + 1)
    var problems: [SyntaxProblem] = []
    var comments: [Range<UInt32>] = []
    bytes.withUnsafeBufferPointer { buffer in
      var state = State(buffer: buffer, file: file, keepingComments: keepingComments)
      state.run(into: &tokens, problems: &problems)
      comments = state.comments
    }
    return (tokens, problems, comments)
  }

  private struct State {
    let buffer: UnsafeBufferPointer<UInt8>
    let file: Int
    let keepingComments: Bool
    var comments: [Range<UInt32>] = []
    var pos = 0

    init(buffer: UnsafeBufferPointer<UInt8>, file: Int, keepingComments: Bool) {
      self.buffer = buffer
      self.file = file
      self.keepingComments = keepingComments
      // Editors on Windows may start a UTF-8 file with a byte-order mark.
      if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
        pos = 3
      }
    }

    func byte(_ at: Int) -> UInt8 { at < buffer.count ? buffer[at] : 0 }
    func span(_ start: Int, _ end: Int) -> Span {
      Span(
        file: file, start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end))
    }

    mutating func run(into tokens: inout [Token], problems: inout [SyntaxProblem]) {
      let count = buffer.count
      while pos < count {
        let start = pos
        let c = buffer[pos]
        var kind: TokenKind
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D:
          pos += 1
          continue
        case UInt8(ascii: "/") where byte(pos + 1) == UInt8(ascii: "/"):
          while pos < count, buffer[pos] != 0x0A { pos += 1 }
          if keepingComments {
            comments.append(UInt32(truncatingIfNeeded: start)..<UInt32(truncatingIfNeeded: pos))
          }
          continue
        case _ where isIdentStart(c):
          pos += 1
          while pos < count, isIdentContinue(buffer[pos]) { pos += 1 }
          tokens.append(
            Token(
              kind: .word, keyword: Keyword.match(buffer, start, pos),
              start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: pos)))
          continue
        case _ where isDigit(c):
          kind = lexNumber(&problems)
        case UInt8(ascii: "\""):
          lexString(&problems)
          kind = .string
        case UInt8(ascii: "{"): kind = .leftBrace; pos += 1
        case UInt8(ascii: "}"): kind = .rightBrace; pos += 1
        case UInt8(ascii: "("): kind = .leftParen; pos += 1
        case UInt8(ascii: ")"): kind = .rightParen; pos += 1
        case UInt8(ascii: ":"): kind = .colon; pos += 1
        case UInt8(ascii: ","): kind = .comma; pos += 1
        case UInt8(ascii: "."): kind = .dot; pos += 1
        case UInt8(ascii: "?"): kind = .question; pos += 1
        case UInt8(ascii: "-"): kind = .minus; pos += 1
        case UInt8(ascii: "<"):
          if byte(pos + 1) == UInt8(ascii: "=") {
            kind = .lessEqual; pos += 2
          } else {
            kind = .less; pos += 1
          }
        case UInt8(ascii: ">"):
          if byte(pos + 1) == UInt8(ascii: "=") {
            kind = .greaterEqual; pos += 2
          } else {
            kind = .greater; pos += 1
          }
        case UInt8(ascii: "="):
          if byte(pos + 1) == UInt8(ascii: "=") {
            kind = .equalEqual; pos += 2
          } else {
            kind = .equal; pos += 1
          }
        case UInt8(ascii: "!") where byte(pos + 1) == UInt8(ascii: "="):
          kind = .notEqual
          pos += 2
        default:
          // One report per run of junk (binary data would otherwise flood).
          pos += 1
          while pos < count, !startsToken(buffer[pos]) { pos += 1 }
          problems.append(.unexpectedCharacter(byte: c, span(start, pos)))
          continue
        }
        tokens.append(
          Token(
            kind: kind, start: UInt32(truncatingIfNeeded: start),
            end: UInt32(truncatingIfNeeded: pos)))
      }
      let end = UInt32(truncatingIfNeeded: count)
      tokens.append(Token(kind: .endOfFile, start: end, end: end))
    }

    /// Numbers, durations (`3d`), times (`09:00`), dates (`2024-02-29`) and
    /// percentages (`50%`) all start with a digit; the bytes after the
    /// leading digits decide which one this is.
    mutating func lexNumber(_ problems: inout [SyntaxProblem]) -> TokenKind {
      let start = pos
      skipDigits()
      let integerDigits = pos - start
      if byte(pos) == UInt8(ascii: ":"), isDigit(byte(pos + 1)) {
        pos += 1
        let minuteStart = pos
        skipDigits()
        if integerDigits > 2 || pos - minuteStart != 2 || isIdentContinue(byte(pos)) {
          while isIdentContinue(byte(pos)) { pos += 1 }
          problems.append(.malformedTime(span(start, pos)))
        }
        return .time
      }
      if integerDigits == 4, byte(pos) == UInt8(ascii: "-"), isDigit(byte(pos + 1)) {
        pos += 1
        skipDigits()
        var wellFormed =
          pos - start == 7 && byte(pos) == UInt8(ascii: "-") && isDigit(byte(pos + 1))
        if wellFormed {
          pos += 1
          skipDigits()
          wellFormed = pos - start == 10
        }
        if !wellFormed || isIdentContinue(byte(pos)) {
          while isIdentContinue(byte(pos)) || byte(pos) == UInt8(ascii: "-") { pos += 1 }
          problems.append(.malformedNumber(.badDate, span(start, pos)))
        }
        return .date
      }
      var isDecimal = false
      if byte(pos) == UInt8(ascii: "."), isDigit(byte(pos + 1)) {
        isDecimal = true
        pos += 1
        skipDigits()
        if byte(pos) == UInt8(ascii: "."), isDigit(byte(pos + 1)) {
          while byte(pos) == UInt8(ascii: ".") || isDigit(byte(pos)) { pos += 1 }
          problems.append(.malformedNumber(.extraDot, span(start, pos)))
          return .number
        }
      }
      if byte(pos) == UInt8(ascii: "%") {
        pos += 1
        if isDecimal { problems.append(.malformedNumber(.fractionalPercent, span(start, pos))) }
        return .percent
      }
      if isIdentStart(byte(pos)) {
        let unit = byte(pos)
        let isUnit = "mhdw".utf8.contains(unit)
        pos += 1
        if isUnit, !isDecimal, !isIdentContinue(byte(pos)) { return .duration }
        while isIdentContinue(byte(pos)) { pos += 1 }
        problems.append(.malformedDuration(span(start, pos)))
        return .duration
      }
      return .number
    }

    /// A double-quoted string on one line. Escapes are validated here so the
    /// parser can decode without reporting.
    mutating func lexString(_ problems: inout [SyntaxProblem]) {
      let start = pos
      pos += 1
      while pos < buffer.count {
        let c = buffer[pos]
        if c == UInt8(ascii: "\"") {
          pos += 1
          return
        }
        if c == 0x0A || c == 0x0D { break }
        if c == UInt8(ascii: "\\") {
          let escapeStart = pos
          pos += 1
          switch byte(pos) {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "t"):
            pos += 1
          case UInt8(ascii: "u") where byte(pos + 1) == UInt8(ascii: "{"):
            pos += 2
            var value: UInt32 = 0
            var digits = 0
            while let digit = hexValue(byte(pos)), digits < 9 {
              value = value &* 16 &+ digit
              digits += 1
              pos += 1
            }
            if byte(pos) == UInt8(ascii: "}"), digits > 0, digits <= 6, Unicode.Scalar(value) != nil
            {
              pos += 1
            } else {
              problems.append(.invalidEscape(span(escapeStart, pos)))
            }
          default:
            if pos < buffer.count, buffer[pos] != 0x0A { pos += 1 }
            problems.append(.invalidEscape(span(escapeStart, pos)))
          }
          continue
        }
        pos += 1
      }
      problems.append(.unterminatedString(span(start, pos)))
    }

    mutating func skipDigits() {
      while isDigit(byte(pos)) { pos += 1 }
    }
  }
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
@inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
  (c | 0x20) &- 97 < 26 || c == UInt8(ascii: "_")
}
@inline(__always) func isIdentContinue(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
@inline(__always) func hexValue(_ c: UInt8) -> UInt32? {
  if isDigit(c) { return UInt32(c - 48) }
  let lower = c | 0x20
  if lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "f") { return UInt32(lower - 87) }
  return nil
}

/// Bytes that can begin a token or separate tokens; a junk run stops here.
private func startsToken(_ c: UInt8) -> Bool {
  if isIdentContinue(c) { return true }
  switch c {
  case 0x20, 0x09, 0x0A, 0x0D: return true
  // A literal byte list, not a string search: this runs once per junk byte.
  case UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"),
    UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ":"), UInt8(ascii: ","),
    UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "-"), UInt8(ascii: "<"),
    UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"):
    return true
  default: return false
  }
}
