import Foundation
import Testing

@testable import Mail

@Suite struct MIMEWriterTests {
  static let boundary = "=_flowc_b1"

  @Test(arguments: [
    ("plain-ascii.eml", Samples.plainASCII),
    ("chinese.eml", Samples.chinese),
    ("long-line.eml", Samples.longLine),
  ])
  func golden(name: String, message: MailMessage) throws {
    try expectGolden(MIMEWriter.render(message, boundary: Self.boundary), named: name)
  }

  @Test(arguments: [Samples.plainASCII, Samples.chinese, Samples.longLine])
  func linesEndWithCRLFAndStayShort(message: MailMessage) {
    let bytes = MIMEWriter.render(message, boundary: Self.boundary)
    let lines = crlfLines(bytes)
    // Headers fold to 78 columns; encoded bodies stay within 76.
    for line in lines { #expect(line.count <= 78, "\(String(decoding: line, as: UTF8.self))") }
    #expect(bytes.allSatisfy { $0 < 0x80 }, "the message is 7-bit clean")
  }

  @Test func renderingIsDeterministic() {
    let first = MIMEWriter.render(Samples.chinese, boundary: "x")
    #expect(MIMEWriter.render(Samples.chinese, boundary: "x") == first)
  }

  @Test func headerOrderAndValues() {
    let fields = headerFields(MIMEWriter.render(Samples.plainASCII, boundary: "b"))
    #expect(
      fields.map(\.name) == [
        "From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
        "List-Unsubscribe", "List-Unsubscribe-Post", "X-Flow", "X-Flow-Step",
      ])
    let value = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(value["From"] == " Shop News <news@shop.example.com>")
    #expect(value["Reply-To"] == " help@shop.example.com")
    #expect(value["Date"] == " Sun, 12 Jan 1997 12:00:00 +0000")
    #expect(value["Message-ID"] == " <abc123@shop.example.com>")
    #expect(
      value["List-Unsubscribe"]
        == " <https://shop.example.com/u/abc123>, <mailto:unsubscribe@shop.example.com?subject=unsubscribe>"
    )
    #expect(value["List-Unsubscribe-Post"] == " List-Unsubscribe=One-Click")
    #expect(value["Content-Type"] == " multipart/alternative; boundary=\"b\"")
  }

  @Test func oneClickNeedsAnHTTPSURL() {
    var message = Samples.plainASCII
    message.listUnsubscribeURL = nil
    var names = headerFields(MIMEWriter.render(message, boundary: "b")).map(\.name)
    #expect(names.contains("List-Unsubscribe"))
    #expect(!names.contains("List-Unsubscribe-Post"))
    message.listUnsubscribeMailto = nil
    names = headerFields(MIMEWriter.render(message, boundary: "b")).map(\.name)
    #expect(!names.contains("List-Unsubscribe"))
  }

  @Test func headerInjectionIsStripped() {
    var message = Samples.plainASCII
    message.subject = "Hi\r\nBcc: victim@example.com"
    message.from = MailAddress(email: "a@b.example\r\nX-Evil: 1", displayName: "Eve\nX-Evil: 2")
    message.extraHeaders = [
      MailHeader("X-Flow\r\nX-Evil", "v\rX-Evil: 3"),
      MailHeader("Content-Type", "text/plain"),
    ]
    message.messageID = "id@x\r\nX-Evil: 4"
    let bytes = MIMEWriter.render(message, boundary: "b")
    let fields = headerFields(bytes)
    #expect(!fields.contains { $0.name.hasPrefix("X-Evil") || $0.name == "Bcc" })
    #expect(fields.filter { $0.name == "Content-Type" }.count == 1)
    #expect(fields.first { $0.name == "Subject" }?.value == " Hi Bcc: victim@example.com")
    _ = crlfLines(bytes)
  }

  @Test func displayNamesWithSpecialsAreQuoted() {
    var message = Samples.plainASCII
    message.to = MailAddress(email: "o@example.org", displayName: "O'Brien, \"Pat\" \\ Co.")
    let to = headerFields(MIMEWriter.render(message, boundary: "b")).first { $0.name == "To" }
    #expect(to?.value == #" "O'Brien, \"Pat\" \\ Co." <o@example.org>"#)
  }

  /// Every encoded-word is at most 75 characters and decodes to valid UTF-8
  /// on its own, so no word splits a UTF-8 sequence.
  @Test(arguments: [
    "欢迎加入我们的会员计划 🎉 本周精选商品已经为您准备好了，快来看看吧！",
    String(repeating: "👩‍👩‍👧‍👦", count: 30),
    "Café crème brûlée — très délicieux, à bientôt! " + String(repeating: "é", count: 100),
    "Price =?utf-8?Q?x?= looks like an encoded word",
  ])
  func encodedWordsAreShortAndWhole(subject: String) throws {
    var message = Samples.plainASCII
    message.subject = subject
    message.to.displayName = subject
    let fields = headerFields(MIMEWriter.render(message, boundary: "b"))
    for name in ["Subject", "To"] {
      let value = try #require(fields.first { $0.name == name }?.value)
      var decoded = ""
      for token in value.split(separator: " ") {
        guard token.hasPrefix("=?"), token.hasSuffix("?=") else {
          if !token.hasPrefix("<") { decoded += token }
          continue
        }
        #expect(token.count <= 75, "\(token)")
        let parts = token.split(separator: "?", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        let bytes: [UInt8]
        if parts[2] == "B" {
          bytes = [UInt8](try #require(Data(base64Encoded: String(parts[3]))))
        } else {
          let q = Array(String(parts[3]).replacingOccurrences(of: "_", with: " ").utf8)
          bytes = try #require(decodeQuotedPrintable(q))
        }
        // Each word must be valid UTF-8 by itself.
        let piece = try #require(String(validating: bytes, as: UTF8.self))
        decoded += piece
      }
      #expect(
        decoded.replacingOccurrences(of: " ", with: "")
          == subject.replacingOccurrences(of: " ", with: ""))
    }
  }

  @Test func bodyContainingTheBoundaryIsBase64() {
    var message = Samples.plainASCII
    message.text = "before\n--sep\nafter"
    let text = String(decoding: MIMEWriter.render(message, boundary: "sep"), as: UTF8.self)
    #expect(
      text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"))
    #expect(!text.contains("\r\n--sep\r\nafter"))
  }

  @Test func encodingChoice() {
    func encoding(_ text: String) -> String {
      var message = Samples.plainASCII
      message.text = text
      let rendered = String(decoding: MIMEWriter.render(message, boundary: "b"), as: UTF8.self)
      let part = rendered.components(separatedBy: "Content-Type: text/plain; charset=utf-8\r\n")[1]
      return part.components(separatedBy: "\r\n")[0]
    }
    #expect(encoding("short ascii\nlines") == "Content-Transfer-Encoding: 7bit")
    #expect(encoding("a = b") == "Content-Transfer-Encoding: quoted-printable")
    #expect(encoding("trailing \nspace") == "Content-Transfer-Encoding: quoted-printable")
    #expect(
      encoding(String(repeating: "x", count: 100)) == "Content-Transfer-Encoding: quoted-printable")
    // Latin text with a few accents stays readable even when base64 is smaller.
    #expect(encoding("Grüße aus Köln") == "Content-Transfer-Encoding: quoted-printable")
    #expect(encoding("感谢您加入我们的会员计划。") == "Content-Transfer-Encoding: base64")
  }

  @Test(
    arguments: [
      (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
      (853_070_400, "Sun, 12 Jan 1997 12:00:00 +0000"),
      (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
      (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 +0000"),
      (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 +0000"),
      (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
      (-2_208_988_800, "Mon, 01 Jan 1900 00:00:00 +0000"),
    ] as [(Int64, String)])
  func dateHeader(seconds: Int64, expected: String) {
    var out: [UInt8] = []
    DateHeader.append(epochSeconds: seconds, to: &out)
    #expect(String(decoding: out, as: UTF8.self) == expected)
  }

  @Test func dateHeaderAgreesWithFoundationAcrossCenturies() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    var seconds: Int64 = -5_000_000_000
    while seconds < 10_000_000_000 {
      let c = DateHeader.civil(fromEpochSeconds: seconds)
      let parts = calendar.dateComponents(
        [.year, .month, .day, .weekday, .hour, .minute, .second],
        from: Date(timeIntervalSince1970: TimeInterval(seconds)))
      #expect(
        [c.year, c.month, c.day, c.weekday + 1, c.hour, c.minute, c.second]
          == [
            parts.year, parts.month, parts.day, parts.weekday, parts.hour, parts.minute,
            parts.second,
          ]
          .map { $0 ?? -1 }, "\(seconds)")
      seconds += 86_400 * 37 + 3_601
    }
  }
}
