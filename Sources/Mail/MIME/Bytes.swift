// Small helpers for building messages as UTF-8 bytes. The hot paths work on
// `[UInt8]` and unsafe buffers rather than `String`, which keeps rendering
// a typical message in the low microseconds.

/// ASCII byte constants used throughout the writer.
enum ASCII {
  @inline(__always) static var tab: UInt8 { 0x09 }
  @inline(__always) static var lf: UInt8 { 0x0A }
  @inline(__always) static var cr: UInt8 { 0x0D }
  @inline(__always) static var space: UInt8 { 0x20 }
  @inline(__always) static var quote: UInt8 { 0x22 }
  @inline(__always) static var hyphen: UInt8 { 0x2D }
  @inline(__always) static var equals: UInt8 { 0x3D }
  @inline(__always) static var question: UInt8 { 0x3F }
  @inline(__always) static var backslash: UInt8 { 0x5C }
  @inline(__always) static var underscore: UInt8 { 0x5F }
  @inline(__always) static var lessThan: UInt8 { 0x3C }
  @inline(__always) static var greaterThan: UInt8 { 0x3E }

  /// Upper-case hexadecimal digits, as quoted-printable requires.
  static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  /// True for SP and HTAB, the only whitespace allowed inside a header line.
  @inline(__always)
  static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

  /// True for `atext` (RFC 5322 §3.2.3): characters allowed unquoted in a phrase.
  static func isAtext(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
      UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
      UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"),
      UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
      UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
      return true
    default: return false
    }
  }
}

extension Array where Element == UInt8 {
  /// Appends the bytes of a string literal.
  @inline(__always)
  mutating func append(ascii literal: StaticString) {
    literal.withUTF8Buffer { append(contentsOf: $0) }
  }

  /// Lets `body` write at most `maxCount` bytes straight into the array's
  /// storage and keeps the number it returns. Per-byte `append` costs a
  /// uniqueness and capacity check each time; encoders use this instead.
  mutating func appendUnsafe(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    guard maxCount > 0 else { return }
    let start = count
    append(contentsOf: repeatElement(0, count: maxCount))
    let written = withUnsafeMutableBufferPointer { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      return body(base + start)
    }
    removeLast(maxCount - Swift.min(written, maxCount))
  }

  /// Appends CR LF.
  @inline(__always)
  mutating func appendCRLF() {
    append(ASCII.cr)
    append(ASCII.lf)
  }

  /// Appends `value` as decimal digits, left-padded with zeros to `width`.
  mutating func append(decimal value: Int, width: Int) {
    var rest = Swift.max(0, value)
    var divisor = 1
    var digits = 1
    while rest / divisor >= 10 {
      divisor *= 10
      digits += 1
    }
    for _ in digits..<Swift.max(digits, width) { append(0x30) }
    while divisor > 0 {
      append(UInt8(truncatingIfNeeded: 0x30 + rest / divisor))
      rest %= divisor
      divisor /= 10
    }
  }
}

/// Calls `body` with the UTF-8 bytes of `string`, copying only when the string
/// is not stored contiguously (bridged strings).
@inline(__always)
func withUTF8Bytes<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
  if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
  let copy = Array(string.utf8)
  return copy.withUnsafeBufferPointer(body)
}

/// Eight-bytes-at-a-time tests, so ASCII text is scanned without a branch
/// per byte.
enum SWAR {
  @inline(__always) static var ones: UInt64 { 0x0101_0101_0101_0101 }
  @inline(__always) static var highs: UInt64 { 0x8080_8080_8080_8080 }

  /// True when some byte of `word` is zero.
  @inline(__always)
  static func hasZeroByte(_ word: UInt64) -> Bool {
    (word &- ones) & ~word & highs != 0
  }

  /// True when some byte of `word` equals `byte`.
  @inline(__always)
  static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    hasZeroByte(word ^ (ones &* UInt64(byte)))
  }

  /// True when some byte of `word` is below `limit` (at most 128).
  @inline(__always)
  static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
    (word &- ones &* UInt64(limit)) & ~word & highs != 0
  }

  /// True when every byte is printable ASCII other than `=` (0x20...0x7E).
  @inline(__always)
  static func isPlainPrintable(_ word: UInt64) -> Bool {
    word & highs == 0 && !hasByteBelow(word, 0x20) && !hasByte(word, 0x3D) && !hasByte(word, 0x7F)
  }

  /// Loads eight bytes at `offset` without alignment requirements.
  @inline(__always)
  static func load(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
    UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped + offset).loadUnaligned(as: UInt64.self)
  }
}
