import FlowIR
import MemberStore

/// Turns the keys a source writes into the identity keys the store matches on.
struct IdentityKeys {
  typealias InputError = IdentityResolver.InputError

  /// The international calling code of each default country the shop may set.
  static let callingCodes: [String: String] = [
    "US": "1", "CA": "1", "GB": "44", "IE": "353", "DE": "49", "AT": "43", "CH": "41",
    "FR": "33", "BE": "32", "NL": "31", "LU": "352", "ES": "34", "PT": "351", "IT": "39",
    "SE": "46", "NO": "47", "DK": "45", "FI": "358", "PL": "48", "CZ": "420", "GR": "30",
    "AU": "61", "NZ": "64", "JP": "81", "KR": "82", "CN": "86", "HK": "852", "TW": "886",
    "SG": "65", "IN": "91", "BR": "55", "MX": "52", "AR": "54", "ZA": "27", "AE": "971",
    "IL": "972", "TR": "90",
  ]

  /// Countries whose national numbers start with a trunk `0` that the
  /// international form drops (`020 7946 0018` is `+44 20 7946 0018`).
  /// Italy keeps its 0; Spain, Hong Kong and Singapore have none.
  static let trunkZeroCountries: Set<String> = [
    "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "SE", "NO", "FI", "AU", "NZ", "JP", "KR",
    "CN", "TW", "IN", "BR", "ZA", "AE", "IL", "TR",
  ]

  let ignoresPlusAddressing: Bool
  let country: String?

  /// Every key of a record, email first; throws for a record with none or a bad one.
  func keys(of input: MemberInput) throws(InputError) -> [IdentityKey] {
    var keys: [IdentityKey] = []
    if let email = nonEmpty(input.email) {
      let address = try Self.email(email)
      keys.append(IdentityKey(kind: "email", value: address))
      if ignoresPlusAddressing {
        keys.append(IdentityKey(kind: "email_base", value: Self.withoutPlus(address)))
      }
    }
    if let phone = nonEmpty(input.phone) {
      keys.append(IdentityKey(kind: "phone", value: try phoneE164(phone)))
    }
    for id in input.externalIDs {
      guard let colon = id.firstIndex(of: ":"), colon != id.startIndex,
        id.index(after: colon) != id.endIndex
      else { throw InputError("external id '\(id)' is not kind:value (like shopify:123)") }
      keys.append(
        IdentityKey(kind: String(id[..<colon]), value: String(id[id.index(after: colon)...])))
    }
    if let visitor = nonEmpty(input.visitorID) {
      keys.append(IdentityKey(kind: "visitor", value: visitor))
    }
    if keys.isEmpty { throw InputError("no email, phone or id") }
    return keys
  }

  private func nonEmpty(_ text: String?) -> String? {
    guard let trimmed = text?.trimmingSpaces, !trimmed.isEmpty else { return nil }
    return trimmed
  }

  /// Trimmed and lower-cased.
  static func email(_ text: String) throws(InputError) -> String {
    let address = text.trimmingSpaces.lowercased()
    // One `@` with text on both sides and no space (checked on bytes: this
    // runs for every imported row).
    var ats = 0
    var atOffset = 0
    var offset = 0
    for byte in address.utf8 {
      if byte == UInt8(ascii: "@") {
        ats += 1
        atOffset = offset
      } else if byte <= 0x20 {
        ats = 2
        break
      }
      offset += 1
    }
    guard ats == 1, atOffset > 0, atOffset < offset - 1,
      address.utf8.allSatisfy({ $0 < 0x80 }) || !address.contains(where: \.isWhitespace)
    else { throw InputError("email '\(text)' is not an address") }
    return address
  }

  /// `ann+news@x.com` → `ann@x.com`.
  static func withoutPlus(_ address: String) -> String {
    guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+")
    else { return address }
    return String(address[..<plus] + address[at...])
  }

  /// E.164: `+` and 7 to 15 digits.
  func phoneE164(_ text: String) throws(InputError) -> String {
    // Separators people type are dropped; anything else but digits is an error.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    var index = text.utf8.startIndex
    let end = text.utf8.endIndex
    var sawOther = false
    while index < end {
      let byte = text.utf8[index]
      switch byte {
      // "+44 (0)20 ...": the national trunk 0 written beside the country code.
      case UInt8(ascii: "(")
      where bytes.first == UInt8(ascii: "+")
        && text.utf8[index...].starts(with: "(0)".utf8):
        index = text.utf8.index(index, offsetBy: 2)
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"): bytes.append(byte)
      case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("),
        UInt8(ascii: ")"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        break
      case UInt8(ascii: "'") where bytes.isEmpty: break
      case 0xC2
      where text.utf8.index(after: index) < end
        && text.utf8[text.utf8.index(after: index)] == 0xA0:
        index = text.utf8.index(after: index)  // a no-break space
      default: sawOther = true
      }
      index = text.utf8.index(after: index)
    }
    guard !sawOther, bytes.contains(where: { $0 != UInt8(ascii: "+") }) else {
      throw InputError("phone '\(text)' has characters other than digits")
    }
    var digits: ArraySlice<UInt8>
    if bytes.first == UInt8(ascii: "+") {
      digits = bytes.dropFirst()
    } else if bytes.starts(with: [UInt8(ascii: "0"), UInt8(ascii: "0")]) {
      digits = bytes.dropFirst(2)
    } else {
      guard let country, let code = Self.callingCodes[country] else {
        throw InputError(
          "phone '\(text)' has no country code (+...) and the shop sets no known default country")
      }
      var national = bytes[...]
      if Self.trunkZeroCountries.contains(country), national.first == UInt8(ascii: "0") {
        national = national.dropFirst()
      } else if code == "1", national.count == 11, national.first == UInt8(ascii: "1") {
        national = national.dropFirst()
      }
      digits = ArraySlice(Array(code.utf8)) + national
    }
    guard !digits.isEmpty, !digits.contains(UInt8(ascii: "+")) else {
      throw InputError("phone '\(text)' has characters other than digits")
    }
    guard (7...15).contains(digits.count) else {
      let international = "+" + String(decoding: digits, as: UTF8.self)
      throw InputError(
        "phone '\(text)' is \(international) with the country code: \(digits.count) digits, "
          + "where a phone number has 7 to 15")
    }
    return "+" + String(decoding: digits, as: UTF8.self)
  }
}

extension String {
  /// Without leading and trailing white space (Unicode's definition).
  public var trimmingSpaces: String {
    // Most values have no surrounding space: check the end bytes before scanning scalars.
    if let first = utf8.first, let last = utf8.last, (0x21..<0x80).contains(first),
      (0x21..<0x80).contains(last)
    {
      return self
    }
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return self }
    return String(scalars[first...last])
  }
}
