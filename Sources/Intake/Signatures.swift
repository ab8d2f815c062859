import COpenSSL
import Foundation

/// Webhook signatures as Shopify and WooCommerce send them:
/// `base64(HMAC-SHA256(secret, raw body))`.
enum Signatures {
  static func isValid(_ given: String?, body: [UInt8], secret: String) -> Bool {
    guard let given else { return false }
    let expected = Data(hmacSHA256(key: Array(secret.utf8), message: body)).base64EncodedString()
    return constantTimeEqual(Array(given.utf8), Array(expected.utf8))
  }

  /// Compares without stopping at the first difference, so the time taken
  /// does not reveal how much of a guess was right.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
  }

  static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    _ = key.withUnsafeBufferPointer { keyBuffer in
      message.withUnsafeBufferPointer { messageBuffer in
        HMAC(
          EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
          messageBuffer.count, &digest, &length)
      }
    }
    return Array(digest.prefix(Int(length)))
  }
}
