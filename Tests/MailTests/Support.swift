import Foundation
import Testing

@testable import Mail

/// `Tests/MailTests/Fixtures`, found from this file's path.
let fixturesDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()
  .appendingPathComponent("Fixtures")

/// Compares `bytes` with `Fixtures/<name>`. With `FLOW_UPDATE_GOLDENS=1`, or
/// when the file is missing, writes it instead (failing once when missing).
func expectGolden(
  _ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = fixturesDirectory.appendingPathComponent(name)
  let update = ProcessInfo.processInfo.environment["FLOW_UPDATE_GOLDENS"] == "1"
  if update || !FileManager.default.fileExists(atPath: url.path) {
    try Data(bytes).write(to: url)
    if !update {
      Issue.record("Recorded new baseline \(name)", sourceLocation: sourceLocation)
    }
    return
  }
  let expected = [UInt8](try Data(contentsOf: url))
  #expect(
    String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
    "differs from \(name); rerun with FLOW_UPDATE_GOLDENS=1 to accept",
    sourceLocation: sourceLocation)
  #expect(bytes == expected, sourceLocation: sourceLocation)
}

/// The message split at CRLF. Records an issue for a bare CR or LF, a line
/// over 998 octets or a missing final CRLF.
func crlfLines(
  _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) -> [[UInt8]] {
  var lines: [[UInt8]] = []
  var current: [UInt8] = []
  var index = 0
  while index < bytes.count {
    let byte = bytes[index]
    if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
      lines.append(current)
      current = []
      index += 2
      continue
    }
    if byte == 0x0D || byte == 0x0A {
      Issue.record("bare CR or LF at offset \(index)", sourceLocation: sourceLocation)
    }
    current.append(byte)
    index += 1
  }
  if !current.isEmpty { Issue.record("last line lacks CRLF", sourceLocation: sourceLocation) }
  for (number, line) in lines.enumerated() where line.count > 998 {
    Issue.record("line \(number + 1) has \(line.count) octets", sourceLocation: sourceLocation)
  }
  return lines
}

/// The header section, unfolded into (name, raw value) pairs.
func headerFields(_ bytes: [UInt8]) -> [(name: String, value: String)] {
  var fields: [(name: String, value: String)] = []
  for line in crlfLines(bytes) {
    if line.isEmpty { break }
    let text = String(decoding: line, as: UTF8.self)
    if line[0] == 0x20 || line[0] == 0x09 {
      fields[fields.count - 1].value += text
    } else if let colon = text.firstIndex(of: ":") {
      fields.append((String(text[..<colon]), String(text[text.index(after: colon)...])))
    }
  }
  return fields
}

/// Minimal quoted-printable decoder, independent of the encoder: soft breaks
/// vanish, `=XX` becomes a byte, CRLF stays.
func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8]? {
  func hex(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    default: return nil
    }
  }
  var out: [UInt8] = []
  var index = 0
  while index < bytes.count {
    let byte = bytes[index]
    if byte == 0x3D {
      guard index + 2 < bytes.count else { return nil }
      if bytes[index + 1] == 0x0D && bytes[index + 2] == 0x0A {
        index += 3
        continue
      }
      guard let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { return nil }
      out.append(high << 4 | low)
      index += 3
    } else {
      out.append(byte)
      index += 1
    }
  }
  return out
}

/// Example messages shared by the golden, property and cross-check tests.
enum Samples {
  static let plainASCII = MailMessage(
    from: MailAddress(email: "news@shop.example.com", displayName: "Shop News"),
    to: MailAddress(email: "ada@example.org", displayName: "Ada Lovelace"),
    replyTo: MailAddress(email: "help@shop.example.com"),
    subject: "Your weekly picks, Ada",
    html: """
      <html><body>
      <p>Hello Ada,</p>
      <p>Here are this week's picks.</p>
      </body></html>
      """,
    text: "Hello Ada,\n\nHere are this week's picks.\n",
    date: 853_070_400,
    messageID: "abc123@shop.example.com",
    listUnsubscribeURL: "https://shop.example.com/u/abc123",
    listUnsubscribeMailto: "unsubscribe@shop.example.com?subject=unsubscribe",
    extraHeaders: [MailHeader("X-Flow", "weekly-picks"), MailHeader("X-Flow-Step", "send")])

  static let chinese = MailMessage(
    from: MailAddress(email: "news@shop.example.com", displayName: "小店 🛍️ Shop"),
    to: MailAddress(email: "wei@example.cn", displayName: "张伟"),
    subject: "欢迎加入我们的会员计划 🎉 本周精选商品已经为您准备好了，快来看看吧！",
    html: """
      <html><head><title>欢迎</title></head><body>
      <h1>欢迎，张伟！</h1>
      <p>感谢您加入我们的会员计划。我们为您准备了本周精选商品，包括新鲜水果、有机蔬菜和手工点心。</p>
      <p><a href="https://shop.example.com/zh/picks?id=42&amp;ref=mail">查看精选</a></p>
      </body></html>
      """,
    date: 1_700_000_000,
    messageID: "zh-42@shop.example.com",
    listUnsubscribeURL: "https://shop.example.com/u/zh42")

  static let longLine: MailMessage = {
    let paragraph =
      "Prices = value, 50% off <b>today</b>; naïve café \u{2014} ends soon. "
    return MailMessage(
      from: MailAddress(email: "news@shop.example.com", displayName: "Shop, Inc."),
      to: MailAddress(email: "ada@example.org"),
      subject:
        "A very long subject line that keeps going well past the seventy-eight column limit of RFC 5322 headers",
      html: "<table><tr><td>" + String(repeating: paragraph, count: 40) + "</td></tr></table>   ",
      text: String(repeating: paragraph, count: 40) + "  \ntrailing tab\t\nend",
      date: 1_735_689_599,
      messageID: "long@shop.example.com",
      listUnsubscribeMailto: "mailto:unsubscribe@shop.example.com",
      extraHeaders: [MailHeader("X-Flow", String(repeating: "segment ", count: 20))])
  }()
}
