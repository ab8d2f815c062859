// RFC 6376 section 3.4 "relaxed" canonicalisation of header fields and body.

enum DKIMCanonical {
  /// One header field as it appears, folding included, without its final CRLF.
  struct Field {
    var lowercasedName: String
    var raw: ArraySlice<UInt8>
  }

  private static let cr = UInt8(ascii: "\r")
  private static let lf = UInt8(ascii: "\n")
  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")
  private static let colon = UInt8(ascii: ":")

  private static func isWSP(_ byte: UInt8) -> Bool { byte == space || byte == tab }

  /// The header fields and the index where the body starts (after the blank line).
  static func split(_ message: [UInt8]) -> (fields: [Field], bodyStart: Int) {
    var fields: [Field] = []
    var field: Range<Int>?
    func closeField() {
      guard let range = field else { return }
      let raw = message[range]
      let name = String(decoding: raw.prefix { $0 != colon }, as: UTF8.self)
      fields.append(Field(lowercasedName: name.lowercased().trimmingTrailingWSP(), raw: raw))
      field = nil
    }
    var lineStart = 0
    while lineStart < message.count {
      var lineEnd = lineStart
      while lineEnd < message.count && message[lineEnd] != lf { lineEnd += 1 }
      let contentEnd = lineEnd > lineStart && message[lineEnd - 1] == cr ? lineEnd - 1 : lineEnd
      let next = min(lineEnd + 1, message.count)
      if contentEnd == lineStart {
        closeField()
        return (fields, next)
      }
      if let range = field, isWSP(message[lineStart]) {
        field = range.lowerBound..<contentEnd  // a folded continuation line
      } else {
        closeField()
        field = lineStart..<contentEnd
      }
      lineStart = next
    }
    closeField()
    return (fields, message.count)
  }

  /// `name:value` lowercased name, unfolded, whitespace runs as one space, trimmed; no CRLF.
  static func header(_ raw: some Collection<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var index = raw.startIndex
    while index != raw.endIndex && raw[index] != colon {
      let byte = raw[index]
      out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
      index = raw.index(after: index)
    }
    while let last = out.last, isWSP(last) { out.removeLast() }
    out.append(colon)
    if index != raw.endIndex { index = raw.index(after: index) }
    var pendingSpace = false
    var wroteValue = false
    while index != raw.endIndex {
      let byte = raw[index]
      index = raw.index(after: index)
      if byte == cr || byte == lf { continue }
      if isWSP(byte) {
        pendingSpace = wroteValue
        continue
      }
      if pendingSpace { out.append(space) }
      pendingSpace = false
      out.append(byte)
      wroteValue = true
    }
    return out
  }

  /// The relaxed body: whitespace runs as one space, none at line ends, no
  /// trailing empty lines, and a final CRLF unless the body is empty.
  static func body(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var blankLines = 0
    var line: [UInt8] = []
    var index = bytes.startIndex
    func endLine() {
      while let last = line.last, last == space { line.removeLast() }
      if line.isEmpty {
        blankLines += 1
      } else {
        for _ in 0..<blankLines { out += [cr, lf] }
        blankLines = 0
        out += line
        out += [cr, lf]
      }
      line.removeAll(keepingCapacity: true)
    }
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == cr, index + 1 < bytes.endIndex, bytes[index + 1] == lf {
        endLine()
        index += 2
        continue
      }
      if isWSP(byte) {
        if line.last != space { line.append(space) }
      } else {
        line.append(byte)
      }
      index += 1
    }
    if !line.isEmpty { endLine() }
    return out
  }
}

extension String {
  fileprivate func trimmingTrailingWSP() -> String {
    var text = Substring(self)
    while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
    return String(text)
  }
}
