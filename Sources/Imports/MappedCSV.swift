import Identity

/// Rows of any CSV read through a `ColumnMapping` (the `csv` and `klaviyo` formats).
public struct MappedCSV: CSVMemberFormat {
  private let mapping: ColumnMapping
  /// Target → column position, for the targets present in the header.
  private let positions: [(target: String, column: Int)]
  private let consentColumn: Int?

  public init(header: CSVHeader, mapping: ColumnMapping) throws(FormatError) {
    guard !mapping.columns.isEmpty else {
      throw FormatError("no columns mapped; give --map TARGET=COLUMN or --mapping FILE")
    }
    var positions: [(String, Int)] = []
    for (target, column) in mapping.columns.sorted(by: { $0.key < $1.key }) {
      if let position = header.column(column) {
        positions.append((target, position))
      } else if !mapping.optional.contains(target) {
        throw FormatError(
          "column '\(column)' (for \(target)) is not in the header: \(header.listing)")
      }
    }
    if let consent = mapping.consent {
      guard let position = header.column(consent.column) else {
        throw FormatError(
          "consent column '\(consent.column)' is not in the header: \(header.listing)")
      }
      consentColumn = position
    } else {
      consentColumn = nil
    }
    self.mapping = mapping
    self.positions = positions
  }

  public func member(_ fields: [String]) throws(RowError) -> MemberInput {
    var input = MemberInput(source: mapping.source)
    for (target, column) in positions {
      guard let value = fields.value(column) else { continue }
      switch target {
      case "email": input.email = value
      case "phone": input.phone = value
      case "first_name": input.firstName = value
      case "last_name": input.lastName = value
      case "locale": input.locale = value
      case "timezone": input.timezone = value
      case "visitor": input.visitorID = value
      case "tags": input.tags = splitTags(value, separator: mapping.tagSeparator)
      case "joined_at":
        guard let time = Timestamp.parse(value) else {
          throw RowError(
            "joined_at '\(value)' is not a date like 2024-03-14 or 2024-03-14T09:12:31Z")
        }
        input.joinedAt = time
      default:
        if target.hasPrefix("field.") {
          input.fields[String(target.dropFirst(6))] = value
        } else {
          input.externalIDs.append("\(target.dropFirst(3)):\(value)")
        }
      }
    }
    if let consent = mapping.consent, let answer = fields.value(consentColumn) {
      let word = answer.lowercased()
      let status =
        consent.yes.contains(word)
        ? consent.status : consent.no.contains(word) ? "not_subscribed" : nil
      if let status {
        input.consent = [
          ConsentInput(
            channel: consent.channel, status: status,
            evidence: "\(mapping.source) column '\(consent.column)': \(answer)")
        ]
      }
    }
    return input
  }
}
