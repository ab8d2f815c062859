import FlowIR
import FlowRuntime
import Foundation
import MemberStore

/// Loads the shop's catalog for recommendations from a Shopify products JSON
/// export (`{"products": [...]}` as the Admin API returns it, or a bare
/// array): id, title, handle (the product page is `SHOP_URL/products/HANDLE`),
/// comma-separated tags, the first variant's price and the first image.
/// All-or-nothing: a malformed product names its index and nothing is stored.
public enum ProductCatalogImporter {
  /// What an import did.
  public struct Report: Sendable, Hashable {
    public var products: Int
    public var changed: Int
  }

  /// A product that cannot be read, by its index in the file.
  public struct Problem: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  public static func importShopifyJSON(
    _ data: Data, into store: SQLiteFlowStore, shop: ShopSettings, at now: Int64
  ) throws -> Report {
    let products = try parse(data, shop: shop)
    var changed = 0
    try store.transaction {
      for product in products where try store.upsertProduct(product, at: now) { changed += 1 }
    }
    return Report(products: products.count, changed: changed)
  }

  static func parse(_ data: Data, shop: ShopSettings) throws -> [ProductRecord] {
    let json = try? JSONSerialization.jsonObject(with: data)
    guard
      let list = (json as? [String: Any])?["products"] as? [Any] ?? json as? [Any]
    else {
      throw Problem(description: "expected {\"products\": [...]} or a JSON array of products")
    }
    return try list.enumerated().map { index, raw in
      guard let object = raw as? [String: Any] else {
        throw Problem(description: "products[\(index)]: not an object")
      }
      return try product(object, index: index, shop: shop)
    }
  }

  private static func product(_ object: [String: Any], index: Int, shop: ShopSettings) throws
    -> ProductRecord
  {
    func fail(_ reason: String) -> Problem { Problem(description: "products[\(index)]: \(reason)") }
    let id: String
    if let number = object["id"] as? NSNumber, !PayloadCodec.isBoolean(number) {
      id = number.stringValue
    } else if let text = object["id"] as? String, !text.isEmpty {
      id = text
    } else {
      throw fail("missing \"id\"")
    }
    guard let title = object["title"] as? String, !title.isEmpty else {
      throw fail("missing \"title\"")
    }
    let handle = object["handle"] as? String
    let tags = ((object["tags"] as? String) ?? "").split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    var price: Money?
    if let variant = (object["variants"] as? [[String: Any]])?.first, let raw = variant["price"] {
      let text = (raw as? String) ?? (raw as? NSNumber)?.stringValue ?? ""
      guard let money = Money(decimal: text, currency: shop.currency) else {
        throw fail("price '\(text)' is not a decimal amount")
      }
      price = money
    }
    let image =
      ((object["image"] as? [String: Any])?["src"] as? String)
      ?? ((object["images"] as? [[String: Any]])?.first?["src"] as? String)
    return ProductRecord(
      id: id, title: title, url: handle.map { "\(shop.url)/products/\($0)" }, imageURL: image,
      priceCents: price?.cents, currency: price?.currency, tags: tags)
  }
}
