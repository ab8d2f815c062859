import Foundation
import LinkTokens

/// A confirmation link's payload: `k.MEMBER.ISSUED_AT.CONSENT_MARK`, then
/// `.PROFILE` (URL-safe base64 of JSON) when the signup sent a name, a
/// language or a browser id. Anyone may post a signup, so what it says about
/// the person waits in the signed link and is applied only when the address
/// is confirmed: a stranger cannot rename a member or claim a browser's history.
struct ConfirmLink: Equatable {
  static let lifetime: Int64 = 7 * 86_400

  /// What the signup form said, applied on confirmation.
  struct Profile: Equatable {
    var firstName: String?
    var lastName: String?
    var locale: String?
    var visitorID: String?

    var isEmpty: Bool { self == Profile() }

    fileprivate var json: String {
      let fields = [
        "first_name": firstName, "last_name": lastName, "locale": locale, "visitor_id": visitorID,
      ].compactMapValues { $0 }
      let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
      return String(decoding: data ?? Data(), as: UTF8.self)
    }

    fileprivate init?(json: String) {
      guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
        let fields = object as? [String: String]
      else { return nil }
      self.init(
        firstName: fields["first_name"], lastName: fields["last_name"], locale: fields["locale"],
        visitorID: fields["visitor_id"])
    }

    init(
      firstName: String? = nil, lastName: String? = nil, locale: String? = nil,
      visitorID: String? = nil
    ) {
      self.firstName = firstName
      self.lastName = lastName
      self.locale = locale
      self.visitorID = visitorID
    }
  }

  var memberID: Int64
  var issuedAt: Int64
  /// The newest consent record when the link was made (`lastConsentRecordID`):
  /// a withdrawal recorded after it, even in the same second, voids the link.
  var consentMark: Int64
  var profile: Profile

  var payload: String {
    let base = "k.\(memberID).\(issuedAt).\(consentMark)"
    return profile.isEmpty ? base : base + "." + TokenPart.encode(profile.json)
  }

  init(memberID: Int64, issuedAt: Int64, consentMark: Int64, profile: Profile) {
    self.memberID = memberID
    self.issuedAt = issuedAt
    self.consentMark = consentMark
    self.profile = profile
  }

  init?(payload: String) {
    let parts = payload.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 || parts.count == 5, parts[0] == "k", let member = Int64(parts[1]),
      let issued = Int64(parts[2]), let mark = Int64(parts[3])
    else { return nil }
    var profile = Profile()
    if parts.count == 5 {
      guard let json = TokenPart.decode(String(parts[4])), let decoded = Profile(json: json),
        !decoded.isEmpty
      else { return nil }
      profile = decoded
    }
    self.init(memberID: member, issuedAt: issued, consentMark: mark, profile: profile)
  }
}
