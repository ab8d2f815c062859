import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct InlineImageComposeTests {
  @Test func imagesBesideTheTemplatesTravelInline() throws {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        send hello { template "t" subject "Hi" }
      }
      """,
      templates: [
        "t.html.liquid":
          "<body><img src=\"images/logo.png\" alt=\"Logo\"><img src=\"images/logo.png\"><img src=\"https://cdn.example.com/x.png\"></body>"
      ], images: ["logo.png": [0x89, 0x50, 0x4E, 0x47], "notes.txt": [0x41]])
    try h.join("ann@example.com", at: utc(2024, 1, 1))
    try h.drain(until: utc(2024, 1, 2))
    let raw = String(
      decoding: try #require(try h.store.pendingOutbox(limit: 1).first).message, as: UTF8.self)
    let message = raw.replacingOccurrences(of: "=\r\n", with: "")  // quoted-printable soft breaks
    #expect(message.contains("Content-Type: multipart/related; type=\"multipart/alternative\";"))
    #expect(
      message.contains(
        "src=3D\"cid:logo.png@flowc\" alt=3D\"Logo\"><img src=3D\"cid:logo.png@flowc\">"))
    #expect(message.contains("src=3D\"https://cdn.example.com/x.png\""))
    #expect(message.components(separatedBy: "Content-ID: <logo.png@flowc>").count == 2)
    #expect(message.contains("Content-Type: image/png\r\nContent-Transfer-Encoding: base64"))
    #expect(raw.contains("\r\n\r\niVBORw==\r\n"))
  }
}
