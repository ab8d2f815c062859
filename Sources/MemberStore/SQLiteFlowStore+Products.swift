/// The product catalog and purchased products.
extension SQLiteFlowStore {
  public func upsertProduct(_ product: ProductRecord, at: Int64) throws -> Bool {
    if try products(matching: product.id).first == product { return false }
    try db.prepare(
      """
      INSERT OR REPLACE INTO products(id, title, url, image_url, price_cents, currency, tags, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .text(product.id), .text(product.title), product.url.map(SQLValue.text),
      product.imageURL.map(SQLValue.text), product.priceCents.map(SQLValue.int),
      product.currency.map(SQLValue.text), .text(product.tags.joined(separator: ",")), .int(at)
    ).run()
    return true
  }

  public func products() throws -> [ProductRecord] {
    try products(matching: nil)
  }

  private func products(matching id: String?) throws -> [ProductRecord] {
    let rows = try db.prepare(
      """
      SELECT id, title, url, image_url, price_cents, currency, tags FROM products
      WHERE ?1 IS NULL OR id = ?1 ORDER BY id
      """
    ).bind(id.map(SQLValue.text))
    defer { rows.reset() }
    var result: [ProductRecord] = []
    while try rows.step() {
      let tags = rows.text(6)
      result.append(
        ProductRecord(
          id: rows.text(0), title: rows.text(1), url: rows.optionalText(2),
          imageURL: rows.optionalText(3), priceCents: rows.optionalInt(4),
          currency: rows.optionalText(5),
          tags: tags.isEmpty ? [] : tags.split(separator: ",").map(String.init)))
    }
    return result
  }

  public func recordPurchases(memberID: Int64, productIDs: [String]) throws {
    for id in productIDs {
      try db.prepare("INSERT OR IGNORE INTO member_products(member_id, product_id) VALUES (?, ?)")
        .bind(.int(memberID), .text(id)).run()
    }
  }

  public func purchasedProducts(memberID: Int64) throws -> Set<String> {
    let rows = try db.prepare("SELECT product_id FROM member_products WHERE member_id = ?")
      .bind(.int(memberID))
    defer { rows.reset() }
    var result: Set<String> = []
    while try rows.step() { result.insert(rows.text(0)) }
    return result
  }

  public func productBuyerCounts() throws -> [String: Int] {
    let rows = try db.prepare(
      "SELECT product_id, count(*) FROM member_products GROUP BY product_id")
    defer { rows.reset() }
    var result: [String: Int] = [:]
    while try rows.step() { result[rows.text(0)] = Int(rows.int(1)) }
    return result
  }
}
