import FlowIR
import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct EvaluatorTests {
  private let now = utc(2024, 6, 1, 12)

  private func member(
    lastOrderAt: Int64? = nil, spentCents: Int64 = 0, currency: String? = nil, orders: Int64 = 0,
    tags: Set<String> = [], fields: [String: Value] = [:], zone: String = "UTC"
  ) -> MemberView {
    var aggregates = MemberAggregates()
    aggregates.orderCount = orders
    aggregates.totalSpentCents = spentCents
    aggregates.currency = currency
    aggregates.lastOrderAt = lastOrderAt
    return MemberView(
      record: MemberRecord(id: 7, email: "m@example.com"), fields: fields, aggregates: aggregates,
      tags: tags, segments: [], mayEmail: true,
      calendar: ZonedCalendar(zone: TimeZone(identifier: zone)!))
  }

  private func evaluator(_ member: MemberView, now: Int64? = nil) -> Evaluator {
    Evaluator(now: now ?? self.now, member: member, currency: "USD")
  }

  private func usd(_ cents: Int64) -> Expr {
    .literal(.money(Money(cents: cents, currency: "USD")))
  }

  // MARK: Nulls

  @Test func everyComparisonWithNullIsFalse() {
    let e = evaluator(member())
    let ops: [CompareOp] = [.eq, .ne, .lt, .le, .gt, .ge]
    // member.first_name and member.last_order_at are unset.
    for op in ops {
      #expect(!e.truth(.compare(op, .member("first_name"), .literal(.string("Ann")))), "\(op)")
      #expect(
        !e.truth(.compare(op, .member("last_order_at"), .literal(.timestamp(now)))), "\(op)")
      #expect(!e.truth(.compare(op, .literal(.null), .literal(.null))), "\(op)")
      #expect(!e.truth(.compare(op, .member("average_order_value"), usd(0))), "\(op)")
    }
    // Unknown event and trigger fields are null too.
    #expect(!e.truth(.compare(.eq, .event("missing"), .literal(.null))))
    #expect(e.evaluate(.trigger("missing")) == .null)
  }

  @Test func beforeAndWithinOfNullAreFalse() {
    let e = evaluator(member())
    #expect(!e.truth(.before(.member("last_order_at"), Duration(1, .days))))
    #expect(!e.truth(.within(.member("last_order_at"), Duration(1, .days))))
    #expect(e.truth(.not(.before(.member("last_order_at"), Duration(1, .days)))))
  }

  // MARK: Money

  @Test func moneyInDifferentCurrenciesNeverCompares() {
    let e = evaluator(member(spentCents: 100_000, currency: "EUR", orders: 3))
    #expect(e.evaluate(.member("total_spent")) == .money(Money(cents: 100_000, currency: "EUR")))
    for op in [CompareOp.eq, .ne, .lt, .le, .gt, .ge] {
      #expect(!e.truth(.compare(op, .member("total_spent"), usd(50_000))), "\(op)")
      #expect(!e.truth(.compare(op, .member("total_spent"), usd(100_000))), "\(op)")
    }
    let eur = Expr.literal(.money(Money(cents: 50_000, currency: "EUR")))
    #expect(e.truth(.compare(.ge, .member("total_spent"), eur)))
    #expect(e.truth(.compare(.ne, .member("total_spent"), eur)))
  }

  @Test func moneyInTheSameCurrencyComparesByCents() {
    let e = evaluator(member(spentCents: 50_000, currency: "USD", orders: 3))
    #expect(e.truth(.compare(.ge, .member("total_spent"), usd(50_000))))
    #expect(!e.truth(.compare(.gt, .member("total_spent"), usd(50_000))))
    #expect(e.truth(.compare(.lt, .member("total_spent"), usd(50_001))))
    // Without orders total_spent is zero in the shop's currency.
    let none = evaluator(member())
    #expect(none.evaluate(.member("total_spent")) == .money(Money(cents: 0, currency: "USD")))
    #expect(none.evaluate(.member("average_order_value")) == .null)
    #expect(
      evaluator(member(spentCents: 1001, currency: "USD", orders: 2)).evaluate(
        .member("average_order_value")) == .money(Money(cents: 500, currency: "USD")))
  }

  // MARK: before / within boundaries

  @Test func beforeIsTrueExactlyAtXPlusD() {
    let x = now - 90 * day
    let m = member(lastOrderAt: x)
    let lapsed = Expr.before(.member("last_order_at"), Duration(90, .days))
    #expect(evaluator(m, now: x + 90 * day).truth(lapsed))
    #expect(!evaluator(m, now: x + 90 * day - 1).truth(lapsed))
    #expect(evaluator(m, now: x + 90 * day + 1).truth(lapsed))
  }

  @Test func withinIsFalseExactlyAtXPlusDAndBeforeX() {
    let x = now
    let m = member(lastOrderAt: x)
    let recent = Expr.within(.member("last_order_at"), Duration(30, .days))
    #expect(evaluator(m, now: x).truth(recent))
    #expect(evaluator(m, now: x + 30 * day - 1).truth(recent))
    #expect(!evaluator(m, now: x + 30 * day).truth(recent))
    // Not in the future.
    #expect(!evaluator(m, now: x - 1).truth(recent))
  }

  @Test func beforeUsesLocalCalendarDays() {
    // 2024-02-01 12:00 UTC is 13:00 CET; 90 local days later is 2024-05-01 13:00 CEST = 11:00 UTC.
    let x = utc(2024, 2, 1, 12)
    let m = member(lastOrderAt: x, zone: "Europe/Berlin")
    let lapsed = Expr.before(.member("last_order_at"), Duration(90, .days))
    #expect(!evaluator(m, now: utc(2024, 5, 1, 10, 59, 59)).truth(lapsed))
    #expect(evaluator(m, now: utc(2024, 5, 1, 11)).truth(lapsed))
    #expect(
      evaluator(m, now: utc(2024, 3, 1)).changeMoments(lapsed, segments: [:])
        == [utc(2024, 5, 1, 11)])
  }

  @Test func beforeOnADateFieldCountsFromLocalMidnight() {
    let birthday = CalendarDate(year: 2024, month: 5, day: 1)
    let m = member(fields: ["signup_day": .date(birthday)], zone: "America/New_York")
    let old = Expr.before(.member("signup_day"), Duration(1, .days))
    // Local midnight of 2024-05-02 in New York is 04:00 UTC.
    #expect(!evaluator(m, now: utc(2024, 5, 2, 3, 59, 59)).truth(old))
    #expect(evaluator(m, now: utc(2024, 5, 2, 4)).truth(old))
  }

  @Test func changeMomentsAreTheFutureEdges() {
    let x = now - 10 * day
    let m = member(lastOrderAt: x)
    let e = evaluator(m)
    let expr = Expr.or(
      .before(.member("last_order_at"), Duration(90, .days)),
      .within(.member("last_order_at"), Duration(30, .days)))
    #expect(e.changeMoments(expr, segments: [:]).sorted() == [x + 30 * day, x + 90 * day])
    // Through a segment reference.
    #expect(
      e.changeMoments(.segment("lapsing"), segments: ["lapsing": expr]).sorted()
        == [x + 30 * day, x + 90 * day])
  }

  // MARK: has

  @Test func hasOnTags() {
    let e = evaluator(member(tags: ["vip", "buyer:repeat"]))
    #expect(e.truth(.has(.member("tags"), .literal(.string("vip")))))
    #expect(e.truth(.has(.member("tags"), .literal(.string("buyer:repeat")))))
    #expect(!e.truth(.has(.member("tags"), .literal(.string("VIP")))))
    #expect(!e.truth(.has(.member("tags"), .literal(.string("vi")))))
    #expect(!e.truth(.has(.member("tags"), .literal(.null))))
    #expect(!evaluator(member()).truth(.has(.member("tags"), .literal(.string("vip")))))
    // A null collection is false, not an error.
    #expect(!e.truth(.has(.member("nonexistent"), .literal(.string("vip")))))
  }

  @Test func booleanConnectives() {
    let e = evaluator(member(orders: 2))
    let two = Expr.compare(.eq, .member("order_count"), .literal(.number(2)))
    let three = Expr.compare(.eq, .member("order_count"), .literal(.number(3)))
    #expect(e.truth(.and(two, .not(three))))
    #expect(e.truth(.or(three, two)))
    #expect(!e.truth(.and(two, three)))
    #expect(e.truth(.member("consent.email")))
  }
}
