// Small helpers for building messages as UTF-8 bytes. The hot paths work on
// `[UInt8]` and unsafe buffers rather than `String`, which keeps rendering
// a typical message in the low microseconds.

/// ASCII byte constants used throughout the writer.
enum ASCII {
  static let tab: UInt8 = 0x09
  static let lf: UInt8 = 0x0A
  static let cr: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let hyphen: UInt8 = 0x2D
  static let equals: UInt8 = 0x3D
  static let question: UInt8 = 0x3F
  static let backslash: UInt8 = 0x5C
  static let underscore: UInt8 = 0x5F
  static let lessThan: UInt8 = 0x3C
  static let greaterThan: UInt8 = 0x3E

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
