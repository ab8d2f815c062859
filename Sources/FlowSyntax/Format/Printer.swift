/// Lays out a parsed file line by line, threading the source's comments
/// through.
///
/// Every printed line stands for a byte range of the source. Before a line,
/// the comments that come before its range's end are printed on their own
/// lines (a comment inside a one-line construct moves up above it); a comment
/// after the range on the same source line, before the next token, stays at
/// the line's end (aligned with those on the lines right above and below). A
/// blank line is printed where the source had at least one, except at the
/// start or end of a block.
struct Printer {
  /// One output line: code, then maybe a comment after it.
  private struct Line {
    var code: String
    var trailingComment: String?
  }

  let bytes: [UInt8]
  let tokens: [Token]
  let comments: [Range<UInt32>]
  private var nextComment = 0
  private var lines: [Line] = []
  private var indent = 0
  /// Where the source printed so far ends, to find blank lines after it.
  private var printedUpTo: UInt32 = 0
  /// True after a line that opens a block: no blank line may follow it.
  private var atBlockStart = true

  init(bytes: [UInt8], tokens: [Token], comments: [Range<UInt32>]) {
    self.bytes = bytes
    self.tokens = tokens
    self.comments = comments
  }

  /// The printed file: one line feed after each line, none for an empty file.
  /// Trailing comments on adjacent lines start in the same column.
  var text: String {
    var result = ""
    var index = 0
    while index < lines.count {
      var end = index + 1
      if lines[index].trailingComment != nil {
        while end < lines.count, lines[end].trailingComment != nil { end += 1 }
      }
      let width = lines[index..<end].map(\.code.count).max() ?? 0
      for line in lines[index..<end] {
        result += line.code
        if let comment = line.trailingComment {
          result += String(repeating: " ", count: width - line.code.count + 1) + comment
        }
        result += "\n"
      }
      index = end
    }
    return result
  }

  // MARK: Lines

  /// Prints `text` as the line for the source bytes `start..<end`.
  mutating func line(_ text: String, from start: UInt32, to end: UInt32) {
    printComments(before: end)
    separate(from: start)
    let code = String(repeating: "  ", count: indent) + text
    lines.append(Line(code: code, trailingComment: trailingComment(after: end)))
    printedUpTo = max(printedUpTo, end)
  }

  /// Prints the line that opens a block and indents what follows.
  mutating func openingLine(_ text: String, from start: UInt32, to end: UInt32) {
    line(text, from: start, to: end)
    indent += 1
    atBlockStart = true
  }

  /// Ends a block at its `}`: comments before the line's end stay inside the
  /// block. `continuation` (` else {`, ` 30% {`) opens the next block on the
  /// same line, up to the source offset `end`.
  mutating func closingLine(at brace: Token, continuation: String = "", to end: UInt32? = nil) {
    // Comments inside `} else if C {` move up too, and stay inside the block
    // above, where they come out on a second run.
    printComments(before: end ?? brace.end)
    indent -= 1
    atBlockStart = true  // no blank line before a `}`
    if continuation.isEmpty {
      line("}", from: brace.start, to: brace.end)
    } else {
      openingLine("}" + continuation, from: brace.start, to: end ?? brace.end)
    }
  }

  /// Prints the comments left at the end of the file.
  mutating func finish() {
    printComments(before: .max)
  }

  /// Prints a blank line when the source had one before `start`.
  private mutating func separate(from start: UInt32) {
    if !atBlockStart, start > printedUpTo, hasBlankLine(printedUpTo, start) {
      lines.append(Line(code: ""))
    }
    atBlockStart = false
  }

  /// True when the source between the two offsets has two line breaks with
  /// only whitespace between them.
  func hasBlankLine(_ from: UInt32, _ to: UInt32) -> Bool {
    var sawLineBreak = false
    for byte in bytes[Int(from)..<Int(to)] {
      switch byte {
      case 0x0A:
        if sawLineBreak { return true }
        sawLineBreak = true
      case 0x20, 0x09, 0x0D: continue
      default: sawLineBreak = false
      }
    }
    return false
  }

  // MARK: Comments

  private mutating func printComments(before offset: UInt32) {
    while nextComment < comments.count, comments[nextComment].lowerBound < offset {
      let comment = comments[nextComment]
      nextComment += 1
      separate(from: comment.lowerBound)
      lines.append(Line(code: String(repeating: "  ", count: indent) + commentText(comment)))
      printedUpTo = max(printedUpTo, comment.upperBound)
    }
  }

  /// The comment that follows `end` on the same source line with no
  /// token before it; that comment is then used up.
  private mutating func trailingComment(after end: UInt32) -> String? {
    guard nextComment < comments.count else { return nil }
    let comment = comments[nextComment]
    guard comment.lowerBound >= end, comment.lowerBound < tokens[tokenIndex(atOrAfter: end)].start,
      !bytes[Int(end)..<Int(comment.lowerBound)].contains(0x0A)
    else { return nil }
    nextComment += 1
    printedUpTo = comment.upperBound
    return commentText(comment)
  }

  /// The comment as written, without trailing whitespace (or a CR).
  private func commentText(_ range: Range<UInt32>) -> String {
    var end = Int(range.upperBound)
    while end > Int(range.lowerBound), [0x20, 0x09, 0x0D].contains(bytes[end - 1]) { end -= 1 }
    return String(decoding: bytes[Int(range.lowerBound)..<end], as: UTF8.self)
  }

  // MARK: Tokens

  /// The index of the first token starting at or after `offset` (the
  /// end-of-file token when there is none).
  func tokenIndex(atOrAfter offset: UInt32) -> Int {
    var low = 0
    var high = tokens.count - 1
    while low < high {
      let middle = (low + high) / 2
      if tokens[middle].start < offset { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The first token starting at or after `offset`.
  func token(atOrAfter offset: UInt32) -> Token { tokens[tokenIndex(atOrAfter: offset)] }

  /// The source text of `start..<end`.
  func source(_ start: UInt32, _ end: UInt32) -> String {
    String(decoding: bytes[Int(start)..<Int(end)], as: UTF8.self)
  }
}
