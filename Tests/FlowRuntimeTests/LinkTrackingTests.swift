import LinkTokens
import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct LinkTrackingTests {
  private let tracking = LinkTracking(baseURL: "https://t.example.com/", sign: { "\($0).sig" })

  private func click(_ url: String, tags: [String] = []) -> String {
    let payload = TrackingPayload.click(
      memberID: 7, instanceID: 3, step: "hello", url: url, tags: tags)
    return "https://t.example.com/c/\(payload.text).sig"
  }

  @Test func linksBecomeSignedClicksAndAPixelIsAdded() {
    let html = """
      <html><body><p><a href="https://shop.example.com/shoes?a=1&amp;b=2" data-flow-tags="interest:shoes, sale">Shoes</a>
      <A class='x' HREF='http://shop.example.com/'>Home</A> <a href="mailto:hi@example.com">Mail</a>
      <a href="https://shop.example.com/u/tok">Unsubscribe</a> <abbr>no link</abbr></p></body></html>
      """
    let out = tracking.rewrite(
      html, memberID: 7, instanceID: 3, step: "hello",
      keeping: ["https://shop.example.com/u/tok"])
    let pixel = TrackingPayload.open(memberID: 7, instanceID: 3, step: "hello").text
    #expect(
      out == """
        <html><body><p><a href="\(click("https://shop.example.com/shoes?a=1&b=2", tags: ["interest:shoes", "sale"]))">Shoes</a>
        <A class='x' HREF='\(click("http://shop.example.com/"))'>Home</A> <a href="mailto:hi@example.com">Mail</a>
        <a href="https://shop.example.com/u/tok">Unsubscribe</a> <abbr>no link</abbr></p>\
        <img src="https://t.example.com/o/\(pixel).sig.gif" width="1" height="1" alt="" style="display:block;border:0"></body></html>
        """)
  }

  @Test func payloadsRoundTripAndRejectOtherText() {
    let payloads: [TrackingPayload] = [
      .open(memberID: 1, instanceID: 2, step: "welcome_email"),
      .click(
        memberID: 12, instanceID: 99, step: "s", url: "https://x.example/a.b?c=d.e#f",
        tags: ["interest:shoes", "vip"]),
      .click(memberID: 1, instanceID: 1, step: "s", url: "https://例え.jp/パス", tags: []),
    ]
    for payload in payloads {
      #expect(TrackingPayload(text: payload.text) == payload)
    }
    for junk in ["", "o.1.2", "x.1.2.cw", "o.a.2.cw", "c.1.2.cw.!!.", "o.1.2.cw.extra"] {
      #expect(TrackingPayload(text: junk) == nil, "\(junk)")
    }
  }

  @Test func aSendCarriesTrackedLinksWhenTheShopHasATrackingURL() throws {
    let h = try Harness(
      """
      flow welcome {
        trigger member_joined
        send hello { template "t" subject "Hi" }
      }
      """,
      templates: [
        "t.html.liquid":
          "<body><a href=\"https://shop.example.com/new\">New</a> <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></body>"
      ], trackingURL: "https://t.example.com")
    let ann = try h.join("ann@example.com", at: utc(2024, 1, 1))
    try h.drain(until: utc(2024, 1, 2))
    let message = String(
      decoding: try #require(try h.store.pendingOutbox(limit: 1).first).message, as: UTF8.self
    )
    .replacingOccurrences(of: "=\r\n", with: "")
    let click = TrackingPayload.click(
      memberID: ann, instanceID: 1, step: "hello", url: "https://shop.example.com/new", tags: [])
    #expect(message.contains("https://t.example.com/c/tok.\(click.text)"))
    #expect(message.contains("https://t.example.com/u/tok.u.\(ann)"))
    #expect(message.contains("https://t.example.com/o/tok.o.\(ann).1."))
  }
}
