// Content-Transfer-Encoding for the text parts: pick the cheapest encoding
// that survives any SMTP hop, and write it with CRLF line endings.

/// A body transfer encoding (RFC 2045 §6).
enum TransferEncoding: Equatable {
  case sevenBit, quotedPrintable, base64

  /// The header value, e.g. `quoted-printable`.
  var headerValue: StaticString {
    switch self {
    case .sevenBit: return "7bit"
    case .quotedPrintable: return "quoted-printable"
    case .base64: return "base64"
    }
  }

  /// The longest line written as 7bit; longer lines go quoted-printable so
  /// the message stays within the 78-column recommendation of RFC 5322.
  static let sevenBitLineLimit = 78

  /// Facts about a body gathered in one pass.
  struct Profile {
    var nonASCII = 0
    /// Bytes that quoted-printable escapes: non-ASCII, `=`, controls.
    var escaped = 0
    var longestLine = 0
    var lineCount = 1
    /// A line break other than CRLF, which needs normalising.
    var hasBareBreak = false
    /// A line ending in SP or HTAB, which some relays strip.
    var hasTrailingBlank = false
    /// Any `-` at all: only then can a boundary delimiter hide in the body.
    var hasHyphen = false
  }

  /// Scans a body once.
  static func profile(_ body: UnsafeBufferPointer<UInt8>) -> Profile {
    var p = Profile()
    var lineStart = 0
    var index = 0
    let count = body.count
    while index < count {
      if index + 8 <= count {
        let word = SWAR.load(body, index)
        if SWAR.isPlainPrintable(word) && !SWAR.hasByte(word, ASCII.hyphen) {
          index += 8
          continue
        }
      }
      let byte = body[index]
      if byte >= 0x80 {
        p.nonASCII &+= 1
        p.escaped &+= 1
      } else if byte == ASCII.cr || byte == ASCII.lf {
        let length = index - lineStart
        if length > p.longestLine { p.longestLine = length }
        if length > 0 && ASCII.isBlank(body[index - 1]) { p.hasTrailingBlank = true }
        p.lineCount &+= 1
        if byte == ASCII.cr && index + 1 < count && body[index + 1] == ASCII.lf {
          index += 1
        } else {
          p.hasBareBreak = true
        }
        lineStart = index + 1
      } else if byte == ASCII.equals || (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F {
        p.escaped &+= 1
      } else if byte == ASCII.hyphen {
        p.hasHyphen = true
      }
      index += 1
    }
    let length = count - lineStart
    if length > p.longestLine { p.longestLine = length }
    if length > 0 && ASCII.isBlank(body[count - 1]) { p.hasTrailingBlank = true }
    return p
  }

  /// Chooses 7bit for short ASCII lines, otherwise quoted-printable, or
  /// base64 when the text is mostly non-ASCII (such as Chinese) and base64
  /// is smaller. Bodies containing the boundary are always base64, whose
  /// alphabet has no `-`, so no line can start with a delimiter.
  static func choose(
    for body: UnsafeBufferPointer<UInt8>, profile p: Profile, boundary: [UInt8]
  ) -> TransferEncoding {
    if p.hasHyphen && contains(body, boundary) { return .base64 }
    if p.escaped == 0 && p.longestLine <= sevenBitLineLimit && !p.hasTrailingBlank {
      return .sevenBit
    }
    // Estimated sizes with CRLF normalisation and line breaks included.
    let plain = body.count + p.lineCount
    let qp = plain + 2 * p.escaped + 3 * (plain / 73)
    let b64 = (plain + 2) / 3 * 4
    let b64Lines = b64 + 2 * (b64 / 76 + 1)
    // Base64 only for mostly non-ASCII text (Chinese, emoji): for Latin text
    // with a few accents, quoted-printable stays readable to people and filters.
    let mostlyNonASCII = p.nonASCII * 2 >= body.count
    return mostlyNonASCII && b64Lines < qp ? .base64 : .quotedPrintable
  }

  /// Appends `body` in `encoding`, converting CR, LF and CRLF to CRLF.
  static func append(
    _ body: UnsafeBufferPointer<UInt8>, encoding: TransferEncoding, profile: Profile,
    to out: inout [UInt8]
  ) {
    switch encoding {
    case .sevenBit:
      if profile.hasBareBreak {
        appendNormalisingBreaks(body, to: &out)
      } else {
        out.append(contentsOf: body)
      }
    case .quotedPrintable:
      QuotedPrintable.encode(body, to: &out)
    case .base64:
      if profile.hasBareBreak {
        var normalised: [UInt8] = []
        normalised.reserveCapacity(body.count + profile.lineCount)
        appendNormalisingBreaks(body, to: &normalised)
        normalised.withUnsafeBufferPointer { Base64.encode($0, to: &out) }
      } else {
        Base64.encode(body, to: &out)
      }
    }
  }

  /// Copies bytes, rewriting lone CR, lone LF and CRLF as CRLF.
  static func appendNormalisingBreaks(_ body: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let count = body.count
    out.appendUnsafe(maxCount: 2 * count) { dst in
      var written = 0
      var index = 0
      while index < count {
        let byte = body[index]
        if byte == 0x0D || byte == 0x0A {
          if byte == 0x0D && index + 1 < count && body[index + 1] == 0x0A { index += 1 }
          dst[written] = 0x0D
          dst[written + 1] = 0x0A
          written += 2
        } else {
          dst[written] = byte
          written += 1
        }
        index += 1
      }
      return written
    }
  }

  /// True when `needle` occurs anywhere in `haystack`.
  static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first {
        var offset = 1
        while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
        if offset == needle.count { return true }
      }
      index += 1
    }
    return false
  }
}

/// Quoted-printable (RFC 2045 §6.7) with CRLF hard breaks.
enum QuotedPrintable {
  /// Encoded lines, including a trailing `=` soft break, stay within this.
  static let lineLimit = 76

  /// Appends the encoding of `body`. CR, LF and CRLF become hard CRLF breaks;
  /// `=`, controls and non-ASCII become `=XX`; SP or HTAB before a break or
  /// at the end is encoded so relays cannot strip it; long lines get `=`
  /// soft breaks so no encoded line exceeds 76 characters.
  static func encode(_ body: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let count = body.count
    // Worst case: every byte escaped (3), plus a soft break (3) per 25
    // escaped bytes, or a bare LF growing into CRLF.
    let bound = 3 * count + 3 * (count / 24 + 1) + 2
    out.appendUnsafe(maxCount: bound) { dst in
      var written = 0
      var column = 0
      var index = 0
      let hex: StaticString = "0123456789ABCDEF"
      let digits = hex.utf8Start
      while index < count {
        // Fast path: eight printable bytes that fit on the line and are not
        // followed by a line end (so none is trailing whitespace).
        if index + 9 <= count && column + 8 <= lineLimit - 1 {
          let word = SWAR.load(body, index)
          let after = body[index + 8]
          if SWAR.isPlainPrintable(word) && after != 0x0D && after != 0x0A {
            UnsafeMutableRawPointer(dst + written).storeBytes(of: word, as: UInt64.self)
            written += 8
            column += 8
            index += 8
            continue
          }
        }
        let byte = body[index]
        if byte == 0x0D || byte == 0x0A {
          if byte == 0x0D && index + 1 < count && body[index + 1] == 0x0A { index += 1 }
          dst[written] = 0x0D
          dst[written + 1] = 0x0A
          written += 2
          column = 0
          index += 1
          continue
        }
        let next = index + 1
        let endsLine = next == count || body[next] == 0x0D || body[next] == 0x0A
        let literal =
          (byte >= 0x21 && byte <= 0x7E && byte != 0x3D)
          || ((byte == 0x20 || byte == 0x09) && !endsLine)
        let width = literal ? 1 : 3
        // The last character of a line may use column 76; any other must
        // leave room for the `=` of a soft break.
        if column + width > (endsLine ? lineLimit : lineLimit - 1) {
          dst[written] = 0x3D
          dst[written + 1] = 0x0D
          dst[written + 2] = 0x0A
          written += 3
          column = 0
        }
        if literal {
          dst[written] = byte
          written += 1
        } else {
          dst[written] = 0x3D
          dst[written + 1] = digits[Int(byte >> 4)]
          dst[written + 2] = digits[Int(byte & 0x0F)]
          written += 3
        }
        column += width
        index += 1
      }
      return written
    }
  }
}

/// Base64 (RFC 2045 §6.8) in 76-character CRLF-separated lines.
enum Base64 {
  /// Appends the encoding of `bytes`; `lineLength` 0 writes a single line.
  static func encode(
    _ bytes: UnsafeBufferPointer<UInt8>, lineLength: Int = 76, to out: inout [UInt8]
  ) {
    let count = bytes.count
    let encoded = (count + 2) / 3 * 4
    let bound = encoded + (lineLength > 0 ? 2 * (encoded / lineLength + 1) : 0)
    out.appendUnsafe(maxCount: bound) { dst in
      let table: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      let symbols = table.utf8Start
      var written = 0
      var column = 0
      var index = 0
      while index < count {
        if lineLength > 0 && column == lineLength {
          dst[written] = 0x0D
          dst[written + 1] = 0x0A
          written += 2
          column = 0
        }
        let b0 = UInt32(bytes[index])
        let b1 = index + 1 < count ? UInt32(bytes[index + 1]) : 0
        let b2 = index + 2 < count ? UInt32(bytes[index + 2]) : 0
        let group = b0 << 16 | b1 << 8 | b2
        dst[written] = symbols[Int(group >> 18 & 0x3F)]
        dst[written + 1] = symbols[Int(group >> 12 & 0x3F)]
        dst[written + 2] = index + 1 < count ? symbols[Int(group >> 6 & 0x3F)] : 0x3D
        dst[written + 3] = index + 2 < count ? symbols[Int(group & 0x3F)] : 0x3D
        written += 4
        column += 4
        index += 3
      }
      return written
    }
  }
}
