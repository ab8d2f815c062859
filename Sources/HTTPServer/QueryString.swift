/// Splitting a request target and decoding its query (`application/x-www-form-urlencoded`).
enum QueryString {
  /// `/a/b?x=1&y` → (`/a/b`, [(x, 1), (y, "")]); the path stays as sent.
  static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
    guard let mark = target.firstIndex(of: "?") else { return (target, []) }
    let path = String(target[..<mark])
    return (path, parse(target[target.index(after: mark)...]))
  }

  static func parse(_ query: Substring) -> [(name: String, value: String)] {
    query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      guard let equals = pair.firstIndex(of: "=") else { return (decode(pair), "") }
      return (decode(pair[..<equals]), decode(pair[pair.index(after: equals)...]))
    }
  }

  /// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as is.
  static func decode(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
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
