import HMACSigning
import Templates

/// Signs member-facing link tokens (unsubscribe, later click and open) with
/// HMAC-SHA256, so a token cannot be guessed or altered.
public struct LinkSigner: Sendable {
  private let key: [UInt8]

  public init(key: [UInt8]) {
    self.key = key
  }

  /// `"<payload>.<signature>"`, the signature URL-safe base64 without padding.
  public func token(for payload: String) -> String {
    "\(payload).\(signature(payload))"
  }

  /// The payload of a token whose signature is valid, else nil.
  public func verify(_ token: String) -> String? {
    guard let dot = token.lastIndex(of: ".") else { return nil }
    let payload = String(token[..<dot])
    let given = Array(token[token.index(after: dot)...].utf8)
    let expected = Array(signature(payload).utf8)
    return HMACSHA256.constantTimeEqual(given, expected) ? payload : nil
  }

  private func signature(_ payload: String) -> String {
    Base64.encode(
      HMACSHA256.digest(key: key, message: Array(payload.utf8)), urlSafe: true, padded: false)
  }
}
