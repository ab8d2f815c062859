import Foundation
import HMACSigning

/// Webhook signatures as Shopify and WooCommerce send them:
/// `base64(HMAC-SHA256(secret, raw body))`.
enum Signatures {
  static func isValid(_ given: String?, body: [UInt8], secret: String) -> Bool {
    guard let given else { return false }
    let expected = Data(HMACSHA256.digest(key: Array(secret.utf8), message: body))
      .base64EncodedString()
    return HMACSHA256.constantTimeEqual(Array(given.utf8), Array(expected.utf8))
  }
}
