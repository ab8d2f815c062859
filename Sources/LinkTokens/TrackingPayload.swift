/// What an open pixel or a tracked link says about itself, before signing.
/// The host signs the text (`LinkSigner`), and the intake verifies it and
/// decodes it back, so a click only ever leads to a URL that was in the
/// message, with the tags the template gave it.
public enum TrackingPayload: Sendable, Hashable {
  case open(memberID: Int64, instanceID: Int64, step: String)
  case click(memberID: Int64, instanceID: Int64, step: String, url: String, tags: [String])

  /// `o.MEMBER.INSTANCE.STEP` or `c.MEMBER.INSTANCE.STEP.URL.TAGS`; text parts
  /// in URL-safe base64 so the result is one URL path segment without dots
  /// inside its parts.
  public var text: String {
    switch self {
    case .open(let member, let instance, let step):
      return "o.\(member).\(instance).\(TokenPart.encode(step))"
    case .click(let member, let instance, let step, let url, let tags):
      let tagText = tags.joined(separator: ",")
      return
        "c.\(member).\(instance).\(TokenPart.encode(step)).\(TokenPart.encode(url)).\(TokenPart.encode(tagText))"
    }
  }

  /// Parses `text`; nil for anything not produced by `text`.
  public init?(text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 4, let member = Int64(parts[1]), let instance = Int64(parts[2]),
      let step = TokenPart.decode(parts[3])
    else { return nil }
    switch (parts[0], parts.count) {
    case ("o", 4):
      self = .open(memberID: member, instanceID: instance, step: step)
    case ("c", 6):
      guard let url = TokenPart.decode(parts[4]), let tags = TokenPart.decode(parts[5]) else {
        return nil
      }
      self = .click(
        memberID: member, instanceID: instance, step: step, url: url,
        tags: tags.split(separator: ",").map(String.init))
    default:
      return nil
    }
  }
}
