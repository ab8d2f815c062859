import COpenSSL
import Foundation

/// Where a DKIM signature comes from: `d=`, `s=` and the RSA private key's PEM file.
public struct DKIMSettings: Sendable, Hashable {
  public var domain: String
  public var selector: String
  public var privateKeyPath: String

  public init(domain: String, selector: String, privateKeyPath: String) {
    self.domain = domain
    self.selector = selector
    self.privateKeyPath = privateKeyPath
  }
}

/// Adds an RFC 6376 `DKIM-Signature` (rsa-sha256, relaxed/relaxed) to messages.
///
/// The key is read once; `sign` may be called from several threads at once,
/// each call using its own OpenSSL digest context.
public final class DKIMSigner: @unchecked Sendable {
  /// Signed when present, in this order. A message's own From must always be
  /// signed (RFC 6376 section 5.4); the rest fix what a reader sees.
  static let signedFields = [
    "from", "to", "subject", "date", "message-id", "mime-version", "content-type",
    "list-unsubscribe", "list-unsubscribe-post",
  ]

  public let settings: DKIMSettings
  private let key: OpaquePointer

  /// Loads the key; throws when the file is unreadable or not an RSA key of at least 1024 bits.
  public init(_ settings: DKIMSettings) throws {
    for (name, value) in [("domain", settings.domain), ("selector", settings.selector)] {
      let allowed = value.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
          || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
      }
      guard allowed, !value.isEmpty, !value.hasPrefix("."), !value.hasSuffix(".") else {
        throw DeliveryError("DKIM \(name) '\(value)' is not a domain name")
      }
    }
    guard let file = BIO_new_file(settings.privateKeyPath, "r") else {
      throw DeliveryError("cannot read the DKIM private key '\(settings.privateKeyPath)'")
    }
    defer { BIO_free(file) }
    guard let key = PEM_read_bio_PrivateKey(file, nil, nil, nil) else {
      ERR_clear_error()
      throw DeliveryError(
        "'\(settings.privateKeyPath)' holds no PEM private key (expected an RSA key)")
    }
    guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA, EVP_PKEY_get_bits(key) >= 1024 else {
      EVP_PKEY_free(key)
      throw DeliveryError(
        "'\(settings.privateKeyPath)' is not an RSA key of at least 1024 bits "
          + "(rsa-sha256 needs one)")
    }
    self.settings = settings
    self.key = key
  }

  deinit { EVP_PKEY_free(key) }

  /// The message with a `DKIM-Signature` field in front.
  public func sign(_ message: [UInt8]) -> [UInt8] {
    let (fields, bodyStart) = DKIMCanonical.split(message)
    let bodyHash = Self.sha256(DKIMCanonical.body(message[bodyStart...]))

    var names: [String] = []
    var signedInput: [UInt8] = []
    for name in Self.signedFields {
      // With several instances the last one is signed (section 5.4.2).
      guard let field = fields.last(where: { $0.lowercasedName == name }) else { continue }
      names.append(name)
      signedInput += DKIMCanonical.header(field.raw)
      signedInput += [0x0D, 0x0A]
    }
    var header = Array(
      ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
        + "\td=\(settings.domain); s=\(settings.selector);\r\n\th=\(Self.folded(names));\r\n"
        + "\tbh=\(Data(bodyHash).base64EncodedString());\r\n\tb=").utf8)
    // The signature covers its own field with an empty b= and no final CRLF.
    signedInput += DKIMCanonical.header(header)
    let signature = Data(rsaSHA256(signedInput)).base64EncodedString()
    var chunk = signature[...]
    while !chunk.isEmpty {
      header += chunk.prefix(72).utf8
      chunk = chunk.dropFirst(72)
      if !chunk.isEmpty { header += "\r\n\t".utf8 }
    }
    header += [0x0D, 0x0A]
    return header + message
  }

  /// `a:b:c`, folded before a name that would take the line past 78 octets.
  private static func folded(_ names: [String]) -> String {
    var text = ""
    var lineLength = 3  // the tab and "h="
    for (index, name) in names.enumerated() {
      if index > 0 {
        text += ":"
        lineLength += 1
        if lineLength + name.utf8.count + 1 > 78 {
          text += "\r\n\t"
          lineLength = 1
        }
      }
      text += name
      lineLength += name.utf8.count
    }
    return text
  }

  private static func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    bytes.withUnsafeBufferPointer { _ = SHA256($0.baseAddress, $0.count, &digest) }
    return digest
  }

  private func rsaSHA256(_ input: [UInt8]) -> [UInt8] {
    guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL: out of memory") }
    defer { EVP_MD_CTX_free(context) }
    var length = Int(EVP_PKEY_get_size(key))
    var signature = [UInt8](repeating: 0, count: length)
    let signed = input.withUnsafeBufferPointer { buffer in
      EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1
        && EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count) == 1
    }
    // Only a broken key or memory exhaustion gets here; the key was checked on load.
    guard signed else { fatalError("OpenSSL could not sign with the DKIM key") }
    return Array(signature.prefix(length))
  }
}
