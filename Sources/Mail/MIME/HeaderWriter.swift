// Writes header fields: folding at whitespace so lines stay within 78
// columns where possible (never over 998), RFC 2047 encoded-words for
// non-ASCII text, and quoting for display names.

/// Appends header fields to a message buffer, tracking the current column.
struct HeaderWriter {
  /// RFC 5322's recommended line length, excluding CRLF.
  static let foldColumn = 78
  /// RFC 5322's hard line length, excluding CRLF.
  static let hardLimit = 998
  /// RFC 2047's longest encoded-word.
  static let maxEncodedWord = 75
  /// Words longer than this cannot be folded, so they are encoded (and split).
  static let longestPlainWord = 900

  var out: [UInt8]
  private var column = 0
  /// Atoms written on the current line; folding never leaves a line empty.
  private var atomsOnLine = 0

  init(capacity: Int) {
    out = []
    out.reserveCapacity(capacity)
  }

  // MARK: Fields

  /// Starts a field: writes `Name:`.
  mutating func begin(_ name: StaticString) {
    out.append(ascii: name)
    out.append(UInt8(ascii: ":"))
    column = name.utf8CodeUnitCount + 1
    atomsOnLine = 0
  }

  /// Starts a field with a caller-supplied name (already sanitised).
  mutating func begin(name: [UInt8]) {
    out.append(contentsOf: name)
    out.append(UInt8(ascii: ":"))
    column = name.count + 1
    atomsOnLine = 0
  }

  /// Ends the current field.
  mutating func end() {
    out.appendCRLF()
    column = 0
  }

  // MARK: Atoms

  /// Appends `separator` (whitespace) then `atom`, folding before the
  /// separator when the atom would overflow the line. Folding replaces no
  /// character: the CRLF is inserted before existing whitespace, so
  /// unfolding restores the value exactly.
  mutating func append<Atom: Collection>(atom: Atom, separator: UnsafeBufferPointer<UInt8>)
  where Atom.Element == UInt8 {
    let width = separator.count + atom.count
    if column + width > Self.foldColumn && atomsOnLine > 0 && !separator.isEmpty {
      out.appendCRLF()
      column = 0
      atomsOnLine = 0
    }
    out.append(contentsOf: separator)
    column += separator.count
    if column + atom.count <= Self.hardLimit {
      out.append(contentsOf: atom)
      column += atom.count
    } else {
      // Only absurd input (a 1000-character URL) gets here. Break the atom
      // with CRLF SP rather than write an illegal line.
      for byte in atom {
        if column == Self.hardLimit {
          out.appendCRLF()
          out.append(ASCII.space)
          column = 1
        }
        out.append(byte)
        column += 1
      }
    }
    atomsOnLine += 1
  }

  /// Appends an atom after a single space.
  mutating func append<Atom: Collection>(atom: Atom) where Atom.Element == UInt8 {
    withUnsafeSpace { append(atom: atom, separator: $0) }
  }

  /// Appends an ASCII literal after a single space.
  mutating func append(literal: StaticString) {
    literal.withUTF8Buffer { bytes in withUnsafeSpace { append(atom: bytes, separator: $0) } }
  }

  private func withUnsafeSpace<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    withUnsafeBytes(of: ASCII.space) { body($0.bindMemory(to: UInt8.self)) }
  }

  // MARK: Unstructured text (Subject, extra headers)

  /// Appends free text: ASCII words as they are, runs of words that need
  /// encoding (non-ASCII, `=?`, overlong) as encoded-words. Whitespace
  /// between plain words is kept; whitespace inside an encoded run is
  /// encoded, since decoders drop whitespace between adjacent encoded-words.
  mutating func append(unstructured text: [UInt8]) {
    text.withUnsafeBufferPointer { bytes in
      let chunks = Self.chunks(of: bytes)
      var index = 0
      while index < chunks.count {
        let chunk = chunks[index]
        let separator =
          chunk.blankStart == chunk.wordStart
          ? nil : UnsafeBufferPointer(rebasing: bytes[chunk.blankStart..<chunk.wordStart])
        guard Self.needsEncoding(UnsafeBufferPointer(rebasing: bytes[chunk.wordStart..<chunk.end]))
        else {
          if let separator {
            append(atom: bytes[chunk.wordStart..<chunk.end], separator: separator)
          } else {
            append(atom: bytes[chunk.wordStart..<chunk.end])
          }
          index += 1
          continue
        }
        var last = index
        while last + 1 < chunks.count {
          let next = chunks[last + 1]
          if !Self.needsEncoding(UnsafeBufferPointer(rebasing: bytes[next.wordStart..<next.end])) {
            break
          }
          last += 1
        }
        let run = UnsafeBufferPointer(rebasing: bytes[chunk.wordStart..<chunks[last].end])
        appendEncodedWords(run, firstSeparator: separator, phrase: false)
        index = last + 1
      }
    }
  }

  /// A word and the whitespace before it, as offsets into the value.
  struct Chunk {
    var blankStart: Int
    var wordStart: Int
    var end: Int
  }

  /// Splits text into (whitespace, word) chunks, dropping leading and
  /// trailing whitespace.
  static func chunks(of bytes: UnsafeBufferPointer<UInt8>) -> [Chunk] {
    var result: [Chunk] = []
    var index = 0
    let count = bytes.count
    while index < count && ASCII.isBlank(bytes[index]) { index += 1 }
    while index < count {
      let blankStart = index
      while index < count && ASCII.isBlank(bytes[index]) { index += 1 }
      if index == count { break }
      let wordStart = index
      while index < count && !ASCII.isBlank(bytes[index]) { index += 1 }
      result.append(Chunk(blankStart: blankStart, wordStart: wordStart, end: index))
    }
    return result
  }

  /// True when a word cannot be written as it is: non-ASCII, something a
  /// decoder would take for an encoded-word, or too long to fold.
  static func needsEncoding(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    if word.count > longestPlainWord { return true }
    var previous: UInt8 = 0
    for byte in word {
      if byte >= 0x80 || (previous == ASCII.equals && byte == ASCII.question) { return true }
      previous = byte
    }
    return false
  }

  // MARK: Mailboxes

  /// Appends `name <email>` (or a bare address when there is no name),
  /// quoting or encoding the name as needed.
  mutating func append(address: MailAddress) {
    let email = Sanitize.addrSpec(address.email)
    let name = Sanitize.text(address.displayName ?? "")
    let hasName = name.withUnsafeBufferPointer { bytes -> Bool in
      let chunks = Self.chunks(of: bytes)
      guard let first = chunks.first, let last = chunks.last else { return false }
      let trimmed = UnsafeBufferPointer(rebasing: bytes[first.wordStart..<last.end])
      if chunks.contains(where: {
        Self.needsEncoding(UnsafeBufferPointer(rebasing: bytes[$0.wordStart..<$0.end]))
      }) {
        appendEncodedWords(trimmed, firstSeparator: nil, phrase: true)
      } else if trimmed.allSatisfy({ ASCII.isAtext($0) || $0 == ASCII.space }) {
        for chunk in chunks { append(atom: bytes[chunk.wordStart..<chunk.end]) }
      } else {
        appendQuoted(trimmed)
      }
      return true
    }
    guard hasName else {
      append(atom: email)
      return
    }
    var bracketed: [UInt8] = [ASCII.lessThan]
    bracketed.reserveCapacity(email.count + 2)
    bracketed.append(contentsOf: email)
    bracketed.append(ASCII.greaterThan)
    append(atom: bracketed)
  }

  /// Appends a quoted-string, escaping `"` and `\`, foldable at its spaces.
  private mutating func appendQuoted(_ name: UnsafeBufferPointer<UInt8>) {
    var quoted: [UInt8] = [ASCII.quote]
    quoted.reserveCapacity(name.count + 4)
    for byte in name {
      if byte == ASCII.quote || byte == ASCII.backslash { quoted.append(ASCII.backslash) }
      quoted.append(byte)
    }
    quoted.append(ASCII.quote)
    quoted.withUnsafeBufferPointer { bytes in
      for (offset, chunk) in Self.chunks(of: bytes).enumerated() {
        let word = bytes[chunk.wordStart..<chunk.end]
        if offset == 0 {
          append(atom: word)
        } else {
          append(
            atom: word,
            separator: UnsafeBufferPointer(rebasing: bytes[chunk.blankStart..<chunk.wordStart]))
        }
      }
    }
  }

  // MARK: Encoded-words (RFC 2047)

  /// Appends `text` as UTF-8 encoded-words, choosing Q or B by size. Each
  /// word is at most 75 characters and fits the current line when there is
  /// reasonable room; words split only between UTF-8 sequences.
  /// `phrase` restricts Q to the characters allowed in a display name.
  mutating func appendEncodedWords(
    _ text: UnsafeBufferPointer<UInt8>, firstSeparator: UnsafeBufferPointer<UInt8>?, phrase: Bool
  ) {
    var qLength = 0
    for byte in text { qLength += EncodedWord.qWidth(byte) }
    let useB = (text.count + 2) / 3 * 4 < qLength
    let overhead = EncodedWord.prefix.utf8CodeUnitCount + 2  // "=?utf-8?X?" + "?="
    var start = 0
    var isFirst = true
    var word: [UInt8] = []
    word.reserveCapacity(Self.maxEncodedWord)
    while start < text.count {
      // Size this word to the room left on the line, unless that room is
      // so small that the word is better folded onto a fresh line.
      let separatorWidth = isFirst ? (firstSeparator?.count ?? 1) : 1
      let room = Self.foldColumn - column - separatorWidth
      let maxWord = room >= 30 ? min(room, Self.maxEncodedWord) : Self.maxEncodedWord
      let maxPayload = maxWord - overhead
      var end = start
      var payload = 0
      while end < text.count {
        let length = EncodedWord.sequenceLength(text[end])
        let stop = min(end + length, text.count)
        var width = 0
        if useB {
          width = (stop - start + 2) / 3 * 4 - payload
        } else {
          for index in end..<stop { width += EncodedWord.qWidth(text[index]) }
        }
        if payload + width > maxPayload && end > start { break }
        payload += width
        end = stop
      }
      word.removeAll(keepingCapacity: true)
      EncodedWord.append(
        UnsafeBufferPointer(rebasing: text[start..<end]), b: useB, phrase: phrase, to: &word)
      if isFirst, let firstSeparator {
        append(atom: word, separator: firstSeparator)
      } else {
        append(atom: word)
      }
      isFirst = false
      start = end
    }
  }
}

/// RFC 2047 encoded-word building blocks.
enum EncodedWord {
  static let prefix: StaticString = "=?utf-8?Q?"

  /// Bytes in the UTF-8 sequence that starts with `lead` (1 for stray
  /// continuation bytes, so splitting always makes progress).
  @inline(__always)
  static func sequenceLength(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...0xFF: return 4
    case 0xE0...0xEF: return 3
    case 0xC0...0xDF: return 2
    default: return 1
    }
  }

  /// True for bytes written literally in a Q word: the conservative set
  /// that RFC 2047 §5(3) allows even inside a phrase.
  @inline(__always)
  static func qLiteral(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return true
    case UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"),
      UInt8(ascii: "/"):
      return true
    default: return false
    }
  }

  /// Characters `byte` takes in a Q word.
  @inline(__always)
  static func qWidth(_ byte: UInt8) -> Int {
    qLiteral(byte) || byte == ASCII.space ? 1 : 3
  }

  /// Appends one complete encoded-word for `text`.
  static func append(
    _ text: UnsafeBufferPointer<UInt8>, b: Bool, phrase: Bool, to out: inout [UInt8]
  ) {
    out.append(ascii: "=?utf-8?")
    out.append(b ? UInt8(ascii: "B") : UInt8(ascii: "Q"))
    out.append(ASCII.question)
    if b {
      Base64.encode(text, lineLength: 0, to: &out)
    } else {
      for byte in text {
        if qLiteral(byte) {
          out.append(byte)
        } else if byte == ASCII.space {
          out.append(ASCII.underscore)
        } else {
          out.append(ASCII.equals)
          out.append(ASCII.hexDigits[Int(byte >> 4)])
          out.append(ASCII.hexDigits[Int(byte & 0x0F)])
        }
      }
    }
    out.append(ASCII.question)
    out.append(ASCII.equals)
  }
}

/// Cleaning of caller-supplied header text. Line breaks become spaces and
/// other control characters are dropped, so no value can start a new
/// header field (header injection).
enum Sanitize {
  /// Header text: CR/LF runs become one space; other controls except HTAB are dropped.
  static func text(_ value: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count)
    var inBreak = false
    for byte in value.utf8 {
      if byte == ASCII.cr || byte == ASCII.lf {
        if !inBreak { out.append(ASCII.space) }
        inBreak = true
        continue
      }
      inBreak = false
      if (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F { continue }
      out.append(byte)
    }
    return out
  }

  /// An addr-spec or URL inside angle brackets: whitespace, controls and
  /// angle brackets are dropped.
  static func addrSpec(_ value: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count)
    for byte in value.utf8
    where byte > 0x20 && byte != 0x7F && byte != ASCII.lessThan && byte != ASCII.greaterThan {
      out.append(byte)
    }
    return out
  }

  /// A field name: printable ASCII except `:` (RFC 5322 §3.6.8).
  static func fieldName(_ value: String) -> [UInt8] {
    var out: [UInt8] = []
    for byte in value.utf8 where byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: ":") {
      out.append(byte)
    }
    return out
  }

  /// A media type, `type/subtype`: RFC 2045 token characters and one `/`.
  static func mediaType(_ value: String) -> [UInt8] {
    let allowed = Set("!#$&^_.+-/".utf8)
    return value.utf8.filter {
      ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || allowed.contains($0)
    }
  }

  /// A file name for a quoted parameter: printable ASCII without `"` or `\`;
  /// anything else becomes `_`.
  static func filename(_ value: String) -> [UInt8] {
    value.utf8.map { byte in
      byte >= 0x20 && byte < 0x7F && byte != ASCII.quote && byte != ASCII.backslash
        ? byte : ASCII.underscore
    }
  }

  /// A boundary: RFC 2046 `bchars` without space, at most 70 characters.
  static func boundary(_ value: String) -> [UInt8] {
    var out: [UInt8] = []
    for byte in value.utf8 {
      switch byte {
      case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: out.append(byte)
      case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"),
        UInt8(ascii: "_"), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"):
        out.append(byte)
      default: continue
      }
      if out.count == 70 { break }
    }
    if out.isEmpty { out = Array("=_flowc_boundary".utf8) }
    return out
  }
}
