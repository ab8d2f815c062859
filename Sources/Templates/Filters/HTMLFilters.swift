/// HTML and URL filters, written over UTF-8 bytes because they only touch ASCII.
enum HTMLFilters {
  /// `escape` replaces `& < > " '`; with `once`, existing entities are left alone.
  static func escape(_ s: String, once: Bool) -> String {
    // Most values need no escaping: check before copying anything.
    guard
      s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
    else { return s }
    let bytes = Array(s.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 16)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "&"):
        if once && entityLength(bytes, at: i) > 0 {
          out.append(b)
        } else {
          out.append(contentsOf: "&amp;".utf8)
        }
      case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
      case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
      case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
      default: out.append(b)
      }
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Length of an entity (`&amp;`, `&#39;`, `&#x27;`) starting at `i`, or 0.
  private static func entityLength(_ bytes: [UInt8], at i: Int) -> Int {
    var j = i + 1
    let isHex: Bool
    if j < bytes.count && bytes[j] == UInt8(ascii: "#") {
      j += 1
      isHex = j < bytes.count && (bytes[j] == UInt8(ascii: "x") || bytes[j] == UInt8(ascii: "X"))
      if isHex { j += 1 }
      let start = j
      while j < bytes.count
        && (ExpressionLexer.isDigit(bytes[j]) || (isHex && isHexDigit(bytes[j])))
      {
        j += 1
      }
      guard j > start else { return 0 }
    } else {
      let start = j
      while j < bytes.count && Lexer.isWordByte(bytes[j]) { j += 1 }
      guard j > start else { return 0 }
    }
    guard j < bytes.count && bytes[j] == UInt8(ascii: ";") else { return 0 }
    return j + 1 - i
  }

  static func isHexDigit(_ b: UInt8) -> Bool {
    ExpressionLexer.isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
  }

  /// Removes tags, comments, and the contents of `<script>` and `<style>` elements.
  static func stripHTML(_ s: String) -> String {
    let bytes = Array(s.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      guard bytes[i] == UInt8(ascii: "<") else {
        out.append(bytes[i])
        i += 1
        continue
      }
      let skipTo: Int?
      if hasPrefix(bytes, i, "<!--") {
        skipTo = find(bytes, "-->", from: i + 4)
      } else if hasPrefix(bytes, i, "<script") {
        skipTo = find(bytes, "</script>", from: i)
      } else if hasPrefix(bytes, i, "<style") {
        skipTo = find(bytes, "</style>", from: i)
      } else {
        skipTo = find(bytes, ">", from: i + 1)
      }
      guard let skipTo else {
        out.append(bytes[i])
        i += 1
        continue
      }
      i = skipTo
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Case-insensitive ASCII prefix test at `i`.
  private static func hasPrefix(_ bytes: [UInt8], _ i: Int, _ prefix: String) -> Bool {
    let p = Array(prefix.utf8)
    guard i + p.count <= bytes.count else { return false }
    for k in 0..<p.count where lower(bytes[i + k]) != p[k] { return false }
    return true
  }

  /// Offset just past the next case-insensitive occurrence of `needle`.
  private static func find(_ bytes: [UInt8], _ needle: String, from start: Int) -> Int? {
    var i = start
    while i < bytes.count {
      if hasPrefix(bytes, i, needle) { return i + needle.utf8.count }
      i += 1
    }
    return nil
  }

  private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

  /// Ruby's CGI.escape: unreserved characters stay, space becomes `+`, the rest is `%XX`.
  static func urlEncode(_ s: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for b in s.utf8 {
      if Lexer.isWordByte(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
        || b == UInt8(ascii: "~")
      {
        out.append(b)
      } else if b == UInt8(ascii: " ") {
        out.append(UInt8(ascii: "+"))
      } else {
        out.append(UInt8(ascii: "%"))
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func urlDecode(_ s: String) -> String {
    let bytes = Array(s.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "+") {
        out.append(UInt8(ascii: " "))
      } else if b == UInt8(ascii: "%"), i + 2 < bytes.count, isHexDigit(bytes[i + 1]),
        isHexDigit(bytes[i + 2])
      {
        out.append(hexValue(bytes[i + 1]) << 4 | hexValue(bytes[i + 2]))
        i += 2
      } else {
        out.append(b)
      }
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexValue(_ b: UInt8) -> UInt8 {
    if b <= 0x39 { return b - 0x30 }
    return (b | 0x20) - 0x61 + 10
  }
}

/// Base64 (RFC 4648), standard and URL-safe alphabets. Shared with the
/// runtime and host, which put URL-safe base64 in link tokens.
package enum Base64 {
  private static let standard = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  package static func encode(_ bytes: [UInt8], urlSafe: Bool, padded: Bool = true) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let b0 = bytes[i]
      let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
      let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
      let chars = [b0 >> 2, (b0 & 3) << 4 | b1 >> 4, (b1 & 15) << 2 | b2 >> 6, b2 & 63]
      let valid = min(4, bytes.count - i + 1)
      for k in 0..<4 {
        if k < valid {
          var c = standard[Int(chars[k])]
          if urlSafe && c == UInt8(ascii: "+") { c = UInt8(ascii: "-") }
          if urlSafe && c == UInt8(ascii: "/") { c = UInt8(ascii: "_") }
          out.append(c)
        } else if padded {
          out.append(UInt8(ascii: "="))
        }
      }
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes either alphabet; padding is optional. Nil for invalid input.
  package static func decode(_ s: String) -> [UInt8]? {
    var values: [UInt8] = []
    for c in s.utf8 {
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(c - 65)
      case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(c - 97 + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(c - 48 + 52)
      case UInt8(ascii: "+"), UInt8(ascii: "-"): values.append(62)
      case UInt8(ascii: "/"), UInt8(ascii: "_"): values.append(63)
      case UInt8(ascii: "="): continue
      case 0x0A, 0x0D: continue
      default: return nil
      }
    }
    if values.count % 4 == 1 { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < values.count {
      let v = values[i..<min(i + 4, values.count)].map { $0 } + [0, 0, 0]
      out.append(v[0] << 2 | v[1] >> 4)
      if i + 2 < values.count { out.append((v[1] & 15) << 4 | v[2] >> 2) }
      if i + 3 < values.count { out.append((v[2] & 3) << 6 | v[3]) }
      i += 4
    }
    return out
  }
}

extension String {
  /// The text safe inside HTML content and quoted attribute values, as the
  /// `escape` filter writes it; for pages built outside templates.
  public var htmlEscaped: String { HTMLFilters.escape(self, once: false) }
}
