/// `application/x-www-form-urlencoded`: what a plain HTML form posts, and the
/// form of a URL's query string.
public enum FormURLEncoded {
  /// `b=2&a=1&&bare` → [(b, 2), (a, 1), (bare, "")]: every pair in order,
  /// decoded; empty pairs are skipped, a name without `=` has an empty value.
  public static func parse(_ bytes: some Collection<UInt8>) -> [(name: String, value: String)] {
    bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
      guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { return (decode(pair), "") }
      return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
    }
  }

  /// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as is.
  private static func decode(_ text: some Collection<UInt8>) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(text)
    var index = 0
    while index < utf8.count {
      let byte = utf8[index]
      if byte == UInt8(ascii: "+") {
        bytes.append(UInt8(ascii: " "))
      } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
        let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 2
      } else {
        bytes.append(byte)
      }
      index += 1
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
