import Foundation

/// Rewrites a rendered HTML body for tracking: every `http(s)` link becomes a
/// signed click URL on the tracking host, and an open pixel goes before
/// `</body>`. A link may carry tags for the member who clicks it:
/// `<a href="https://shop.example.com/shoes" data-flow-tags="interest:shoes">`
/// (the attribute is removed from the sent HTML).
struct LinkTracking {
  /// The tracking host's base URL, without a trailing slash.
  let baseURL: String
  let sign: @Sendable (String) -> String

  init(baseURL: String, sign: @escaping @Sendable (String) -> String) {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    self.baseURL = base
    self.sign = sign
  }

  func rewrite(
    _ html: String, memberID: Int64, instanceID: Int64, step: String, keeping untouched: Set<String>
  ) -> String {
    var out = ""
    out.reserveCapacity(html.utf8.count + 256)
    var rest = Substring(html)
    while let open = Self.nextAnchor(in: rest) {
      out += rest[..<open]
      guard let close = rest[open...].firstIndex(of: ">") else {
        rest = rest[open...]
        break
      }
      let tag = rest[open...close]
      out += rewriteAnchor(
        tag, memberID: memberID, instanceID: instanceID, step: step, untouched: untouched)
      rest = rest[rest.index(after: close)...]
    }
    out += rest
    let pixelToken = sign(
      TrackingPayload.open(memberID: memberID, instanceID: instanceID, step: step).text)
    let pixel =
      "<img src=\"\(baseURL)/o/\(pixelToken).gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">"
    if let bodyEnd = out.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
      out.insert(contentsOf: pixel, at: bodyEnd.lowerBound)
    } else {
      out += pixel
    }
    return out
  }

  /// The start of the next `<a` tag (followed by whitespace), case-insensitively.
  private static func nextAnchor(in text: Substring) -> Substring.Index? {
    var search = text.startIndex
    while let lt = text[search...].firstIndex(of: "<") {
      let after = text.index(after: lt)
      if after < text.endIndex, text[after] == "a" || text[after] == "A" {
        let next = text.index(after: after)
        if next < text.endIndex, text[next].isWhitespace { return lt }
      }
      search = after
    }
    return nil
  }

  private func rewriteAnchor(
    _ tag: Substring, memberID: Int64, instanceID: Int64, step: String, untouched: Set<String>
  ) -> String {
    var attributes = HTMLAttributes(tag)
    let tags = attributes.remove("data-flow-tags").map {
      $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
    guard let href = attributes.value("href"), !untouched.contains(href),
      href.hasPrefix("https://") || href.hasPrefix("http://")
    else { return attributes.tag }
    let payload = TrackingPayload.click(
      memberID: memberID, instanceID: instanceID, step: step, url: href, tags: tags ?? [])
    attributes.set("href", "\(baseURL)/c/\(sign(payload.text))")
    return attributes.tag
  }
}

/// The attributes of one start tag, for reading and replacing values. Values
/// are kept as written apart from those replaced; `&amp;` in a read value is
/// decoded, since that is the URL a browser would follow.
struct HTMLAttributes {
  private(set) var tag: String

  init(_ tag: Substring) { self.tag = String(tag) }

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
    while let match = tag.range(of: name, options: .caseInsensitive, range: search..<tag.endIndex)
    {
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
