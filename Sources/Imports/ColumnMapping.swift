import Foundation
import Identity

/// Which CSV column feeds which member property, for the generic `csv`
/// format: from `--map TARGET=COLUMN` options and/or a mapping file
/// `{"columns": {"email": "E-mail", "field.birthday": "DOB", "id.pos": "Customer No"},
///   "consent": {"column": "Newsletter", "yes": ["yes","1"], "no": ["no"], "status": "opted_in"},
///   "tag_separator": ","}`.
public struct ColumnMapping: Sendable, Hashable {
  /// Column name by target: `email`, `phone`, `first_name`, `last_name`,
  /// `locale`, `timezone`, `visitor`, `joined_at`, `tags`, `field.NAME`, `id.KIND`.
  public var columns: [String: String]
  /// Targets whose column may be missing from the header (presets).
  public var optional: Set<String> = []
  public var consent: ConsentColumn?
  public var tagSeparator: Character = ","
  /// The `source` recorded on members and consent.
  public var source = "import:csv"

  public struct ConsentColumn: Sendable, Hashable {
    public var column: String
    /// Values (compared without case) that mean yes, and no.
    public var yes: [String]
    public var no: [String]
    /// The status a yes records: `opted_in` or `confirmed`.
    public var status: String
    public var channel: String
  }

  static let plainTargets: Set<String> = [
    "email", "phone", "first_name", "last_name", "locale", "timezone", "visitor", "joined_at",
    "tags",
  ]

  public init(columns: [String: String] = [:]) { self.columns = columns }

  /// Klaviyo's profile export header is not documented, so this preset
  /// assumes the column names of Klaviyo's import template; only `Email` must exist.
  public static let klaviyo: ColumnMapping = {
    var mapping = ColumnMapping(columns: [
      "email": "Email", "phone": "Phone Number", "first_name": "First Name",
      "last_name": "Last Name", "timezone": "Timezone", "id.klaviyo": "Klaviyo ID",
    ])
    mapping.optional = ["phone", "first_name", "last_name", "timezone", "id.klaviyo"]
    mapping.source = "import:klaviyo"
    return mapping
  }()

  /// Adds `TARGET=COLUMN`, replacing any earlier column for the target.
  public mutating func add(_ option: String) throws(FormatError) {
    guard let equals = option.firstIndex(of: "="), equals != option.startIndex,
      option.index(after: equals) != option.endIndex
    else { throw FormatError("--map expects TARGET=COLUMN, got '\(option)'") }
    let target = String(option[..<equals])
    try Self.checkTarget(target)
    columns[target] = String(option[option.index(after: equals)...])
  }

  static func checkTarget(_ target: String) throws(FormatError) {
    if plainTargets.contains(target) { return }
    for prefix in ["field.", "id."] where target.hasPrefix(prefix) && target.count > prefix.count {
      return
    }
    throw FormatError(
      "unknown mapping target '\(target)'; use email, phone, first_name, last_name, locale, "
        + "timezone, visitor, joined_at, tags, field.NAME or id.KIND")
  }

  /// Reads a mapping file; its columns come before any `--map` options.
  public static func load(path: String) throws(FormatError) -> ColumnMapping {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FormatError("cannot read mapping file '\(path)'")
    }
    guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
      throw FormatError("\(path): not a JSON object")
    }
    for key in object.keys.sorted() where !["columns", "consent", "tag_separator"].contains(key) {
      throw FormatError("\(path): unknown key '\(key)'; use columns, consent or tag_separator")
    }
    var mapping = ColumnMapping()
    if let columns = object["columns"] {
      guard let columns = columns as? [String: String] else {
        throw FormatError("\(path): \"columns\" must map targets to column names")
      }
      for target in columns.keys.sorted() { try checkTarget(target) }
      mapping.columns = columns
    }
    if let separator = object["tag_separator"] {
      guard let text = separator as? String, text.count == 1 else {
        throw FormatError("\(path): \"tag_separator\" must be one character")
      }
      mapping.tagSeparator = text.first!
    }
    if let consent = object["consent"] {
      guard let consent = consent as? [String: Any], let column = consent["column"] as? String
      else { throw FormatError("\(path): \"consent\" needs a \"column\"") }
      let status = consent["status"] as? String ?? "opted_in"
      guard ["opted_in", "confirmed"].contains(status) else {
        throw FormatError("\(path): consent \"status\" must be opted_in or confirmed")
      }
      let channel = consent["channel"] as? String ?? "email"
      guard ["email", "sms"].contains(channel) else {
        throw FormatError("\(path): consent \"channel\" must be email or sms")
      }
      mapping.consent = ConsentColumn(
        column: column,
        yes: (consent["yes"] as? [String] ?? ["yes", "true", "1"]).map { $0.lowercased() },
        no: (consent["no"] as? [String] ?? []).map { $0.lowercased() }, status: status,
        channel: channel)
    }
    return mapping
  }
}
