import Identity

/// A Mailchimp audience export file. Which file of the export ZIP a row is in
/// gives its status, so the header decides: `CLEAN_TIME` (cleaned: bounced),
/// `UNSUB_TIME` (unsubscribed), else subscribed (confirmed when
/// `CONFIRM_TIME` is set). Times are `YYYY-MM-DD HH:MM:SS` in UTC.
public struct MailchimpCSV: CSVMemberFormat {
  static let source = "import:mailchimp"

  private enum Status { case subscribed, unsubscribed(Int), cleaned(Int) }

  private let status: Status
  private let email: Int
  private let firstName: Int?
  private let lastName: Int?
  private let optinTime: Int?
  private let optinIP: Int?
  private let confirmTime: Int?
  private let confirmIP: Int?
  private let timezone: Int?
  private let leid: Int?
  private let tags: Int?

  public init(header: CSVHeader) throws(FormatError) {
    guard let email = header.column("Email Address") else {
      throw FormatError("not a Mailchimp export: no 'Email Address' column in \(header.listing)")
    }
    self.email = email
    if let clean = header.column("CLEAN_TIME") {
      status = .cleaned(clean)
    } else if let unsubscribe = header.column("UNSUB_TIME") {
      status = .unsubscribed(unsubscribe)
    } else {
      status = .subscribed
    }
    firstName = header.column("First Name")
    lastName = header.column("Last Name")
    optinTime = header.column("OPTIN_TIME")
    optinIP = header.column("OPTIN_IP")
    confirmTime = header.column("CONFIRM_TIME")
    confirmIP = header.column("CONFIRM_IP")
    timezone = header.column("TIMEZONE")
    leid = header.column("LEID")
    tags = header.column("TAGS")
  }

  public func member(_ fields: [String]) throws(RowError) -> MemberInput {
    guard let address = fields.value(email) else { throw RowError("empty Email Address") }
    var input = MemberInput(source: Self.source, email: address)
    input.firstName = fields.value(firstName)
    input.lastName = fields.value(lastName)
    input.timezone = fields.value(timezone)
    if let leid = fields.value(leid) { input.externalIDs = ["mailchimp:\(leid)"] }
    input.tags = try Self.tagList(fields.value(tags))
    let optedIn = try time(fields, optinTime, "OPTIN_TIME")
    let confirmed = try time(fields, confirmTime, "CONFIRM_TIME")
    input.joinedAt = optedIn ?? confirmed
    switch status {
    case .cleaned(let column):
      input.consent = [
        ConsentInput(
          channel: "email", status: "bounced", occurredAt: try time(fields, column, "CLEAN_TIME"),
          evidence: "Mailchimp cleaned members export")
      ]
    case .unsubscribed(let column):
      input.consent = [
        ConsentInput(
          channel: "email", status: "unsubscribed",
          occurredAt: try time(fields, column, "UNSUB_TIME"),
          evidence: "Mailchimp unsubscribed members export")
      ]
    case .subscribed:
      let optin = ["optin", fields.value(optinTime), fields.value(optinIP)]
      let confirm = ["confirm", fields.value(confirmTime), fields.value(confirmIP)]
      let evidence = [optin, confirm].filter { $0.count > 1 && $0[1] != nil }
        .map { $0.compactMap { $0 }.joined(separator: " ") }.joined(separator: ", ")
      input.consent = [
        ConsentInput(
          channel: "email", status: confirmed == nil ? "opted_in" : "confirmed",
          occurredAt: confirmed ?? optedIn,
          evidence: evidence.isEmpty ? "Mailchimp subscribed members export" : evidence)
      ]
    }
    return input
  }

  private func time(_ fields: [String], _ column: Int?, _ name: String) throws(RowError) -> Int64? {
    guard let text = fields.value(column) else { return nil }
    guard let time = Timestamp.parse(text) else {
      throw RowError("\(name) '\(text)' is not a time like 2024-03-14 09:12:31")
    }
    return time
  }

  /// `"VIP","Customer"`: each tag in double quotes (`""` for a quote), comma
  /// separated; unquoted tags are read up to the next comma.
  static func tagList(_ text: String?) throws(RowError) -> [String] {
    guard let text else { return [] }
    var tags: [String] = []
    var characters = text[...]
    while !characters.isEmpty {
      characters = characters.drop { $0 == " " }
      var tag = ""
      if characters.first == "\"" {
        characters = characters.dropFirst()
        while true {
          guard let next = characters.first else { throw RowError("unterminated quote in TAGS") }
          characters = characters.dropFirst()
          if next == "\"" {
            guard characters.first == "\"" else { break }
            characters = characters.dropFirst()
          }
          tag.append(next)
        }
        characters = characters.drop { $0 == " " }
        guard characters.isEmpty || characters.first == "," else {
          throw RowError("TAGS must be a list like \"VIP\",\"Customer\"")
        }
      } else {
        tag = String(characters.prefix { $0 != "," }).trimmingSpaces
        characters = characters.drop { $0 != "," }
      }
      characters = characters.dropFirst()
      if !tag.isEmpty { tags.append(tag) }
    }
    return tags
  }
}
