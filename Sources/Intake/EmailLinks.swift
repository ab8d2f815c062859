import Foundation
import HTTPTypes
import LinkTokens
import MemberStore

extension IntakeRouter {
  /// `GET /o/TOKEN.gif`, `GET /c/TOKEN`, `GET` and `POST /u/TOKEN`; nil for other paths.
  ///
  /// People reach these from emails, so a bad token answers the HTML
  /// `invalid_link` page (a broken pixel still gets its image), not JSON.
  func linkResponse(_ request: HTTPRequest) -> HTTPResponse? {
    guard let link = EmailLink.allCases.first(where: { request.path.hasPrefix($0.rawValue) })
    else { return nil }
    let token = String(request.path.dropFirst(link.rawValue.count))
    guard link.methods.contains(request.method) else {
      return .methodNotAllowed(link.rawValue, method: request.method, accepts: link.methods)
    }
    switch link {
    case .open: return open(token)
    case .click: return click(token)
    case .unsubscribe: return unsubscribe(request, token: token)
    }
  }

  /// Records the open when the token is good and always answers the image:
  /// mail clients show a broken one otherwise.
  private func open(_ file: String) -> HTTPResponse {
    if file.hasSuffix(".gif"), let text = services.signer.verify(String(file.dropLast(4))),
      case .open(let memberID, let instanceID, let step)? = TrackingPayload(text: text)
    {
      // A failed write loses one open; the reader's image matters more.
      _ = try? recordMailEvent(
        "email_opened", memberID: memberID, instanceID: instanceID, step: step)
    }
    return HTTPResponse(
      status: 200,
      headers: ["Content-Type": "image/gif", "Cache-Control": "no-store, private"],
      body: Self.transparentGIF)
  }

  /// Records the click, gives the member the link's tags and redirects to
  /// the URL inside the verified token; nothing else is ever a redirect target.
  private func click(_ token: String) -> HTTPResponse {
    guard let text = services.signer.verify(token),
      case .click(let memberID, let instanceID, let step, let url, let tags)? = TrackingPayload(
        text: text),
      Self.isRedirectTarget(url)
    else { return page(.invalidLink, status: 400) }
    // As with opens, the reader still gets where they were going if the write fails.
    _ = try? recordMailEvent(
      "email_clicked", memberID: memberID, instanceID: instanceID, step: step,
      extra: ["url": url], tags: tags)
    return HTTPResponse(status: 302, headers: ["Location": url, "Cache-Control": "no-store"])
  }

  /// GET shows the confirmation page and changes nothing (link scanners
  /// prefetch); POST, from its button or an RFC 8058 one-click, unsubscribes.
  /// Any POST body is taken: the signed token is what authorizes it.
  private func unsubscribe(_ request: HTTPRequest, token: String) -> HTTPResponse {
    guard let payload = services.signer.verify(token), payload.hasPrefix("u."),
      let tokenMember = Int64(payload.dropFirst(2))
    else { return page(.invalidLink, status: 400) }
    let now = clock()
    let member: MemberRecord?
    do {
      member = try write { store, _ -> MemberRecord? in
        guard let member = try Self.survivor(of: tokenMember, in: store) else { return nil }
        // Already unsubscribed: a repeated POST answers the same and stores nothing.
        if request.method == "POST",
          try store.consentStatus(memberID: member.id, channel: "email", at: now)
            != ConsentStatus.unsubscribed
        {
          try store.recordConsent(
            memberID: member.id, channel: "email", status: ConsentStatus.unsubscribed,
            source: "link:unsubscribe", occurredAt: now, recordedAt: now,
            evidence: "POST /u/ from \(settings.clientAddress(of: request)) at \(isoTime(now))")
          // So flows see it (and can end on it) as for any other unsubscribe.
          _ = try store.appendEvent(
            memberID: member.id, name: "unsubscribed", occurredAt: now, payload: "{}",
            externalID: nil)
        }
        return member
      }
    } catch {
      return error.response
    }
    guard let member else { return page(.invalidLink, status: 400) }
    return page(
      request.method == "POST" ? .unsubscribed : .unsubscribe, status: 200, locale: member.locale,
      email: member.email, values: ["action_url": services.link("/u/" + token)])
  }

  /// Appends a mail event (`flow` from the instance, `step` from the token)
  /// and adds `tags`, on the member the token names or the one it was merged
  /// into. Stores nothing when the member or the instance no longer exists
  /// (a preview, a deleted member).
  private func recordMailEvent(
    _ name: String, memberID: Int64, instanceID: Int64, step: String,
    extra: [String: String] = [:], tags: [String] = []
  ) throws(Refusal) {
    let now = clock()
    try write { store, _ in
      guard let member = try Self.survivor(of: memberID, in: store),
        let instance = try store.instance(id: instanceID)
      else { return }
      let fields = extra.merging(["flow": instance.flow, "step": step]) { _, new in new }
      let data = try JSONSerialization.data(
        withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
      _ = try store.appendEvent(
        memberID: member.id, name: name, occurredAt: now,
        payload: String(decoding: data, as: UTF8.self), externalID: nil)
      for tag in tags { try store.setTag(tag, memberID: member.id, present: true, at: now) }
    }
  }

  /// The member `id` names, following merges to the one that absorbed it.
  static func survivor(of id: Int64, in store: SQLiteFlowStore) throws -> MemberRecord? {
    var id = id
    // Bounded, so a damaged merge chain cannot loop.
    for _ in 0..<16 {
      guard let next = try store.mergedInto(memberID: id) else { return try store.member(id: id) }
      id = next
    }
    return nil
  }

  /// http(s) only, and nothing that could break out of the `Location` header.
  private static func isRedirectTarget(_ url: String) -> Bool {
    (url.hasPrefix("https://") || url.hasPrefix("http://"))
      && !url.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }

  /// A 1x1 transparent GIF89a: two-colour palette, transparency extension,
  /// one LZW-coded pixel (clear, 0, end), 43 bytes.
  static let transparentGIF: [UInt8] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
  ]
}

/// The link kinds an email carries, by path prefix, and the methods each takes.
private enum EmailLink: String, CaseIterable {
  case open = "/o/"
  case click = "/c/"
  case unsubscribe = "/u/"

  var methods: [String] { self == .unsubscribe ? ["GET", "POST"] : ["GET"] }
}
