import Foundation
import Testing

@testable import Mail

/// Reads rendered messages back with Python's `email` package, an
/// independent and strict MIME implementation.
@Suite struct PythonCrossCheckTests {
  static let script = #"""
    import json, sys
    from email import policy
    from email.parser import BytesParser
    with open(sys.argv[1], 'rb') as f:
        m = BytesParser(policy=policy.default).parse(f)
    def box(h):
        a = m[h].addresses[0]
        return [a.display_name, a.addr_spec]
    def body(kind):
        part = m.get_body((kind,))
        return part.get_content().replace('\r\n', '\n'), part['Content-Transfer-Encoding']
    text, text_cte = body('plain')
    html, html_cte = body('html')
    defects = [str(d) for d in m.defects]
    for part in m.walk():
        defects += [str(d) for d in part.defects]
    for name in ('subject', 'from', 'to'):
        defects += [str(d) for d in m[name].defects]
    print(json.dumps({
        'subject': str(m['subject']), 'from': box('from'), 'to': box('to'),
        'text': text, 'html': html, 'text_cte': text_cte, 'html_cte': html_cte,
        'content_type': m.get_content_type(), 'defects': defects,
        'list_unsubscribe': str(m['list-unsubscribe'] or ''),
    }))
    """#

  struct Parsed {
    var subject: String, from: [String], to: [String], text: String, html: String
    var defects: [String], contentType: String, listUnsubscribe: String
  }

  static func parse(_ message: [UInt8]) throws -> Parsed {
    let dir = FileManager.default.temporaryDirectory
    let file = dir.appendingPathComponent("flowc-mail-\(UUID().uuidString).eml")
    try Data(message).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, file.path]
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: errors, as: UTF8.self))")
    let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    return Parsed(
      subject: json["subject"] as? String ?? "?",
      from: json["from"] as? [String] ?? [],
      to: json["to"] as? [String] ?? [],
      text: json["text"] as? String ?? "?",
      html: json["html"] as? String ?? "?",
      defects: json["defects"] as? [String] ?? ["?"],
      contentType: json["content_type"] as? String ?? "?",
      listUnsubscribe: json["list_unsubscribe"] as? String ?? "?")
  }

  static func lf(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
  }

  @Test(arguments: [Samples.plainASCII, Samples.chinese, Samples.longLine])
  func pythonReadsBackWhatWeWrote(message: MailMessage) throws {
    let parsed = try Self.parse(MIMEWriter.render(message, boundary: "=_flowc_b1"))
    #expect(parsed.defects.isEmpty)
    #expect(parsed.contentType == "multipart/alternative")
    #expect(parsed.subject == message.subject)
    #expect(parsed.from == [message.from.displayName ?? "", message.from.email])
    #expect(parsed.to == [message.to.displayName ?? "", message.to.email])
    let text = message.text ?? HTMLText.plainText(fromHTML: message.html)
    #expect(parsed.text == Self.lf(text))
    #expect(parsed.html == Self.lf(message.html))
  }

  @Test func hostileAndAwkwardInputsStillParse() throws {
    var message = Samples.plainASCII
    message.subject =
      "Ünïcödé \"quotes\" (parens) <angles> =?utf-8?Q?fake?= \t tab\r\ninjected: yes"
    message.from = MailAddress(
      email: "sales@shop.example.com", displayName: "Sales; Dept. <Team> \"A\"")
    message.to = MailAddress(
      email: "x@example.org", displayName: "Zoë 🙂 " + String(repeating: "名", count: 60))
    message.text = "line one\r\nline = two \n\n" + String(repeating: "🙂", count: 200)
    message.html = "<p>" + String(repeating: "a", count: 2000) + "</p>\n--=_flowc_b1\n"
    let parsed = try Self.parse(MIMEWriter.render(message, boundary: "=_flowc_b1"))
    #expect(parsed.defects.isEmpty)
    #expect(
      parsed.subject == "Ünïcödé \"quotes\" (parens) <angles> =?utf-8?Q?fake?= \t tab injected: yes"
    )
    #expect(parsed.from == ["Sales; Dept. <Team> \"A\"", "sales@shop.example.com"])
    // A 180-byte name needs several encoded-words. RFC 2047 §6.2 says the
    // whitespace between adjacent encoded-words is dropped, but Python keeps
    // it inside a display name, so compare without spaces here.
    #expect(
      parsed.to.map { $0.replacingOccurrences(of: " ", with: "") }
        == [
          (message.to.displayName ?? "").replacingOccurrences(of: " ", with: ""), "x@example.org",
        ])
    #expect(parsed.text == Self.lf(message.text ?? ""))
    #expect(parsed.html == message.html)
    #expect(
      parsed.listUnsubscribe
        == "<https://shop.example.com/u/abc123>, <mailto:unsubscribe@shop.example.com?subject=unsubscribe>"
    )
  }
}
