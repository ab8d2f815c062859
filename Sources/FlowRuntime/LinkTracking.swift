import LinkTokens
import Foundation

/// Rewrites a rendered HTML body for tracking: every `http(s)` link becomes a
/// signed click URL on the tracking host, and an open pixel goes before
/// `</body>`. A link may carry tags for the member who clicks it:
/// `<a href="https://shop.example.com/shoes" data-flow-tags="interest:shoes">`
/// (the attribute is removed from the sent HTML).
struct LinkTracking {
  /// The tracking host's base URL, without a trailing slash.
  let baseURL: String
  let sign: @Sendable (String) -> String

  init(baseURL: String, sign: @escaping @Sendable (String) -> String) {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    self.baseURL = base
    self.sign = sign
  }

  func rewrite(
    _ html: String, memberID: Int64, instanceID: Int64, step: String, keeping untouched: Set<String>
  ) -> String {
    var out = HTMLAttributes.rewriteTags("a", in: html) { anchor in
      let tags = anchor.remove("data-flow-tags").map {
        $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
      }
      guard let href = anchor.value("href"), !untouched.contains(href),
        href.hasPrefix("https://") || href.hasPrefix("http://")
      else { return }
      let payload = TrackingPayload.click(
        memberID: memberID, instanceID: instanceID, step: step, url: href, tags: tags ?? [])
      anchor.set("href", "\(baseURL)/c/\(sign(payload.text))")
    }
    let pixelToken = sign(
      TrackingPayload.open(memberID: memberID, instanceID: instanceID, step: step).text)
    let pixel =
      "<img src=\"\(baseURL)/o/\(pixelToken).gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">"
    if let bodyEnd = out.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
      out.insert(contentsOf: pixel, at: bodyEnd.lowerBound)
    } else {
      out += pixel
    }
    return out
  }
}
