import FlowDiagnostics

/// One word of a scenario line: a bare word or a quoted string (unquoted
/// here), with the byte range it covers in the file.
struct Word: Sendable {
  var text: String
  var isQuoted: Bool
  var span: Span
}

/// A non-blank line of a scenario file split into words.
struct WordLine: Sendable {
  var words: [Word]
  var source: SourceLine
  /// An empty span at the end of the line's words, for "expected ..." at the end.
  var end: Span
}

/// Splits a `.flowtest` file into lines of words. Words are separated by
/// blanks; `"..."` is one word (escapes `\"` and `\\`); `#` outside quotes
/// starts a comment.
enum ScenarioWords {
  static func lines(of file: SourceFile, index: Int) -> (lines: [WordLine], problems: [Diagnostic])
  {
    var lines: [WordLine] = []
    var problems: [Diagnostic] = []
    let bytes = file.bytes
    var lineStart = 0
    var lineNumber = 1
    while lineStart <= bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      var words: [Word] = []
      var offset = lineStart
      func span(_ from: Int, _ to: Int) -> Span {
        Span(file: index, start: UInt32(from), end: UInt32(to))
      }
      var broken = false
      scan: while offset < lineEnd {
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
          offset += 1
        case UInt8(ascii: "#"):
          break scan
        case UInt8(ascii: "\""):
          let start = offset
          var text: [UInt8] = []
          offset += 1
          var closed = false
          while offset < lineEnd {
            let next = bytes[offset]
            if next == UInt8(ascii: "\\"), offset + 1 < lineEnd {
              text.append(bytes[offset + 1])
              offset += 2
            } else if next == UInt8(ascii: "\"") {
              offset += 1
              closed = true
              break
            } else {
              text.append(next)
              offset += 1
            }
          }
          guard closed else {
            problems.append(
              Diagnostic(
                .invalidScenario, "unterminated string", at: span(start, lineEnd),
                help: "close it with \" on the same line"))
            broken = true
            break scan
          }
          words.append(
            Word(
              text: String(decoding: text, as: UTF8.self), isQuoted: true, span: span(start, offset)
            ))
        default:
          let start = offset
          while offset < lineEnd,
            ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[offset])
          {
            offset += 1
          }
          words.append(
            Word(
              text: String(decoding: bytes[start..<offset], as: UTF8.self), isQuoted: false,
              span: span(start, offset)))
        }
      }
      // A line with a broken string is reported once, not parsed as well.
      if !broken, let first = words.first, let last = words.last {
        let text = String(
          decoding: bytes[Int(first.span.start)..<Int(last.span.end)], as: UTF8.self)
        let column =
          String(decoding: bytes[lineStart..<Int(first.span.start)], as: UTF8.self).count + 1
        lines.append(
          WordLine(
            words: words,
            source: SourceLine(path: file.path, line: lineNumber, column: column, text: text),
            end: span(Int(last.span.end), Int(last.span.end))))
      }
      lineStart = lineEnd + 1
      lineNumber += 1
    }
    return (lines, problems)
  }
}
