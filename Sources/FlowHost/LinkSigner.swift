import COpenSSL
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
    // Compare in constant time so timing does not reveal a correct prefix.
    guard given.count == expected.count else { return nil }
    var difference: UInt8 = 0
    for (a, b) in zip(given, expected) { difference |= a ^ b }
    return difference == 0 ? payload : nil
  }

  private func signature(_ payload: String) -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let message = Array(payload.utf8)
    _ = key.withUnsafeBufferPointer { keyBuffer in
      message.withUnsafeBufferPointer { messageBuffer in
        HMAC(
          EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
          messageBuffer.count, &digest, &length)
      }
    }
    return Base64.encode(Array(digest.prefix(Int(length))), urlSafe: true, padded: false)
  }
}
