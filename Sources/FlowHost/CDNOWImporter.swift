import FlowIR
import FlowRuntime
import Foundation
import MemberStore

/// Imports the CDNOW master transaction log: whitespace-separated
/// `customer_id date number_of_cds dollar_value`, one purchase per line.
///
/// Customer N becomes member `customer-N@example.com`, who joins one second
/// before their first order; each line is an `order_placed` event in USD at
/// 12:00 UTC on its date. The whole file is checked before anything is
/// written, and written in one transaction, so a bad file leaves the store as
/// it was. External ids make a re-import change nothing.
public struct CDNOWImporter {
  /// A line that could not be read.
  public struct LineError: Error, Hashable, Sendable {
    public var line: Int
    public var reason: String
  }

  /// What an import did.
  public struct Report: Hashable, Sendable {
    public var members = 0
    public var newMembers = 0
    public var orders = 0
    public var newOrders = 0
  }

  struct Purchase: Sendable {
    var customer: Int
    var date: CalendarDate
    var cds: Int
    var cents: Int64
  }

  /// The consent to record for every imported member, or nil for none.
  public var consent: String?
  /// When the import is recorded as happening (consent records' `recorded_at`).
  public var importedAt: Int64

  public init(consent: String?, importedAt: Int64) {
    self.consent = consent
    self.importedAt = importedAt
  }

  /// Parses the whole file; all malformed lines are returned, in order.
  static func parse(_ text: String) -> (purchases: [Purchase], errors: [LineError]) {
    var purchases: [Purchase] = []
    var errors: [LineError] = []
    var lineNumber = 0
    let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    // "\r\n" is one Character in Swift, so split on newlines, not on "\n".
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      lineNumber += 1
      let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if columns.isEmpty { continue }
      if lineNumber == 1 && columns.first == "customer_id" { continue }
      switch parseColumns(columns) {
      case .success(let purchase): purchases.append(purchase)
      case .failure(let reason): errors.append(LineError(line: lineNumber, reason: reason.text))
      }
    }
    return (purchases, errors)
  }

  private struct Reason: Error { var text: String }

  private static func parseColumns(_ columns: [Substring]) -> Result<Purchase, Reason> {
    guard columns.count == 4 else {
      return .failure(Reason(text: "expected 4 columns, found \(columns.count)"))
    }
    guard let customer = Int(columns[0]), customer > 0 else {
      return .failure(Reason(text: "customer id '\(columns[0])' is not a positive number"))
    }
    let digits = columns[1]
    guard digits.count == 8, let year = Int(digits.prefix(4)),
      let month = Int(digits.dropFirst(4).prefix(2)), let day = Int(digits.suffix(2)),
      (1900...2199).contains(year), CalendarDate(year: year, month: month, day: day).isValid
    else {
      return .failure(Reason(text: "date '\(digits)' is not a valid YYYYMMDD date"))
    }
    guard let cds = Int(columns[2]), cds >= 0 else {
      return .failure(Reason(text: "number of CDs '\(columns[2])' is not a whole number"))
    }
    guard let cents = Money(decimal: columns[3], currency: "USD")?.cents, cents >= 0 else {
      return .failure(Reason(text: "dollar value '\(columns[3])' is not an amount like 12.34"))
    }
    return .success(
      Purchase(
        customer: customer, date: CalendarDate(year: year, month: month, day: day), cds: cds,
        cents: cents))
  }

  /// Imports `text`; throws `[LineError]` (nothing written) when any line is malformed.
  public func importLog(_ text: String, into store: FlowStore) throws -> Report {
    try importLog(Self.validated(text), into: store)
  }

  /// A log read and checked in full, ready to write.
  public struct ValidLog: Sendable {
    fileprivate var purchases: [Purchase]
  }

  /// Reads the whole log; throws `ImportErrors` naming every malformed line.
  /// Done before the store is opened, so a bad file creates nothing.
  public static func validated(_ text: String) throws -> ValidLog {
    let (purchases, errors) = parse(text)
    if !errors.isEmpty { throw ImportErrors(errors: errors) }
    return ValidLog(purchases: purchases)
  }

  /// Writes a validated log in one transaction.
  public func importLog(_ log: ValidLog, into store: FlowStore) throws -> Report {
    let purchases = log.purchases
    var byCustomer: [Int: [Purchase]] = [:]
    for purchase in purchases { byCustomer[purchase.customer, default: []].append(purchase) }
    var report = Report()
    try store.transaction {
      for customer in byCustomer.keys.sorted() {
        guard let orders = byCustomer[customer]?.sorted(by: { $0.date < $1.date }) else { continue }
        try importCustomer(customer, orders: orders, into: store, report: &report)
      }
    }
    return report
  }

  private func importCustomer(
    _ customer: Int, orders: [Purchase], into store: FlowStore, report: inout Report
  ) throws {
    let email = "customer-\(customer)@example.com"
    let firstOrderAt = Self.noonUTC(orders[0].date)
    let joinedAt = firstOrderAt - 1
    report.members += 1
    let memberID: Int64
    if let existing = try store.memberID(identity: "email", value: email) {
      memberID = existing
    } else {
      memberID = try store.createMember(
        MemberRecord(id: 0, email: email, joinedAt: joinedAt), createdAt: importedAt)
      try store.addIdentity(kind: "email", value: email, memberID: memberID)
      try store.addIdentity(kind: "cdnow", value: String(customer), memberID: memberID)
      if let consent {
        try store.recordConsent(
          memberID: memberID, channel: "email", status: consent, source: "import:cdnow",
          occurredAt: joinedAt, recordedAt: importedAt, evidence: "flowc import cdnow --consent")
      }
      report.newMembers += 1
    }
    _ = try store.appendEvent(
      memberID: memberID, name: "member_joined", occurredAt: joinedAt, payload: "{}",
      externalID: "cdnow:\(customer):joined")
    var sequenceOnDay = 0
    for (index, order) in orders.enumerated() {
      sequenceOnDay = index > 0 && orders[index - 1].date == order.date ? sequenceOnDay + 1 : 1
      let orderID = String(
        format: "cdnow-%05d-%04d%02d%02d-%d", customer, order.date.year, order.date.month,
        order.date.day, sequenceOnDay)
      let total = Money(cents: order.cents, currency: "USD")
      let payload =
        "{\"order_id\":\"\(orderID)\",\"total\":\(PayloadCodec.json(total)),\"items\":[]}"
      let placedAt = Self.noonUTC(order.date)
      report.orders += 1
      if try store.appendEvent(
        memberID: memberID, name: "order_placed", occurredAt: placedAt, payload: payload,
        externalID: orderID) != nil
      {
        report.newOrders += 1
      }
      try store.insertOrder(
        memberID: memberID, externalID: orderID, placedAt: placedAt, totalCents: order.cents,
        currency: "USD", itemCount: order.cds)
    }
  }

  static func noonUTC(_ date: CalendarDate) -> Int64 {
    Int64(date.daysSinceEpoch) * 86_400 + 12 * 3600
  }
}

/// Every malformed line of an import, reported together.
public struct ImportErrors: Error, Sendable {
  public var errors: [CDNOWImporter.LineError]
}
