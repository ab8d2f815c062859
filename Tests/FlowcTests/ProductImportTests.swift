import Foundation
import Testing

/// `flowc import products`: the catalog recommendations draw from.
@Suite("flowc import products")
struct ProductImportTests {
  private static let catalog = #"""
    {"products": [
      {"id": 632910392, "title": "IPod Nano - 8GB", "handle": "ipod-nano",
       "tags": "Emotive, Flash Memory, MP3", "variants": [{"price": "199.00"}],
       "image": {"src": "https://cdn.example.com/ipod-nano.png"}},
      {"id": 921728736, "title": "IPod Touch 8GB", "handle": "ipod-touch",
       "tags": "", "variants": [{"price": "199.00"}], "images": []}
    ]}
    """#

  @Test("imports a Shopify products export, idempotently")
  func importsAndReimports() async throws {
    let scratch = try TempDirectory()
    let file = scratch.path("products.json")
    try Data(Self.catalog.utf8).write(to: URL(fileURLWithPath: file))
    let db = scratch.path("store.db")
    let arguments = ["import", "products", file, "--db", db, "--shop", Repo.shop]
    let first = try await flowc(arguments)
    #expect(first.exitCode == 0, "\(first.stderr)")
    #expect(first.stdout == "imported 2 products (2 new or changed) into \(db)\n")
    let again = try await flowc(arguments)
    #expect(again.stdout == "imported 2 products (0 new or changed) into \(db)\n")
    #expect(
      try sqlite(db, "SELECT id, url, price_cents, currency, tags FROM products ORDER BY id") == [
        "632910392|https://shop.example.com/products/ipod-nano|19900|USD|emotive,flash memory,mp3",
        "921728736|https://shop.example.com/products/ipod-touch|19900|USD|",
      ])
  }

  @Test("a product without a title names its index; nothing is imported")
  func malformedProduct() async throws {
    let scratch = try TempDirectory()
    let file = scratch.path("products.json")
    try Data(#"[{"id": 1, "title": "Ok"}, {"id": 2}]"#.utf8).write(to: URL(fileURLWithPath: file))
    let db = scratch.path("store.db")
    let result = try await flowc(["import", "products", file, "--db", db, "--shop", Repo.shop])
    #expect(result.exitCode == 1)
    #expect(result.stderr == "\(file): products[1]: missing \"title\"\nnothing imported\n")
    #expect(try sqlite(db, "SELECT count(*) FROM products") == ["0"])
  }
}
