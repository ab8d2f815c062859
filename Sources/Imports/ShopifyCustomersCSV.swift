import FlowIR
import Identity

/// Shopify Admin → Customers → Export, in its three layouts, told apart by
/// the header: current (`Customer ID`, `Accepts Email Marketing`), extended
/// (plus `Accepts WhatsApp Marketing` and `Label (customer.metafields.ns.key)`
/// columns) and legacy (no id, one `Accepts Marketing` column).
public struct ShopifyCustomersCSV: CSVMemberFormat {
  static let source = "import:shopify-customers"
  static let evidence = "Shopify customer export"

  private let customerID: Int?
  private let email: Int?
  private let phone: Int?
  private let addressPhone: Int?
  private let firstName: Int?
  private let lastName: Int?
  private let emailConsent: Int?
  private let smsConsent: Int?
  private let tags: Int?
  private let totalSpent: Int?
  private let totalOrders: Int?
  /// Metafield columns: position and the field name (the metafield key).
  private let metafields: [(column: Int, key: String)]
  private let currency: String
  private let asOf: Int64

  /// - Parameters:
  ///   - currency: the shop's currency, which `Total Spent` is in.
  ///   - asOf: the moment `Total Spent`/`Total Orders` describe.
  public init(header: CSVHeader, currency: String, asOf: Int64) throws(FormatError) {
    let current = header.column("Customer ID") != nil
    guard current || header.column("Accepts Marketing") != nil else {
      throw FormatError(
        "not a Shopify customer export: no 'Customer ID' or 'Accepts Marketing' column in \(header.listing)"
      )
    }
    guard header.column("Email") != nil else {
      throw FormatError("no 'Email' column in \(header.listing)")
    }
    customerID = header.column("Customer ID")
    email = header.column("Email")
    phone = header.column("Phone")
    addressPhone = header.column("Default Address Phone")
    firstName = header.column("First Name")
    lastName = header.column("Last Name")
    emailConsent = header.column(current ? "Accepts Email Marketing" : "Accepts Marketing")
    smsConsent = header.column("Accepts SMS Marketing")
    tags = header.column("Tags")
    totalSpent = header.column("Total Spent")
    totalOrders = header.column("Total Orders")
    metafields = header.names.enumerated().compactMap { index, name in
      Self.metafieldKey(name).map { (index, $0) }
    }
    self.currency = currency
    self.asOf = asOf
  }

  /// `Loyalty Tier (customer.metafields.custom.loyalty_tier)` → `loyalty_tier`.
  static func metafieldKey(_ column: String) -> String? {
    guard column.hasSuffix(")"), let open = column.range(of: "(customer.metafields.") else {
      return nil
    }
    let path = column[open.upperBound..<column.index(before: column.endIndex)]
    guard let key = path.split(separator: ".").last, path.contains(".") else { return nil }
    return String(key)
  }

  public func member(_ fields: [String]) throws(RowError) -> MemberInput {
    var input = MemberInput(source: Self.source)
    if let id = fields.value(customerID)?.droppingApostrophe {
      guard id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
        throw RowError("Customer ID '\(id)' is not a number")
      }
      input.externalIDs = ["shopify:\(id)"]
    }
    input.email = fields.value(email)
    input.phone = (fields.value(phone) ?? fields.value(addressPhone))?.droppingApostrophe
    input.firstName = fields.value(firstName)
    input.lastName = fields.value(lastName)
    input.tags = splitTags(fields.value(tags))
    for (column, key) in metafields {
      if let value = fields.value(column) { input.fields[key] = value }
    }
    for (channel, column) in [("email", emailConsent), ("sms", smsConsent)] {
      guard let answer = fields.value(column) else { continue }
      let status: String
      switch answer.lowercased() {
      case "yes": status = "opted_in"
      case "no": status = "not_subscribed"
      default:
        throw RowError("marketing consent must be yes or no, found '\(answer)'")
      }
      input.consent.append(ConsentInput(channel: channel, status: status, evidence: Self.evidence))
    }
    if let spent = fields.value(totalSpent), let orders = fields.value(totalOrders) {
      guard let money = Money(decimal: spent, currency: currency) else {
        throw RowError("Total Spent '\(spent)' is not an amount like 412.50")
      }
      guard let count = Int(orders), count >= 0 else {
        throw RowError("Total Orders '\(orders)' is not a whole number")
      }
      input.orderSummary = OrderSummary(orderCount: count, totalSpent: money, asOf: asOf)
    }
    return input
  }
}
