import Foundation

/// The attributes of one start tag, for reading and replacing values. Values
/// are kept as written apart from those replaced; `&amp;` in a read value is
/// decoded, since that is the URL a browser would follow.
struct HTMLAttributes {
  private(set) var tag: String

  init(_ tag: Substring) { self.tag = String(tag) }

  /// The start of the next `<NAME` tag (followed by whitespace), case-insensitively.
  static func nextTag(_ name: String, in text: Substring) -> Substring.Index? {
    var search = text.startIndex
    while let lt = text[search...].firstIndex(of: "<") {
      let after = text.index(after: lt)
      let end = text.index(after, offsetBy: name.count, limitedBy: text.endIndex) ?? text.endIndex
      if end < text.endIndex, text[after..<end].lowercased() == name, text[end].isWhitespace {
        return lt
      }
      search = after
    }
    return nil
  }

  /// `html` with every start tag `<NAME ...>` passed through `rewrite`.
  static func rewriteTags(
    _ name: String, in html: String, _ rewrite: (inout HTMLAttributes) -> Void
  ) -> String {
    var out = ""
    out.reserveCapacity(html.utf8.count + 256)
    var rest = Substring(html)
    while let open = nextTag(name, in: rest), let close = rest[open...].firstIndex(of: ">") {
      out += rest[..<open]
      var attributes = HTMLAttributes(rest[open...close])
      rewrite(&attributes)
      out += attributes.tag
      rest = rest[rest.index(after: close)...]
    }
    out += rest
    return out
  }

  func value(_ name: String) -> String? {
    find(name).map { Self.decodeAmpersands(String(tag[$0.value])) }
  }

  mutating func set(_ name: String, _ value: String) {
    guard let found = find(name) else { return }
    tag.replaceSubrange(found.value, with: value.replacingOccurrences(of: "&", with: "&amp;"))
  }

  /// Removes the attribute (and the space before it); returns its value.
  mutating func remove(_ name: String) -> String? {
    guard let found = find(name) else { return nil }
    let value = Self.decodeAmpersands(String(tag[found.value]))
    tag.removeSubrange(found.whole)
    return value
  }

  /// The range of `name="value"` (with its leading whitespace) and of the value.
  private func find(_ name: String) -> (whole: Range<String.Index>, value: Range<String.Index>)? {
    var search = tag.startIndex
    while let match = tag.range(of: name, options: .caseInsensitive, range: search..<tag.endIndex) {
      search = match.upperBound
      guard match.lowerBound > tag.startIndex,
        tag[tag.index(before: match.lowerBound)].isWhitespace
      else { continue }
      var cursor = match.upperBound
      while cursor < tag.endIndex, tag[cursor].isWhitespace { cursor = tag.index(after: cursor) }
      guard cursor < tag.endIndex, tag[cursor] == "=" else { continue }
      cursor = tag.index(after: cursor)
      while cursor < tag.endIndex, tag[cursor].isWhitespace { cursor = tag.index(after: cursor) }
      guard cursor < tag.endIndex else { return nil }
      let quote = tag[cursor]
      let valueStart: String.Index
      let valueEnd: String.Index
      let end: String.Index
      if quote == "\"" || quote == "'" {
        valueStart = tag.index(after: cursor)
        guard let closing = tag[valueStart...].firstIndex(of: quote) else { return nil }
        valueEnd = closing
        end = tag.index(after: closing)
      } else {
        valueStart = cursor
        valueEnd =
          tag[cursor...].firstIndex(where: { $0.isWhitespace || $0 == ">" }) ?? tag.endIndex
        end = valueEnd
      }
      var wholeStart = match.lowerBound
      while wholeStart > tag.startIndex, tag[tag.index(before: wholeStart)].isWhitespace {
        wholeStart = tag.index(before: wholeStart)
      }
      return (wholeStart..<end, valueStart..<valueEnd)
    }
    return nil
  }

  private static func decodeAmpersands(_ text: String) -> String {
    text.replacingOccurrences(of: "&amp;", with: "&")
  }
}
