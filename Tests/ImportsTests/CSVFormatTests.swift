import FlowIR
import Foundation
import Identity
import Testing

@testable import Imports

@Suite("CSV export formats")
struct CSVFormatTests {
  static let asOf: Int64 = 1_740_873_600

  func shopify(_ name: String) throws -> [Int: MemberInput] {
    try members(formatFixture(name)) { header throws(FormatError) in
      try ShopifyCustomersCSV(header: header, currency: "USD", asOf: Self.asOf)
    }
  }

  @Test("Shopify export, current layout: ids, phones without the apostrophe, consent, totals")
  func shopifyCurrent() throws {
    let rows = try shopify("shopify_customers_export.csv")
    #expect(rows.keys.sorted() == [2, 3, 4, 5])
    let alice = try #require(rows[2])
    #expect(alice.externalIDs == ["shopify:7000000000001"])
    #expect(alice.email == "alice@example.com")
    #expect(alice.phone == "+15555550101")
    #expect(alice.firstName == "Alice" && alice.lastName == "Example")
    #expect(alice.tags == ["VIP", "newsletter"])
    #expect(
      alice.consent == [
        ConsentInput(channel: "email", status: "opted_in", evidence: "Shopify customer export"),
        ConsentInput(channel: "sms", status: "not_subscribed", evidence: "Shopify customer export"),
      ])
    #expect(
      alice.orderSummary
        == OrderSummary(
          orderCount: 5, totalSpent: Money(cents: 41250, currency: "USD"), asOf: Self.asOf))
    #expect(alice.source == "import:shopify-customers")
    let bob = try #require(rows[3])
    #expect(bob.phone == nil)
    #expect(bob.tags == [])
    #expect(bob.orderSummary?.orderCount == 0)
    let carol = try #require(rows[4])
    #expect(carol.email == nil)
    #expect(carol.phone == "+15555550103")
    #expect(carol.consent.map(\.status) == ["not_subscribed", "opted_in"])
    let dana = try #require(rows[5])
    #expect(dana.email == "DANA@EXAMPLE.ORG")
    #expect(dana.tags == ["wholesale", "VIP", "loyal-app_about_to_sleep"])
    #expect(dana.orderSummary?.totalSpent == Money(cents: 125000, currency: "USD"))
  }

  @Test("Shopify export, extended layout: metafield columns become fields by key")
  func shopifyExtended() throws {
    let rows = try shopify("shopify_customers_export_extended.csv")
    #expect(rows[2]?.fields == ["loyalty_tier": "gold"])
    #expect(rows[2]?.externalIDs == ["shopify:7000000000001"])
    #expect(rows[3]?.fields == [:])
    #expect(rows[3]?.consent.map(\.channel) == ["email", "sms"])
    #expect(ShopifyCustomersCSV.metafieldKey("Tier (customer.metafields.custom.tier)") == "tier")
    #expect(ShopifyCustomersCSV.metafieldKey("Tags") == nil)
  }

  @Test("Shopify export, legacy layout: one Accepts Marketing column, no id")
  func shopifyLegacy() throws {
    let rows = try shopify("shopify_customers_export_legacy.csv")
    let alice = try #require(rows[2])
    #expect(alice.externalIDs == [])
    #expect(alice.phone == "+15555550101")
    #expect(
      alice.consent == [
        ConsentInput(channel: "email", status: "opted_in", evidence: "Shopify customer export")
      ])
    #expect(alice.orderSummary?.totalSpent.cents == 41250)
    let bob = try #require(rows[3])
    #expect(bob.email == "bob@example.com" && bob.firstName == nil)
  }

  @Test("Shopify export: a bad consent answer and a bad total are row errors")
  func shopifyBadRows() throws {
    let header =
      "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Total Spent,Total Orders\n"
    let path = try temporaryFile(
      header + "'1,A,B,a@example.com,maybe,1,1\n'2,C,D,c@example.com,yes,1.234,1\n")
    let source = try CSVSource(path: path) { header throws(FormatError) in
      try ShopifyCustomersCSV(header: header, currency: "USD", asOf: 0)
    }
    #expect(throws: LineError.self) { try source.next() }
    do {
      _ = try source.next()
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 3)
      #expect(error.reason == "Total Spent '1.234' is not an amount like 412.50")
      #expect(String(decoding: error.raw, as: UTF8.self) == "'2,C,D,c@example.com,yes,1.234,1\n")
    }
    #expect(throws: FormatError.self) {
      _ = try CSVSource(path: try temporaryFile("Name,Mail\nx,y\n")) { header throws(FormatError) in
        try ShopifyCustomersCSV(header: header, currency: "USD", asOf: 0)
      }
    }
  }

  @Test("Mailchimp subscribed export: confirmed with opt-in evidence, LEID, quoted tags")
  func mailchimp() throws {
    let rows = try members(formatFixture("mailchimp_subscribed_members_export.csv")) {
      header throws(FormatError) in try MailchimpCSV(header: header)
    }
    let alice = try #require(rows[2])
    #expect(alice.email == "alice@example.com")
    #expect(alice.externalIDs == ["mailchimp:100000001"])
    #expect(alice.tags == ["VIP", "Customer"])
    #expect(alice.timezone == "America/Los_Angeles")
    #expect(alice.joinedAt == 1_710_407_551)
    #expect(
      alice.consent == [
        ConsentInput(
          channel: "email", status: "confirmed", occurredAt: 1_710_407_642,
          evidence:
            "optin 2024-03-14 09:12:31 198.51.100.10, confirm 2024-03-14 09:14:02 198.51.100.10")
      ])
    let bob = try #require(rows[3])
    #expect(
      bob.consent == [
        ConsentInput(
          channel: "email", status: "confirmed", occurredAt: 1_698_946_800,
          evidence: "confirm 2023-11-02 17:40:00")
      ])
    #expect(bob.tags == [])
    #expect(rows[4]?.tags == ["Newsletter"])
    #expect(rows[4]?.email == "carol.test+news@example.org")
  }

  @Test("Mailchimp unsubscribed and cleaned files, told apart by their time columns")
  func mailchimpOtherFiles() throws {
    let unsubscribed = try members(
      temporaryFile(
        "\"Email Address\",OPTIN_TIME,UNSUB_TIME\na@example.com,,\"2024-05-01 08:00:00\"\n")
    ) { header throws(FormatError) in try MailchimpCSV(header: header) }
    #expect(unsubscribed[2]?.consent.first?.status == "unsubscribed")
    #expect(unsubscribed[2]?.consent.first?.occurredAt == 1_714_550_400)
    let cleaned = try members(
      temporaryFile("\"Email Address\",CLEAN_TIME\nb@example.com,\"2024-05-01 08:00:00\"\n")
    ) { header throws(FormatError) in try MailchimpCSV(header: header) }
    #expect(cleaned[2]?.consent.first?.status == "bounced")
    #expect(try MailchimpCSV.tagList("\"a \"\"b\"\"\", c") == ["a \"b\"", "c"])
    #expect(throws: RowError("unterminated quote in TAGS")) { try MailchimpCSV.tagList("\"VIP") }
  }

  @Test("generic mapping: targets, ids, fields, tags, consent words and dates")
  func mapped() throws {
    let mappingFile = try temporaryFile(
      """
      {"columns": {"email": "E-mail", "first_name": "Given name", "field.birthday": "DOB",
        "id.pos": "Customer No", "tags": "Labels", "joined_at": "Since"},
       "consent": {"column": "Newsletter", "yes": ["yes", "1"], "no": ["no"]},
       "tag_separator": ";"}
      """, name: "mapping.json")
    let mapping = try ColumnMapping.load(path: mappingFile)
    let csv = try temporaryFile(
      "E-mail,Given name,DOB,Customer No,Labels,Newsletter,Since\n"
        + "ann@example.com,Ann,1990-04-01,C-7,a; b,1,2024-01-02\n"
        + "bob@example.com,,,,,no,\n" + "cid@example.com,,,,,maybe,\n")
    let rows = try members(csv) { header throws(FormatError) in
      try MappedCSV(header: header, mapping: mapping)
    }
    let ann = try #require(rows[2])
    #expect(ann.email == "ann@example.com" && ann.firstName == "Ann")
    #expect(ann.fields == ["birthday": "1990-04-01"])
    #expect(ann.externalIDs == ["pos:C-7"])
    #expect(ann.tags == ["a", "b"])
    #expect(ann.joinedAt == 1_704_153_600)
    #expect(ann.consent.map(\.status) == ["opted_in"])
    #expect(rows[3]?.consent.map(\.status) == ["not_subscribed"])
    #expect(rows[4]?.consent == [])
  }

  @Test("generic mapping errors name the target or the column and list the header")
  func mappingErrors() throws {
    var mapping = ColumnMapping()
    #expect(
      throws: FormatError(
        "unknown mapping target 'mail'; use email, phone, first_name, last_name, locale, "
          + "timezone, visitor, joined_at, tags, field.NAME or id.KIND")
    ) { try mapping.add("mail=E-mail") }
    #expect(throws: FormatError("--map expects TARGET=COLUMN, got 'email'")) {
      try mapping.add("email")
    }
    try mapping.add("email=Mail")
    #expect(
      throws: FormatError("column 'Mail' (for email) is not in the header: 'E-mail', 'Name'")
    ) { try MappedCSV(header: CSVHeader(["E-mail", "Name"]), mapping: mapping) }
  }

  @Test("the Klaviyo preset needs only an Email column")
  func klaviyo() throws {
    let rows = try members(
      temporaryFile("Email,First Name,Phone Number\nk@example.com,Kim,+15555550109\n")
    ) {
      header throws(FormatError) in try MappedCSV(header: header, mapping: .klaviyo)
    }
    #expect(rows[2]?.email == "k@example.com")
    #expect(rows[2]?.phone == "+15555550109")
    #expect(rows[2]?.source == "import:klaviyo")
  }
}
