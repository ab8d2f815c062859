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
    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
      !address.contains(where: \.isWhitespace)
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
    var rest = Substring(text.trimmingSpaces)
    if rest.first == "'" { rest = rest.dropFirst() }
    rest = Substring(rest.filter { !" -.()\u{00A0}".contains($0) })
    var digits: Substring
    if rest.hasPrefix("+") {
      digits = rest.dropFirst()
    } else if rest.hasPrefix("00") {
      digits = rest.dropFirst(2)
    } else {
      guard let country, let code = Self.callingCodes[country] else {
        throw InputError(
          "phone '\(text)' has no country code (+...) and the shop sets no known default country")
      }
      var national = rest
      if Self.trunkZeroCountries.contains(country), national.first == "0" {
        national = national.dropFirst()
      } else if code == "1", national.count == 11, national.first == "1" {
        national = national.dropFirst()
      }
      digits = Substring(code) + national
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw InputError("phone '\(text)' has characters other than digits")
    }
    guard (7...15).contains(digits.count) else {
      throw InputError("phone '\(text)' has \(digits.count) digits; a phone number has 7 to 15")
    }
    return "+" + digits
  }
}

extension String {
  var trimmingSpaces: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text = text.dropFirst() }
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }
}
