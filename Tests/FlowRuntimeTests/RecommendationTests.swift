import Foundation
import MemberStore
import Testing

@testable import FlowRuntime

@Suite struct RecommendationTests {
  private static let catalog = [
    ProductRecord(id: "boots", title: "Boots", tags: ["shoes", "winter"]),
    ProductRecord(id: "sandals", title: "Sandals", tags: ["shoes", "summer"]),
    ProductRecord(id: "scarf", title: "Scarf", tags: ["winter", "accessories"]),
    ProductRecord(id: "hat", title: "Hat", tags: ["accessories"]),
    ProductRecord(id: "socks", title: "Socks", tags: ["basics"]),
  ]

  @Test func interestsFirstThenWhatGoesWithPurchasesNeverWhatWasBought() {
    let recommender = Recommender(catalog: Self.catalog, buyers: ["socks": 9, "hat": 3])
    let picked = recommender.pick(
      memberTags: ["interest:shoes", "tier:vip"], purchased: ["boots"], limit: 4)
    // sandals: 2 (interest) ; scarf: 1 (shares "winter" with boots);
    // then by buyers: socks (9), hat (3).
    #expect(picked.map(\.id) == ["sandals", "scarf", "socks", "hat"])
  }

  @Test func withoutTagsOrPurchasesTheMostBoughtComeFirst() {
    let recommender = Recommender(catalog: Self.catalog, buyers: ["hat": 2, "scarf": 5])
    #expect(
      recommender.pick(memberTags: [], purchased: [], limit: 3).map(\.id)
        == ["scarf", "hat", "boots"])
  }

  @Test func aSendOffersCatalogProductsTheMemberHasNotBought() throws {
    let h = try Harness(
      """
      flow thanks {
        trigger event order_placed
        send thank_you { template "t" subject "Thanks" }
      }
      """,
      templates: [
        "t.html.liquid":
          "{% for p in recommendations %}{{ p.title }} {{ p.price | money }} {{ p.url }};{% endfor %}"
      ])
    for product in Self.catalog {
      _ = try h.store.upsertProduct(
        ProductRecord(
          id: product.id, title: product.title,
          url: "https://shop.example.com/products/\(product.id)",
          priceCents: 1999, currency: "USD", tags: product.tags), at: 0)
    }
    let ann = try h.join("ann@example.com", at: utc(2024, 1, 1))
    try h.event(
      ann, "order_placed", at: utc(2024, 1, 2),
      payload: #"""
        {"order_id": "o1", "total": {"amount": "19.99", "currency": "USD"},
         "items": [{"product_id": "boots", "title": "Boots", "quantity": 1,
                    "price": {"amount": "19.99", "currency": "USD"}}]}
        """#)
    try h.drain(until: utc(2024, 1, 3))
    let message = String(
      decoding: try #require(try h.store.pendingOutbox(limit: 1).first).message, as: UTF8.self
    )
    .replacingOccurrences(of: "=\r\n", with: "")
    #expect(try h.store.purchasedProducts(memberID: ann) == ["boots"])
    // Scarf shares "winter" with the boots; the rest by id (no buyers yet
    // when the catalog was read, at the first send).
    #expect(
      message.contains(
        "Scarf $19.99 https://shop.example.com/products/scarf;Hat $19.99 https://shop.example.com/products/hat;"
      ))
    #expect(!message.contains("Boots $19.99"))
  }
}
