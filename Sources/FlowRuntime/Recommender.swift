import MemberStore

/// Picks products for a member's email: those whose tags match the member's
/// interests (their tags; `interest:shoes` means `shoes`) count double, those
/// sharing tags with what the member bought count once; a product the member
/// bought is never offered. Ties, and the rest of the list when too few
/// match, go to the products most members bought, then by id, so a rerun
/// picks the same.
struct Recommender {
  private let catalog: [ProductRecord]
  private let buyers: [String: Int]
  private let tagsByProduct: [String: Set<String>]

  init(catalog: [ProductRecord], buyers: [String: Int]) {
    self.catalog = catalog
    self.buyers = buyers
    tagsByProduct = Dictionary(
      catalog.map { ($0.id, Set($0.tags.map { $0.lowercased() })) }, uniquingKeysWith: { a, _ in a }
    )
  }

  var isEmpty: Bool { catalog.isEmpty }

  func pick(memberTags: Set<String>, purchased: Set<String>, limit: Int) -> [ProductRecord] {
    var interests: Set<String> = []
    for tag in memberTags {
      let lowered = tag.lowercased()
      interests.insert(lowered)
      if lowered.hasPrefix("interest:") { interests.insert(String(lowered.dropFirst(9))) }
    }
    let boughtTags = purchased.reduce(into: Set<String>()) { tags, id in
      tags.formUnion(tagsByProduct[id] ?? [])
    }
    let scored = catalog.filter { !purchased.contains($0.id) }.map { product in
      let tags = tagsByProduct[product.id] ?? []
      return (
        product: product,
        score: 2 * tags.intersection(interests).count + tags.intersection(boughtTags).count
      )
    }
    return scored.sorted { a, b in
      if a.score != b.score { return a.score > b.score }
      let (buyersA, buyersB) = (buyers[a.product.id] ?? 0, buyers[b.product.id] ?? 0)
      if buyersA != buyersB { return buyersA > buyersB }
      return a.product.id < b.product.id
    }.prefix(limit).map(\.product)
  }
}
