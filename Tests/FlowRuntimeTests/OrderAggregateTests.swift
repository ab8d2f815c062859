import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

/// Order aggregates are recomputed from the store for each `order_placed`:
/// imported summaries plus the orders after them, as of the event.
@Suite struct OrderAggregateTests {
  private let t0 = utc(2025, 3, 1)

  @Test func aSummaryAndSameSecondOrdersCountOneByOne() throws {
    let h = try Harness(
      """
      flow sixth {
        trigger event order_placed
        only if member.order_count == 6
        send thanks { template "t" subject "Six orders" }
      }
      """)
    let ann = try h.join("ann@example.com", at: t0)
    try h.store.saveOrderSummary(
      memberID: ann, source: "import:shopify-customers", orderCount: 5, totalCents: 41_250,
      currency: "USD", asOf: t0)
    try h.order(ann, at: t0 + day, amount: "68.18")
    try h.order(ann, at: t0 + day, amount: "10.00")
    try h.drain(until: t0 + 2 * day)
    #expect(try h.outbox().map(\.step) == ["thanks"])
    let aggregates = try h.store.aggregates(memberID: ann)
    #expect(aggregates.orderCount == 7)
    #expect(aggregates.totalSpentCents == 41_250 + 6_818 + 1_000)
    #expect(aggregates.firstOrderAt == t0 + day && aggregates.lastOrderAt == t0 + day)
  }
}
