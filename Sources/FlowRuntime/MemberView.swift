import FlowIR
import MemberStore

/// A member as flows see them at one moment: profile, custom fields,
/// aggregates, tags, segments and consent, loaded once per unit of work and
/// kept current in memory while the runtime changes it.
struct MemberView {
  var record: MemberRecord
  var fields: [String: Value]
  var aggregates: MemberAggregates
  var tags: Set<String>
  var segments: Set<String>
  var mayEmail: Bool
  /// The zone `local` means for this member: theirs, else the shop's.
  var calendar: ZonedCalendar
  /// RFM quintiles; nil until the member has an order and a daily pass ran.
  var rfm: RFMScores? = nil

  /// The value of `member.PATH`; unknown or unset fields are null.
  func value(_ path: String, currency: String) -> Value {
    switch path {
    case "id": return .string(String(record.id))
    case "email": return .string(record.email)
    case "phone": return record.phone.map(Value.string) ?? .null
    case "first_name": return record.firstName.map(Value.string) ?? .null
    case "last_name": return record.lastName.map(Value.string) ?? .null
    case "locale": return record.locale.map(Value.string) ?? .null
    case "timezone": return record.timezone.map(Value.string) ?? .null
    case "joined_at": return record.joinedAt.map(Value.timestamp) ?? .null
    case "tags": return .list(tags.sorted().map(Value.string))
    case "consent.email": return .bool(mayEmail)
    case "order_count": return .number(Double(aggregates.orderCount))
    case "total_spent":
      return .money(Money(cents: aggregates.totalSpentCents, currency: spentCurrency(currency)))
    case "average_order_value":
      guard aggregates.orderCount > 0 else { return .null }
      return .money(
        Money(
          cents: aggregates.totalSpentCents / aggregates.orderCount,
          currency: spentCurrency(currency)))
    case "first_order_at": return aggregates.firstOrderAt.map(Value.timestamp) ?? .null
    case "last_order_at": return aggregates.lastOrderAt.map(Value.timestamp) ?? .null
    case "last_open_at": return aggregates.lastOpenAt.map(Value.timestamp) ?? .null
    case "last_click_at": return aggregates.lastClickAt.map(Value.timestamp) ?? .null
    case "rfm_recency": return rfm.map { .number(Double($0.recency)) } ?? .null
    case "rfm_frequency": return rfm.map { .number(Double($0.frequency)) } ?? .null
    case "rfm_monetary": return rfm.map { .number(Double($0.monetary)) } ?? .null
    case "rfm_layer":
      return rfm.flatMap { RFMLayer.named(recency: $0.recency, frequency: $0.frequency) }
        .map(Value.string) ?? .null
    default: return fields[path] ?? .null
    }
  }

  private func spentCurrency(_ shopCurrency: String) -> String {
    aggregates.currency ?? shopCurrency
  }
}
