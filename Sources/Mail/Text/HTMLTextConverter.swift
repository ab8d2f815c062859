// A forgiving, single-pass HTML-to-text converter working on UTF-8 bytes.
// It is not an HTML parser: it recognises tags, comments, entities and a
// handful of elements that shape the text, and treats everything else as
// text. Malformed input never fails; it just reads less nicely.

/// The elements that change the text layout.
private enum Element {
  case anchor, breakLine, listItem, unorderedList, orderedList, cell, image, preformatted
  case rawText  // script, style: contents skipped verbatim
  case hidden  // head, title, template: contents dropped
  case body
  case block  // one line break
  case paragraph  // a blank line
  case other
}

/// State of one conversion; see `HTMLText.plainText(fromHTML:)`.
struct HTMLTextConverter {
  private(set) var out: [UInt8] = []
  private var pendingSpace = false
  /// Line breaks owed before the next text: 0, 1 (new line) or 2 (blank line).
  private var pendingBreaks = 0
  /// A list marker owed before the next text.
  private var pendingMarker: [UInt8] = []
  private var hiddenDepth = 0
  private var preDepth = 0
  /// One entry per open list: 0 for `<ul>`, the next number for `<ol>`.
  private var lists: [Int] = []
  private var linkHref: [UInt8]?
  private var linkTextStart: Int?

  private static let lf: UInt8 = 0x0A

  // MARK: Driver

  mutating func run(_ html: UnsafeBufferPointer<UInt8>) {
    out.reserveCapacity(html.count / 2)
    var index = 0
    let count = html.count
    while index < count {
      let byte = html[index]
      if byte == UInt8(ascii: "<"), let next = tag(html, at: index) {
        index = next
        continue
      }
      if byte == UInt8(ascii: "&"), let (scalar, next) = Self.entity(html, at: index) {
        emit(scalar: scalar)
        index = next
        continue
      }
      if byte >= 0xC2, let (scalar, length) = Self.decodeScalar(html, at: index),
        Self.isInvisible(scalar) || scalar == 0xA0
      {
        emit(scalar: scalar)
        index += length
        continue
      }
      if Self.isPlain(byte) {
        // A run of ordinary text: copy it in one go.
        var end = index + 1
        while end < count, Self.isPlain(html[end]) { end += 1 }
        if hiddenDepth == 0 {
          flushIfNeeded()
          out.append(contentsOf: UnsafeBufferPointer(rebasing: html[index..<end]))
        }
        index = end
        continue
      }
      emit(byte: byte)
      index += 1
    }
    finishLink()
  }

  // MARK: Output

  private static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
  }

  /// Bytes that are text as they stand: not markup, not whitespace, and not
  /// the lead byte of a no-break space or an invisible character.
  @inline(__always)
  private static func isPlain(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x3C, 0x26, 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0xC2, 0xCD, 0xE2, 0xEF: return false
    default: return true
    }
  }

  @inline(__always)
  private mutating func flushIfNeeded() {
    if pendingBreaks != 0 || pendingSpace || !pendingMarker.isEmpty
      || (linkHref != nil && linkTextStart == nil)
    {
      flush()
    }
  }

  /// Writes what is owed (breaks, a space, a list marker) before new text.
  private mutating func flush() {
    if !out.isEmpty {
      if pendingBreaks > 0 {
        while let last = out.last, last == 0x20 || last == 0x09 { out.removeLast() }
        for _ in 0..<pendingBreaks { out.append(Self.lf) }
      } else if pendingSpace, out.last != Self.lf {
        out.append(0x20)
      }
    }
    pendingBreaks = 0
    pendingSpace = false
    if !pendingMarker.isEmpty {
      out.append(contentsOf: pendingMarker)
      pendingMarker.removeAll()
    }
    if linkHref != nil && linkTextStart == nil { linkTextStart = out.count }
  }

  private mutating func emit(byte: UInt8) {
    guard hiddenDepth == 0 else { return }
    if Self.isWhitespace(byte) {
      if preDepth == 0 {
        pendingSpace = true
      } else if byte == Self.lf {
        pendingBreaks = min(pendingBreaks + 1, 2)
      } else if byte != 0x0D {
        flush()
        out.append(byte)
      }
      return
    }
    flushIfNeeded()
    out.append(byte)
  }

  private mutating func emit(scalar: UInt32) {
    if Self.isInvisible(scalar) { return }
    if scalar == 0xA0 {  // no-break space: an ordinary space in plain text
      emit(byte: 0x20)
      return
    }
    guard let unicode = Unicode.Scalar(scalar) else { return }
    for unit in UTF8.encode(unicode) ?? UTF8.EncodedScalar() { emit(byte: unit) }
  }

  private mutating func requestBreaks(_ count: Int) {
    pendingBreaks = max(pendingBreaks, count)
    pendingSpace = false
  }

  /// Appends ` (url)` after link text, unless the text already says it.
  private mutating func finishLink() {
    guard let href = linkHref else { return }
    linkHref = nil
    let start = linkTextStart ?? out.count
    linkTextStart = nil
    if href.isEmpty || href.first == UInt8(ascii: "#") || Self.hasPrefix(href, "javascript:") {
      return
    }
    let text = out[start...]
    if text.elementsEqual(href) { return }
    if Self.hasPrefix(href, "mailto:") && href.dropFirst(7).elementsEqual(text) { return }
    if text.isEmpty {
      for byte in href { emit(byte: byte) }
      return
    }
    guard hiddenDepth == 0 else { return }
    out.append(contentsOf: " (".utf8)
    out.append(contentsOf: href)
    out.append(UInt8(ascii: ")"))
  }

  // MARK: Tags

  /// Handles the markup starting at `<`; returns the index after it, or nil
  /// when the `<` is just text.
  private mutating func tag(_ html: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
    let count = html.count
    var index = start + 1
    guard index < count else { return nil }
    let first = html[index]
    if first == UInt8(ascii: "!") {
      if Self.matches(html, at: index, "!--") {
        return Self.find(html, "-->", from: index + 3).map { $0 + 3 } ?? count
      }
      return Self.find(html, ">", from: index).map { $0 + 1 } ?? count
    }
    if first == UInt8(ascii: "?") {
      return Self.find(html, ">", from: index).map { $0 + 1 } ?? count
    }
    let closing = first == UInt8(ascii: "/")
    if closing { index += 1 }
    guard index < count, Self.isLetter(html[index]) else { return nil }
    let nameStart = index
    while index < count, !Self.isWhitespace(html[index]), html[index] != UInt8(ascii: ">"),
      html[index] != UInt8(ascii: "/")
    {
      index += 1
    }
    let nameEnd = index
    let element = Self.classify(UnsafeBufferPointer(rebasing: html[nameStart..<nameEnd]))

    // Attributes: only href and alt matter, but quoted values must be
    // skipped properly because they may contain `>`.
    var href: Range<Int>?
    var alt: Range<Int>?
    var terminated = false
    while index < count {
      let byte = html[index]
      if Self.isWhitespace(byte) || byte == UInt8(ascii: "/") {
        index += 1
        continue
      }
      if byte == UInt8(ascii: ">") {
        index += 1
        terminated = true
        break
      }
      let attrStart = index
      while index < count, !Self.isWhitespace(html[index]), html[index] != UInt8(ascii: "="),
        html[index] != UInt8(ascii: ">"), html[index] != UInt8(ascii: "/")
      {
        index += 1
      }
      let attrName = UnsafeBufferPointer(rebasing: html[attrStart..<index])
      if attrName.isEmpty {  // a stray `=`
        index += 1
        continue
      }
      while index < count, Self.isWhitespace(html[index]) { index += 1 }
      guard index < count, html[index] == UInt8(ascii: "=") else { continue }
      index += 1
      while index < count, Self.isWhitespace(html[index]) { index += 1 }
      var value = index..<index
      if index < count, html[index] == UInt8(ascii: "\"") || html[index] == UInt8(ascii: "'") {
        let quote = html[index]
        index += 1
        let valueStart = index
        while index < count, html[index] != quote { index += 1 }
        value = valueStart..<index
        if index < count { index += 1 }
      } else {
        let valueStart = index
        while index < count, !Self.isWhitespace(html[index]), html[index] != UInt8(ascii: ">") {
          index += 1
        }
        value = valueStart..<index
      }
      if Self.equalsIgnoringCase(attrName, "href") {
        href = value
      } else if Self.equalsIgnoringCase(attrName, "alt") {
        alt = value
      }
    }

    // A tag cut off by the end of the input is dropped, like browsers do.
    guard terminated else { return count }

    switch (element, closing) {
    case (.rawText, false):
      // Skip to the matching end tag, whatever it contains.
      let name = UnsafeBufferPointer(rebasing: html[nameStart..<nameEnd])
      var search = index
      while let found = Self.find(html, "</", from: search) {
        if found + 2 + name.count <= count,
          Self.equalsIgnoringCase(
            UnsafeBufferPointer(rebasing: html[found + 2..<found + 2 + name.count]), name)
        {
          return Self.find(html, ">", from: found).map { $0 + 1 } ?? count
        }
        search = found + 2
      }
      return count
    case (.rawText, true): break
    case (.hidden, false): hiddenDepth += 1
    case (.hidden, true): hiddenDepth = max(0, hiddenDepth - 1)
    case (.body, _): hiddenDepth = 0
    case (.anchor, false):
      finishLink()
      if let href {
        linkHref = Self.decodeAttribute(html, href)
      }
    case (.anchor, true): finishLink()
    case (.breakLine, _):
      pendingBreaks = min(pendingBreaks + 1, 2)
      pendingSpace = false
    case (.block, _): requestBreaks(1)
    case (.paragraph, _): requestBreaks(2)
    case (.preformatted, _):
      requestBreaks(2)
      preDepth = max(0, preDepth + (closing ? -1 : 1))
    case (.unorderedList, false), (.orderedList, false):
      requestBreaks(lists.isEmpty ? 2 : 1)
      lists.append(element == .orderedList ? 1 : 0)
    case (.unorderedList, true), (.orderedList, true):
      if !lists.isEmpty { lists.removeLast() }
      requestBreaks(lists.isEmpty ? 2 : 1)
    case (.listItem, false):
      requestBreaks(1)
      pendingMarker.removeAll()
      for _ in 1..<max(1, lists.count) { pendingMarker.append(contentsOf: "  ".utf8) }
      if let number = lists.last, number > 0 {
        pendingMarker.append(contentsOf: String(number).utf8)
        pendingMarker.append(contentsOf: ". ".utf8)
        lists[lists.count - 1] = number + 1
      } else {
        pendingMarker.append(contentsOf: "- ".utf8)
      }
    case (.listItem, true): requestBreaks(1)
    case (.cell, _): pendingSpace = true
    case (.image, false):
      if let alt {
        for byte in Self.decodeAttribute(html, alt) { emit(byte: byte) }
      }
    case (.image, true), (.other, _): break
    }
    return index
  }

  private static func classify(_ name: UnsafeBufferPointer<UInt8>) -> Element {
    func isName(_ literal: StaticString) -> Bool { equalsIgnoringCase(name, literal) }
    switch name.count {
    case 1:
      if isName("a") { return .anchor }
      if isName("p") { return .paragraph }
    case 2:
      if isName("br") { return .breakLine }
      if isName("li") { return .listItem }
      if isName("ul") { return .unorderedList }
      if isName("ol") { return .orderedList }
      if isName("td") || isName("th") { return .cell }
      if isName("tr") || isName("dt") || isName("dd") { return .block }
      if isName("hr") || isName("dl") { return .paragraph }
      if name[0] | 0x20 == UInt8(ascii: "h") && name[1] >= 0x31 && name[1] <= 0x36 {
        return .paragraph
      }
    case 3:
      if isName("img") { return .image }
      if isName("pre") { return .preformatted }
      if isName("div") || isName("nav") { return .block }
    case 4:
      if isName("head") { return .hidden }
      if isName("body") { return .body }
      if isName("main") { return .block }
    case 5:
      if isName("style") { return .rawText }
      if isName("title") { return .hidden }
      if isName("table") { return .paragraph }
      if isName("aside") { return .block }
    case 6:
      if isName("script") { return .rawText }
      if isName("center") || isName("header") || isName("footer") || isName("option") {
        return .block
      }
      if isName("figure") { return .paragraph }
    case 7:
      if isName("section") || isName("article") || isName("caption") { return .block }
      if isName("address") { return .paragraph }
    case 8:
      if isName("template") { return .hidden }
    case 10:
      if isName("blockquote") { return .paragraph }
    default: break
    }
    return .other
  }

  // MARK: Entities and characters

  /// Decodes `&name;`, `&#123;` or `&#x1F600;` at `start`; nil leaves the `&` as text.
  private static func entity(_ html: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt32, Int)? {
    let count = html.count
    var index = start + 1
    guard index < count else { return nil }
    if html[index] == UInt8(ascii: "#") {
      index += 1
      let hex = index < count && html[index] | 0x20 == UInt8(ascii: "x")
      if hex { index += 1 }
      var value: UInt32 = 0
      var digits = 0
      while index < count, digits < 8 {
        let byte = html[index]
        let digit: UInt32
        switch byte {
        case 0x30...0x39: digit = UInt32(byte - 0x30)
        case 0x61...0x66 where hex, 0x41...0x46 where hex: digit = UInt32(byte | 0x20) - 0x61 + 10
        default: digit = 99
        }
        if digit == 99 { break }
        value = value * (hex ? 16 : 10) + digit
        digits += 1
        index += 1
      }
      guard digits > 0 else { return nil }
      if index < count, html[index] == UInt8(ascii: ";") { index += 1 }
      let valid = value != 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
      return (valid ? value : 0xFFFD, index)
    }
    let nameStart = index
    while index < count, index - nameStart <= 8, isLetter(html[index]) || isDigit(html[index]) {
      index += 1
    }
    guard index < count, index > nameStart, html[index] == UInt8(ascii: ";") else { return nil }
    let name = String(
      decoding: UnsafeBufferPointer(rebasing: html[nameStart..<index]), as: UTF8.self)
    guard let scalar = HTMLEntities.scalar(named: name) else { return nil }
    return (scalar, index + 1)
  }

  /// An attribute value with entities decoded and surrounding whitespace trimmed.
  private static func decodeAttribute(_ html: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
    -> [UInt8]
  {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, isWhitespace(html[lower]) { lower += 1 }
    while upper > lower, isWhitespace(html[upper - 1]) { upper -= 1 }
    let value = UnsafeBufferPointer(rebasing: html[lower..<upper])
    guard value.contains(UInt8(ascii: "&")) else { return Array(value) }
    var result: [UInt8] = []
    result.reserveCapacity(value.count)
    var index = 0
    while index < value.count {
      if value[index] == UInt8(ascii: "&"), let (scalar, next) = entity(value, at: index),
        let unicode = Unicode.Scalar(scalar)
      {
        result.append(contentsOf: UTF8.encode(unicode) ?? UTF8.EncodedScalar())
        index = next
        continue
      }
      result.append(value[index])
      index += 1
    }
    return result
  }

  /// Decodes one UTF-8 scalar at `index` (only called for lead bytes).
  private static func decodeScalar(_ html: UnsafeBufferPointer<UInt8>, at index: Int) -> (
    UInt32, Int
  )? {
    let lead = html[index]
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    guard index + length <= html.count else { return nil }
    var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for offset in 1..<length { value = value << 6 | UInt32(html[index + offset] & 0x3F) }
    return (value, length)
  }

  /// Zero-width and formatting characters that carry no visible text; email
  /// templates pad preheaders with them.
  private static func isInvisible(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x00AD, 0x034F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
    default: return false
    }
  }

  // MARK: Byte helpers

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
  }
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  private static func equalsIgnoringCase(
    _ bytes: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard bytes.count == other.count else { return false }
    for index in 0..<bytes.count where bytes[index] | 0x20 != other[index] | 0x20 { return false }
    return true
  }

  private static func equalsIgnoringCase(
    _ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString
  )
    -> Bool
  {
    literal.withUTF8Buffer { equalsIgnoringCase(bytes, $0) }
  }

  private static func hasPrefix(_ bytes: [UInt8], _ literal: StaticString) -> Bool {
    literal.withUTF8Buffer { prefix in
      bytes.count >= prefix.count
        && bytes.withUnsafeBufferPointer {
          equalsIgnoringCase(UnsafeBufferPointer(rebasing: $0[..<prefix.count]), prefix)
        }
    }
  }

  private static func matches(
    _ html: UnsafeBufferPointer<UInt8>, at index: Int, _ literal: StaticString
  ) -> Bool {
    literal.withUTF8Buffer { bytes in
      index + bytes.count <= html.count
        && UnsafeBufferPointer(rebasing: html[index..<index + bytes.count]).elementsEqual(bytes)
    }
  }

  private static func find(
    _ html: UnsafeBufferPointer<UInt8>, _ literal: StaticString, from start: Int
  ) -> Int? {
    var index = start
    while index < html.count {
      if matches(html, at: index, literal) { return index }
      index += 1
    }
    return nil
  }
}
