/// One piece of template source: literal text, an output `{{ }}` or a tag `{% %}`.
///
/// Tokens hold byte ranges into the source rather than strings, so lexing allocates only the
/// token array; the parser decodes what it keeps.
struct Token {
  enum Kind { case text, output, tag }
  var kind: Kind
  /// Byte offset of the token's first byte (the `{` of a delimiter): where errors point.
  var start: Int
  /// Text content, expression of an output, or markup after a tag's name.
  var body: Range<Int>
  /// The tag's name (`if`, `endfor`, `#`); empty for text and output.
  var name: String = ""
}

/// Splits template source into tokens and applies whitespace control (`{{-`, `-%}`).
struct Lexer {
  private let bytes: [UInt8]
  private var tokens: [Token] = []
  /// Set by a `-}}` or `-%}`: strip leading whitespace from the next text token.
  private var trimNextText = false

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// Tokenizes the whole source.
  static func tokenize(_ bytes: [UInt8]) throws(Failure) -> [Token] {
    var lexer = Lexer(bytes: bytes)
    try lexer.run()
    return lexer.tokens
  }

  private mutating func run() throws(Failure) {
    var pos = 0
    let n = bytes.count
    while pos < n {
      guard let open = findOpen(from: pos) else {
        addText(pos..<n)
        break
      }
      addText(pos..<open)
      let isOutput = bytes[open + 1] == UInt8(ascii: "{")
      var inner = open + 2
      if inner < n && bytes[inner] == UInt8(ascii: "-") {
        trimPreviousText()
        inner += 1
      }
      let closer = isOutput ? UInt8(ascii: "}") : UInt8(ascii: "%")
      guard let close = find(closer, UInt8(ascii: "}"), from: inner) else {
        throw Failure(
          isOutput
            ? "output '{{' was never closed with '}}'" : "tag '{%' was never closed with '%}'",
          at: open)
      }
      var innerEnd = close
      if innerEnd > inner && bytes[innerEnd - 1] == UInt8(ascii: "-") {
        innerEnd -= 1
        trimNextText = true
      } else {
        trimNextText = false
      }
      pos = close + 2
      if isOutput {
        tokens.append(Token(kind: .output, start: open, body: inner..<innerEnd))
      } else {
        let (name, markup) = Lexer.splitTag(bytes, inner..<innerEnd)
        tokens.append(Token(kind: .tag, start: open, body: markup, name: name))
        if name == "raw" || name == "doc" {
          pos = try lexRawBody(from: pos, tagStart: open, end: "end" + name)
        }
      }
    }
  }

  /// Splits tag markup into its name and the rest. `#` is a name on its own (inline comment).
  static func splitTag(_ bytes: [UInt8], _ range: Range<Int>) -> (String, Range<Int>) {
    var i = range.lowerBound
    while i < range.upperBound && isSpace(bytes[i]) { i += 1 }
    let nameStart = i
    if i < range.upperBound && bytes[i] == UInt8(ascii: "#") {
      i += 1
    } else {
      while i < range.upperBound && isWordByte(bytes[i]) { i += 1 }
    }
    let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
    return (name, i..<range.upperBound)
  }

  /// After `{% raw %}` (or `{% doc %}`), everything up to `{% endraw %}` is text, even if it
  /// looks like Liquid.
  private mutating func lexRawBody(from pos: Int, tagStart: Int, end: String) throws(Failure) -> Int
  {
    var search = pos
    while let open = findOpen(from: search) {
      search = open + 2
      guard bytes[open + 1] == UInt8(ascii: "%") else { continue }
      var inner = open + 2
      let trimsLeft = inner < bytes.count && bytes[inner] == UInt8(ascii: "-")
      if trimsLeft { inner += 1 }
      guard let close = find(UInt8(ascii: "%"), UInt8(ascii: "}"), from: inner) else { break }
      var innerEnd = close
      let trimsRight = innerEnd > inner && bytes[innerEnd - 1] == UInt8(ascii: "-")
      if trimsRight { innerEnd -= 1 }
      let (name, markup) = Lexer.splitTag(bytes, inner..<innerEnd)
      guard name == end, markup.allSatisfy({ Lexer.isSpace(bytes[$0]) }) else { continue }
      // The raw body keeps its own whitespace unless the delimiters ask for trimming.
      addText(pos..<open)
      if trimsLeft { trimPreviousText() }
      tokens.append(Token(kind: .tag, start: open, body: markup, name: name))
      trimNextText = trimsRight
      return close + 2
    }
    throw Failure("'\(end.dropFirst(3))' tag was never closed", at: tagStart)
  }

  private mutating func addText(_ range: Range<Int>) {
    var lower = range.lowerBound
    if trimNextText {
      while lower < range.upperBound && Lexer.isSpace(bytes[lower]) { lower += 1 }
      trimNextText = false
    }
    guard lower < range.upperBound else { return }
    tokens.append(Token(kind: .text, start: lower, body: lower..<range.upperBound))
  }

  private mutating func trimPreviousText() {
    guard let last = tokens.last, last.kind == .text else { return }
    var upper = last.body.upperBound
    while upper > last.body.lowerBound && Lexer.isSpace(bytes[upper - 1]) { upper -= 1 }
    if upper == last.body.lowerBound {
      tokens.removeLast()
    } else {
      tokens[tokens.count - 1].body = last.body.lowerBound..<upper
    }
  }

  /// Offset of the next `{{` or `{%`.
  private func findOpen(from start: Int) -> Int? {
    var i = start
    let n = bytes.count - 1
    while i < n {
      if bytes[i] == UInt8(ascii: "{") {
        let next = bytes[i + 1]
        if next == UInt8(ascii: "{") || next == UInt8(ascii: "%") { return i }
      }
      i += 1
    }
    return nil
  }

  /// Offset of the next two-byte sequence `a b`.
  private func find(_ a: UInt8, _ b: UInt8, from start: Int) -> Int? {
    var i = start
    let n = bytes.count - 1
    while i < n {
      if bytes[i] == a && bytes[i + 1] == b { return i }
      i += 1
    }
    return nil
  }

  static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B
  }

  static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
      || b == 0x5F
  }
}
