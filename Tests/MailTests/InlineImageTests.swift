import Foundation
import Testing

@testable import Mail

/// Inline images: multipart/related around the alternatives, read back by
/// Python's `email` package.
@Suite struct InlineImageTests {
  static let script = #"""
    import json, sys
    from email import policy
    from email.parser import BytesParser
    with open(sys.argv[1], 'rb') as f:
        m = BytesParser(policy=policy.default).parse(f)
    defects = [str(d) for part in m.walk() for d in part.defects]
    images = [
        [p['Content-ID'], p.get_content_type(), p.get_filename(), list(p.get_content())]
        for p in m.walk() if p.get_content_maintype() == 'image'
    ]
    print(json.dumps({
        'type': m.get_content_type(), 'start_type': m.get_param('type'),
        'html': m.get_body(('html',)).get_content(),
        'text': m.get_body(('plain',)).get_content(),
        'images': images, 'defects': defects,
        'longest_line': max(len(l) for l in open(sys.argv[1], 'rb').read().split(b'\r\n')),
    }))
    """#

  @Test func pythonFindsTheImagesByContentID() throws {
    var message = Samples.plainASCII
    message.html = "<p>Hi</p><img src=\"cid:logo.png@flowc\" alt=\"Logo\">"
    message.text = nil
    let logo = (0..<300).map { UInt8($0 % 256) }
    message.inlineImages = [
      InlineImage(
        contentID: "logo.png@flowc", contentType: "image/png", filename: "logo.png", data: logo),
      InlineImage(
        contentID: "banner@flowc", contentType: "image/jpeg", filename: "bännér\".jpg",
        data: [0xFF, 0xD8]),
    ]
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("flowc-inline-\(UUID().uuidString).eml")
    try Data(MIMEWriter.render(message, boundary: "=_flowc_b2")).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", Self.script, file.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["type"] as? String == "multipart/related")
    #expect(json["start_type"] as? String == "multipart/alternative")
    #expect(json["defects"] as? [String] == [])
    #expect((json["html"] as? String)?.contains("cid:logo.png@flowc") == true)
    #expect((json["text"] as? String)?.contains("Hi") == true)
    #expect((json["longest_line"] as? Int ?? 999) <= 998)
    let images = try #require(json["images"] as? [[Any]])
    #expect(images.count == 2)
    #expect(images.first?[0] as? String == "<logo.png@flowc>")
    #expect(images.first?[1] as? String == "image/png")
    #expect(images.first?[2] as? String == "logo.png")
    #expect((images.first?[3] as? [Int]) == logo.map(Int.init))
    #expect(images.last?[2] as? String == "b__nn__r_.jpg")
  }

  @Test func withoutImagesTheMessageStaysAlternative() {
    let bytes = MIMEWriter.render(Samples.plainASCII, boundary: "b")
    #expect(String(decoding: bytes, as: UTF8.self).contains("Content-Type: multipart/alternative;"))
  }
}
