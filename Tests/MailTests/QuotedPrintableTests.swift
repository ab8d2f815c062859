import Testing

@testable import Mail

@Suite struct QuotedPrintableTests {
  static func encode(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBufferPointer { QuotedPrintable.encode($0, to: &out) }
    return out
  }

  static func normalised(_ text: String) -> [UInt8] {
    Array(
      text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        .replacingOccurrences(of: "\n", with: "\r\n").utf8)
  }

  @Test(arguments: [
    "a=b==c=",
    "trailing spaces   \nand tabs\t\t\nend ",
    String(repeating: "0123456789", count: 30),
    String(repeating: "=", count: 100),
    String(repeating: "é", count: 90) + "\n" + String(repeating: "中文", count: 40),
    "mixed\r\nbreaks\rhere\nand\r\n\r\nblank",
    String(repeating: "x", count: 75) + " \n" + String(repeating: "y", count: 74) + "=",
    "\u{0}\u{1}ctl\u{7F}",
    "",
    " ",
    String(repeating: "a ", count: 100),
  ])
  func roundTrip(input: String) throws {
    let encoded = Self.encode(input)
    let decoded = try #require(decodeQuotedPrintable(encoded))
    #expect(decoded == Self.normalised(input))
    for line in encoded.split(separator: 0x0A, omittingEmptySubsequences: false) {
      let content = line.last == 0x0D ? line.dropLast() : line[...]
      #expect(content.count <= 76)
      #expect(content.last != 0x20 && content.last != 0x09, "no trailing whitespace")
      #expect(content.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 })
    }
  }

  @Test func softBreaksFillLinesExactly() {
    let encoded = String(decoding: Self.encode(String(repeating: "x", count: 200)), as: UTF8.self)
    let lines = encoded.components(separatedBy: "\r\n")
    #expect(lines.map(\.count) == [76, 76, 50])
    #expect(lines[0].hasSuffix("="))
  }

  @Test func exactFits() {
    #expect(Self.encode(String(repeating: "x", count: 76)).count == 76)
    #expect(String(decoding: Self.encode("a=b c \n"), as: UTF8.self) == "a=3Db c=20\r\n")
  }
}
