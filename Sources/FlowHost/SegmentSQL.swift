import FlowIR
import FlowRuntime
import Foundation
import MemberStore

/// Compiles segment predicates to a SQL condition over `members m LEFT JOIN
/// member_aggregates a` that holds for exactly the members the runtime's
/// evaluator finds true at `now`: nulls compare false, money only against the
/// same currency, days in the member's zone (else the shop's), custom fields
/// read from their JSON with the declared defaults. Segment references are
/// inlined, so the answer does not depend on stored memberships being current.
public struct SegmentSQL {
  /// A predicate that has no SQL form (an `event.` field, a list comparison).
  public struct Unsupported: Error, CustomStringConvertible {
    public var description: String
  }

  private let segments: [String: Expr]
  private let fields: [String: FieldDecl]
  private let shop: ShopSettings
  private let shopCalendar: ZonedCalendar
  private let now: Int64
  /// Compile for `FROM member_aggregates a` with no `members m` in the query:
  /// member columns become lookups by `a.member_id`, made only for the rows
  /// that reach them.
  private var aggregatesOnly = false

  public init(program: Program, shop: ShopSettings, now: Int64) {
    segments = Dictionary(
      program.segments.map { ($0.name, $0.predicate) }, uniquingKeysWith: { a, _ in a })
    fields = Dictionary(program.fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    self.shop = shop
    shopCalendar = ZonedCalendar(zone: TimeZone(identifier: shop.timezone) ?? .gmt)
    self.now = now
  }

  /// The condition for a declared segment; nil if there is none by that name.
  public func condition(segment name: String) throws -> String? {
    try segments[name].map { try condition($0) }
  }

  /// The condition for a segment that `needsAggregates`, over
  /// `member_aggregates a` alone (no `members m`): for counting.
  public func aggregatesOnlyCondition(segment name: String) throws -> String? {
    var compiler = self
    compiler.aggregatesOnly = true
    return try compiler.condition(segment: name)
  }

  private var memberID: String { aggregatesOnly ? "a.member_id" : "m.id" }

  private func memberColumn(_ name: String) -> String {
    aggregatesOnly ? "(SELECT mm.\(name) FROM members mm WHERE mm.id = a.member_id)" : "m.\(name)"
  }

  /// Whether only members with an aggregates row (members who ever had an
  /// order or an email event) can be in the segment: some `and` term fails
  /// for a member without one. Such a segment is answered by scanning
  /// `member_aggregates` alone, which also never meets a merged-away member.
  public func needsAggregates(segment name: String) -> Bool {
    var inlining: [String] = []
    return segments[name].map { needsAggregates($0, inlining: &inlining) } ?? false
  }

  private func needsAggregates(_ expr: Expr, inlining: inout [String]) -> Bool {
    switch expr {
    case .and(let a, let b):
      return needsAggregates(a, inlining: &inlining) || needsAggregates(b, inlining: &inlining)
    case .or(let a, let b):
      return needsAggregates(a, inlining: &inlining) && needsAggregates(b, inlining: &inlining)
    case .segment(let name):
      guard let predicate = segments[name], !inlining.contains(name) else { return false }
      inlining.append(name)
      defer { inlining.removeLast() }
      return needsAggregates(predicate, inlining: &inlining)
    case .compare(let op, let a, let b):
      return bareAggregateComparison(op, a, b) != nil
    case .before(.member(let path), _), .within(.member(let path), _):
      return Self.aggregateInstants.contains(path)
    default:
      return false
    }
  }

  /// Aggregate timestamps: null (never) for a member without an aggregates row.
  private static let aggregateInstants: Set<String> = [
    "first_order_at", "last_order_at", "last_open_at", "last_click_at",
  ]

  /// The condition for a predicate.
  public func condition(_ expr: Expr) throws -> String {
    var inlining: [String] = []
    return try truth(expr, strict: false, inlining: &inlining)
  }

  /// Registers the functions compiled conditions call on `store`'s connection:
  /// calendar days in a member's zone and the JSON readings of custom fields,
  /// each the runtime's own code.
  public func defineFunctions(on store: SQLiteFlowStore) throws {
    let calendars = CalendarCache(shop: shopCalendar)
    try store.defineFunction("flow_add_days", arity: 3) { args in
      guard case .int(let instant) = args[0], case .int(let days) = args[1] else { return .null }
      let duration = FlowIR.Duration(Int(days), .days)
      return .int(calendars.calendar(args[2]).add(duration, to: instant))
    }
    try store.defineFunction("flow_day_start", arity: 2) { args in
      guard case .int(let days) = args[0] else { return .null }
      return .int(calendars.calendar(args[1]).startOfDay(CalendarDate(daysSinceEpoch: Int(days))))
    }
    try store.defineFunction("flow_date", arity: 1) { args in
      guard case .text(let text) = args[0], let date = PayloadCodec.date(text) else { return .null }
      return .int(Int64(date.daysSinceEpoch))
    }
    try store.defineFunction("flow_timestamp", arity: 1) { args in
      guard case .text(let text) = args[0], let instant = PayloadCodec.timestamp(text) else {
        return .null
      }
      return .int(instant)
    }
    try store.defineFunction("flow_money_cents", arity: 1) { args in
      Self.money(args[0]).map { .int($0.cents) } ?? .null
    }
    try store.defineFunction("flow_money_currency", arity: 1) { args in
      Self.money(args[0]).map { .text($0.currency) } ?? .null
    }
  }

  private static func money(_ json: SQLScalar) -> Money? {
    guard case .text(let text) = json,
      let object = try? JSONSerialization.jsonObject(with: Data(text.utf8))
    else { return nil }
    return PayloadCodec.money(object)
  }

  // MARK: Truth

  /// SQL for a condition. Where it is `strict` (under a `not`, or used as a
  /// value) it is exactly 1 or 0, so `not` behaves as the evaluator's. Elsewhere
  /// NULL may stand for false, as WHERE reads it: the bare comparisons let
  /// SQLite use indexes and turn the aggregates' LEFT JOIN into a join.
  private func truth(_ expr: Expr, strict: Bool, inlining: inout [String]) throws -> String {
    func exact(_ sql: String) -> String { strict ? "COALESCE(\(sql), 0)" : sql }
    switch expr {
    case .literal(let value): return value == .bool(true) ? "1" : "0"
    case .member, .event, .trigger:
      let operand = try self.operand(expr, inlining: &inlining)
      guard case .scalar(let sql, .bool) = operand else { return "0" }
      return exact("\(sql) = 1")
    case .segment(let name):
      guard let predicate = segments[name], !inlining.contains(name) else { return "0" }
      inlining.append(name)
      defer { inlining.removeLast() }
      return try truth(predicate, strict: strict, inlining: &inlining)
    case .not(let inner): return "NOT \(try truth(inner, strict: true, inlining: &inlining))"
    case .and:
      // Plain column tests first, subqueries last: SQLite tests terms in the
      // order written, and most rows fail a cheap one. (AND commutes here:
      // nothing has side effects.)
      let terms = try conjuncts(expr).map { try truth($0, strict: strict, inlining: &inlining) }
      let cheap = terms.filter { !Self.probesOtherTables($0) }
      let costly = terms.filter(Self.probesOtherTables)
      return "(" + (cheap + costly).joined(separator: " AND ") + ")"
    case .or(let a, let b):
      let left = try truth(a, strict: strict, inlining: &inlining)
      let right = try truth(b, strict: strict, inlining: &inlining)
      return "(\(left) OR \(right))"
    case .compare(let op, let a, let b):
      if !strict, let bare = bareAggregateComparison(op, a, b) { return bare }
      return exact(
        try compare(op, operand(a, inlining: &inlining), operand(b, inlining: &inlining)))
    case .has(let collection, let element):
      guard case .tags = try operand(collection, inlining: &inlining) else {
        throw Unsupported(description: "`has` on anything but member.tags")
      }
      guard case .scalar(let needle, .string) = try operand(element, inlining: &inlining) else {
        return "0"
      }
      return
        "EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = \(memberID) AND t.tag = \(needle))"
    case .before(let subject, let duration):
      guard let start = try instant(subject, inlining: &inlining) else { return "0" }
      return exact(reached(start, plus: duration))
    case .within(let subject, let duration):
      guard let start = try instant(subject, inlining: &inlining) else { return "0" }
      return exact("\(start) <= \(now) AND NOT \(reached(start, plus: duration))")
    }
  }

  /// Whether a term looks rows up elsewhere for every member it tests (tags,
  /// consent, RFM scores, JSON fields); a member column read only near a time
  /// boundary does not count.
  private static func probesOtherTables(_ sql: String) -> Bool {
    ["EXISTS", "member_rfm", "consent_records", "json_"].contains { sql.contains($0) }
  }

  private func conjuncts(_ expr: Expr) -> [Expr] {
    guard case .and(let a, let b) = expr else { return [expr] }
    return conjuncts(a) + conjuncts(b)
  }

  /// `order_count` or `total_spent` against a literal the zero a member
  /// without orders has does not satisfy: the bare column (NULL without an
  /// aggregates row) gives the same answer where NULL reads as false.
  private func bareAggregateComparison(_ op: CompareOp, _ a: Expr, _ b: Expr) -> String? {
    guard case .member(let path) = a, case .literal(let literal) = b else {
      guard case .member = b, case .literal = a else { return nil }
      return bareAggregateComparison(op.mirrored, b, a)
    }
    let sqlOp = Self.sqlOperator(op)
    switch (path, literal) {
    case ("order_count", .number(let bound)):
      guard !op.holds(0.0, bound) else { return nil }
      return "a.order_count \(sqlOp) \(Self.number(bound))"
    case ("total_spent", .money(let bound)):
      guard bound.currency != shop.currency || !op.holds(Int64(0), bound.cents) else { return nil }
      return "(COALESCE(a.currency, \(Self.quoted(shop.currency))) = \(Self.quoted(bound.currency))"
        + " AND a.total_spent_cents \(sqlOp) \(bound.cents))"
    default:
      return nil
    }
  }

  private static func sqlOperator(_ op: CompareOp) -> String {
    switch op {
    case .eq: "="
    case .ne: "<>"
    case .lt, .le, .gt, .ge: op.rawValue
    }
  }

  /// `now >= start + duration` with the evaluator's calendar. Calendar days
  /// differ from 86,400 s days only by the change in the zone's UTC offset,
  /// which is under two days in any zone: outside that band around the
  /// boundary the answer is a constant bound, and so it is everywhere for
  /// members on the shop's fixed-offset calendar. Only inside the band does
  /// the runtime's calendar (`flow_add_days`) decide.
  private func reached(_ start: String, plus duration: FlowIR.Duration) -> String {
    let amount = Int64(duration.amount)
    switch duration.unit {
    case .minutes: return "(\(start) <= \(now - amount * 60))"
    case .hours: return "(\(start) <= \(now - amount * 3600))"
    case .days, .weeks:
      let days = duration.unit == .weeks ? amount * 7 : amount
      let bound = now - days * 86_400
      let band: Int64 = 2 * 86_400
      let shopDays =
        shopCalendar.hasFixedOffset
        ? "WHEN \(memberColumn("timezone")) IS NULL THEN \(start) <= \(bound) " : ""
      return "(CASE WHEN \(start) <= \(bound - band) THEN 1 WHEN \(start) > \(bound + band) THEN 0 "
        + shopDays
        + "ELSE flow_add_days(\(start), \(days), \(memberColumn("timezone"))) <= \(now) END)"
    }
  }

  private func instant(_ expr: Expr, inlining: inout [String]) throws -> String? {
    switch try operand(expr, inlining: &inlining) {
    case .scalar(let sql, .timestamp): return sql
    case .scalar(let sql, .date): return dayStart(sql)
    default: return nil
    }
  }

  private func dayStart(_ days: String) -> String {
    "flow_day_start(\(days), \(memberColumn("timezone")))"
  }

  /// A comparison as SQL; NULL where an operand is null.
  private func compare(_ op: CompareOp, _ a: Operand, _ b: Operand) throws -> String {
    let sqlOp = Self.sqlOperator(op)
    switch (a, b) {
    case (.money(let x, let xc), .money(let y, let yc)):
      return "\(xc) = \(yc) AND \(x) \(sqlOp) \(y)"
    case (.scalar(let x, .timestamp), .scalar(let y, .date)):
      return "\(x) \(sqlOp) \(dayStart(y))"
    case (.scalar(let x, .date), .scalar(let y, .timestamp)):
      return "\(dayStart(x)) \(sqlOp) \(y)"
    case (.scalar(let x, let xKind), .scalar(let y, let yKind)) where xKind == yKind:
      return "\(x) \(sqlOp) \(y)"
    case (.tags, _), (_, .tags):
      throw Unsupported(description: "comparing member.tags")
    default:
      return "0"
    }
  }

  // MARK: Operands

  private enum Kind { case number, string, bool, timestamp, date }

  /// A value in SQL; NULL where the evaluator's value is null. Dates are days since 1970-01-01.
  private enum Operand {
    case null
    case scalar(String, Kind)
    case money(cents: String, currency: String)
    case tags
  }

  private func operand(_ expr: Expr, inlining: inout [String]) throws -> Operand {
    switch expr {
    case .literal(let value): return try literal(value)
    case .member(let path): return try member(path)
    case .event, .trigger: throw Unsupported(description: "event fields in a segment")
    case .before, .within:
      throw Unsupported(description: "`before` or `within` used as a value")
    case .segment, .not, .and, .or, .compare, .has:
      return .scalar(try truth(expr, strict: true, inlining: &inlining), .bool)
    }
  }

  private func literal(_ value: Value) throws -> Operand {
    switch value {
    case .null: return .null
    case .string(let text): return .scalar(Self.quoted(text), .string)
    case .number(let number): return .scalar(Self.number(number), .number)
    case .money(let money):
      return .money(cents: String(money.cents), currency: Self.quoted(money.currency))
    case .bool(let flag): return .scalar(flag ? "1" : "0", .bool)
    case .date(let date): return .scalar(String(date.daysSinceEpoch), .date)
    case .timestamp(let instant): return .scalar(String(instant), .timestamp)
    case .duration, .list: throw Unsupported(description: "a duration or list value")
    }
  }

  private func member(_ path: String) throws -> Operand {
    let shopCurrency = Self.quoted(shop.currency)
    let spentCurrency = "COALESCE(a.currency, \(shopCurrency))"
    switch path {
    case "id": return .scalar("CAST(\(memberID) AS TEXT)", .string)
    case "email", "phone", "first_name", "last_name", "locale", "timezone":
      return .scalar(memberColumn(path), .string)
    case "joined_at": return .scalar(memberColumn("joined_at"), .timestamp)
    case "tags": return .tags
    case "consent.email": return .scalar(consent, .bool)
    case "order_count": return .scalar("COALESCE(a.order_count, 0)", .number)
    case "total_spent":
      return .money(cents: "COALESCE(a.total_spent_cents, 0)", currency: spentCurrency)
    case "average_order_value":
      return .money(
        cents: "(CASE WHEN a.order_count > 0 THEN a.total_spent_cents / a.order_count END)",
        currency: spentCurrency)
    case "first_order_at", "last_order_at", "last_open_at", "last_click_at":
      return .scalar("a.\(path)", .timestamp)
    case "rfm_recency", "rfm_frequency", "rfm_monetary":
      let column = path.dropFirst("rfm_".count)
      return .scalar(
        "(SELECT r.\(column) FROM member_rfm r WHERE r.member_id = \(memberID))", .number)
    case "rfm_layer": return .scalar(Self.rfmLayer + "WHERE r.member_id = \(memberID))", .string)
    default:
      guard let field = fields[path] else { return .null }
      return try customField(field)
    }
  }

  /// A declared field's JSON value read as `PayloadCodec.value` reads it: a
  /// missing key gives the default, a value of the wrong shape null.
  private func customField(_ field: FieldDecl) throws -> Operand {
    let path = "'$.\(field.name)'"
    let json = memberColumn("fields")
    let type = "json_type(\(json), \(path))"
    let raw = "json_extract(\(json), \(path))"
    let fallback = try field.defaultValue.map(literal) ?? .null
    func reading(_ value: String, when shape: String, default other: String) -> String {
      "(CASE WHEN \(type) IS NULL THEN \(other) WHEN \(shape) THEN \(value) END)"
    }
    func scalar(_ kind: Kind, _ value: String, when shape: String) -> Operand {
      var other = "NULL"
      if case .scalar(let sql, _) = fallback { other = sql }
      return .scalar(reading(value, when: shape, default: other), kind)
    }
    var valueType = field.type
    if case .optional(let inner) = valueType { valueType = inner }
    switch valueType {
    case .string: return scalar(.string, raw, when: "\(type) = 'text'")
    case .number: return scalar(.number, raw, when: "\(type) IN ('integer', 'real')")
    case .bool: return scalar(.bool, "\(type) = 'true'", when: "\(type) IN ('true', 'false')")
    case .date: return scalar(.date, "flow_date(\(raw))", when: "\(type) = 'text'")
    case .timestamp:
      let value =
        "(CASE \(type) WHEN 'text' THEN flow_timestamp(\(raw)) ELSE CAST(\(raw) AS INTEGER) END)"
      return scalar(.timestamp, value, when: "\(type) IN ('integer', 'real', 'text')")
    case .money:
      var cents = "NULL"
      var currency = "NULL"
      if case .money(let c, let cur) = fallback {
        cents = c
        currency = cur
      }
      let isObject = "\(type) = 'object'"
      return .money(
        cents: reading("flow_money_cents(\(raw))", when: isObject, default: cents),
        currency: reading("flow_money_currency(\(raw))", when: isObject, default: currency))
    default:
      throw Unsupported(description: "field \(field.name) of a list or record type")
    }
  }

  /// The evaluator's `mayEmail`: the latest effective email consent at `now`
  /// allows marketing, and the address is not suppressed.
  private var consent: String {
    let allowing = [ConsentStatus.optedIn, ConsentStatus.confirmed].map(Self.quoted)
      .joined(separator: ", ")
    return """
      (COALESCE((SELECT c.status IN (\(allowing)) FROM consent_records c \
      WHERE c.member_id = \(memberID) AND c.channel = 'email' AND c.effective = 1 \
      AND c.occurred_at <= \(now) ORDER BY c.occurred_at DESC, c.id DESC LIMIT 1), 0) \
      AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = \(memberColumn("email"))))
      """
  }

  /// The layer of the member's scores, by the grid `RFMLayer.all` defines;
  /// the caller closes it with the `WHERE` naming the member.
  private static let rfmLayer: String = {
    let arms = RFMLayer.all.map {
      "WHEN r.recency BETWEEN \($0.recency.lowerBound) AND \($0.recency.upperBound) "
        + "AND r.frequency BETWEEN \($0.frequency.lowerBound) AND \($0.frequency.upperBound) "
        + "THEN \(quoted($0.name))"
    }
    return "(SELECT CASE \(arms.joined(separator: " ")) END FROM member_rfm r "
  }()

  static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}

/// Calendars by zone name for the SQL functions; an unknown or missing zone
/// is the shop's, as for the evaluator.
private final class CalendarCache: @unchecked Sendable {
  private let shop: ZonedCalendar
  private var byName: [String: ZonedCalendar] = [:]

  init(shop: ZonedCalendar) { self.shop = shop }

  func calendar(_ zone: SQLScalar) -> ZonedCalendar {
    guard case .text(let name) = zone else { return shop }
    if let cached = byName[name] { return cached }
    let calendar = TimeZone(identifier: name).map { ZonedCalendar(zone: $0) } ?? shop
    byName[name] = calendar
    return calendar
  }
}

extension CompareOp {
  /// The operator with its operands swapped: `a < b` is `b > a`.
  fileprivate var mirrored: CompareOp {
    switch self {
    case .eq, .ne: self
    case .lt: .gt
    case .le: .ge
    case .gt: .lt
    case .ge: .le
    }
  }

  fileprivate func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
    switch self {
    case .eq: a == b
    case .ne: a != b
    case .lt: a < b
    case .le: a <= b
    case .gt: a > b
    case .ge: a >= b
    }
  }
}
