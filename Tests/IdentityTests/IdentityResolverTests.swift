import FlowIR
import Foundation
import Identity
import Testing

@testable import MemberStore

/// A resolver over a real SQLite store in a temporary directory.
final class Fixture {
  let directory: URL
  let store: SQLiteFlowStore
  let resolver: IdentityResolver

  init(
    rules: IdentityRules = IdentityRules(), fields: [FieldDecl] = [], country: String? = "US"
  ) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("identity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    store = try SQLiteFlowStore(path: directory.appendingPathComponent("flow.db").path)
    resolver = IdentityResolver(
      store: store, rules: rules, fields: fields, defaultCountry: country, shopCurrency: "USD")
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  func upsert(_ input: MemberInput, at time: Int64) throws -> IdentityResolver.Resolution {
    try store.transaction { try resolver.upsert(input, at: time) }
  }

  func count(_ sql: String) throws -> Int64 {
    let row = try store.db.prepareOnce(sql)
    _ = try row.step()
    return row.int(0)
  }
}

let march1: Int64 = 1_740_787_200  // 2025-03-01T00:00:00Z
let day: Int64 = 86_400

@Suite("Identity keys")
struct IdentityKeyTests {
  @Test func emailIsTrimmedAndLowerCasedButStoredAsWritten() throws {
    let f = try Fixture()
    let first = try f.upsert(MemberInput(source: "test", email: "  Ann@Example.COM "), at: march1)
    let again = try f.upsert(MemberInput(source: "test", email: "ann@example.com"), at: march1 + 1)
    #expect(first.created && !again.created)
    #expect(again.memberID == first.memberID)
    #expect(try f.store.member(id: first.memberID)?.email == "ann@example.com")
    #expect(
      try f.store.identities(memberID: first.memberID) == [
        IdentityKey(kind: "email", value: "ann@example.com")
      ])
  }

  @Test func plusAddressingMatchesOnlyWhenTheRulesSaySo() throws {
    let strict = try Fixture()
    let a = try strict.upsert(MemberInput(source: "t", email: "ann@x.com"), at: march1)
    let b = try strict.upsert(MemberInput(source: "t", email: "ann+news@x.com"), at: march1)
    #expect(a.memberID != b.memberID)

    let loose = try Fixture(rules: IdentityRules(ignoresPlusAddressing: true))
    let c = try loose.upsert(MemberInput(source: "t", email: "ann@x.com"), at: march1)
    let d = try loose.upsert(MemberInput(source: "t", email: "Ann+News@x.com"), at: march1)
    #expect(c.memberID == d.memberID)
    #expect(try loose.store.member(id: c.memberID)?.email == "Ann+News@x.com")
  }

  @Test func phonesBecomeE164WithTheShopCountry() throws {
    let uk = try Fixture(country: "GB")
    let member = try uk.upsert(MemberInput(source: "t", phone: "'020 (7946) 0018"), at: march1)
    #expect(try uk.store.member(id: member.memberID)?.phone == "+442079460018")
    let same = try uk.upsert(MemberInput(source: "t", phone: "0044 20 7946-0018"), at: march1)
    #expect(same.memberID == member.memberID)
    let us = try Fixture(country: "US")
    let american = try us.upsert(MemberInput(source: "t", phone: "(415) 555.0100"), at: march1)
    #expect(try us.store.member(id: american.memberID)?.phone == "+14155550100")
    let written = try uk.upsert(MemberInput(source: "t", phone: "+44 (0)20 7946 0018"), at: march1)
    #expect(written.memberID == member.memberID)
  }

  @Test func badRecordsAreInputErrorsWithAReason() throws {
    let f = try Fixture(fields: [FieldDecl(name: "birthday", type: .date)])
    #expect(throws: IdentityResolver.InputError("no email, phone or id")) {
      try f.upsert(MemberInput(source: "t"), at: march1)
    }
    #expect(
      throws: IdentityResolver.InputError(
        "phone '12' is +112 with the country code: 3 digits, where a phone number has 7 to 15")
    ) {
      try f.upsert(MemberInput(source: "t", phone: "12"), at: march1)
    }
    #expect(
      throws: IdentityResolver.InputError("phone 'notaphone' has characters other than digits")
    ) {
      try f.upsert(MemberInput(source: "t", phone: "notaphone"), at: march1)
    }
    #expect(
      throws: IdentityResolver.InputError(
        "field 'birthday': '1990-13-01' is not a date (YYYY-MM-DD)")
    ) {
      try f.upsert(
        MemberInput(source: "t", email: "a@x.com", fields: ["birthday": "1990-13-01"]), at: march1)
    }
    #expect(
      throws: IdentityResolver.InputError(
        "field 'shoe' is not declared (add 'field shoe: ...' to the flows)")
    ) {
      try f.upsert(MemberInput(source: "t", email: "a@x.com", fields: ["shoe": "42"]), at: march1)
    }
    #expect(try f.count("SELECT count(*) FROM members") == 0)
  }
}

@Suite("Identity resolution")
struct ResolutionTests {
  @Test func aNewMemberJoinsOnceWithProfileFieldsTagsAndConsent() throws {
    let f = try Fixture(fields: [
      FieldDecl(name: "birthday", type: .date), FieldDecl(name: "credit", type: .money),
    ])
    let input = MemberInput(
      source: "import:csv", email: "ann@x.com", externalIDs: ["shopify:7"], firstName: "Ann",
      fields: ["birthday": "1990-04-02", "credit": "12.50 usd"], tags: ["vip"],
      consent: [
        ConsentInput(
          channel: "email", status: "opted_in", occurredAt: march1 - day, evidence: "form")
      ],
      joinedAt: march1 - day)
    let first = try f.upsert(input, at: march1)
    _ = try f.upsert(
      MemberInput(source: "import:csv", externalIDs: ["shopify:7"], lastName: "Lee"), at: march1 + 1
    )
    let member = try #require(try f.store.member(id: first.memberID))
    #expect(member.firstName == "Ann" && member.lastName == "Lee")
    #expect(
      member.fieldsJSON
        == #"{"birthday":"1990-04-02","credit":{"amount":"12.50","currency":"USD"}}"#)
    #expect(try f.store.tags(memberID: first.memberID) == ["vip"])
    #expect(
      try f.store.consentStatus(memberID: first.memberID, channel: "email", at: march1)
        == "opted_in")
    #expect(try f.count("SELECT count(*) FROM events WHERE name = 'member_joined'") == 1)
  }

  @Test func aMemberCreatedWithoutAnnouncingGetsNoJoinedEvent() throws {
    let f = try Fixture()
    let quiet = try f.store.transaction {
      try f.resolver.upsert(
        MemberInput(source: "signup", email: "ann@x.com"), at: march1, announcingJoin: false)
    }
    #expect(quiet.created)
    #expect(try f.count("SELECT count(*) FROM events") == 0)
    _ = try f.upsert(MemberInput(source: "t", email: "bob@x.com"), at: march1)
    #expect(try f.count("SELECT count(*) FROM events WHERE name = 'member_joined'") == 1)
  }

  @Test func aRecordNamingTwoMembersMergesThemIntoTheOldest() throws {
    let f = try Fixture()
    let ann = try f.upsert(MemberInput(source: "t", email: "ann@x.com", tags: ["a"]), at: march1)
    let shop = try f.upsert(
      MemberInput(source: "t", externalIDs: ["shopify:7"], firstName: "Ann", tags: ["b"]),
      at: march1 + 10)
    let both = try f.upsert(
      MemberInput(source: "import:shopify", email: "ann@x.com", externalIDs: ["shopify:7"]),
      at: march1 + 20)
    #expect(both.memberID == ann.memberID)
    #expect(both.merged == [shop.memberID])
    #expect(try f.store.tags(memberID: ann.memberID) == ["a", "b"])
    #expect(try f.store.member(id: ann.memberID)?.firstName == "Ann")
    #expect(try f.store.mergedInto(memberID: shop.memberID) == ann.memberID)
    #expect(
      try f.count(
        "SELECT count(*) FROM merge_log WHERE reason = 'shopify:7' AND source = 'import:shopify'")
        == 1)
    #expect(try f.count("SELECT count(*) FROM events WHERE member_id = \(ann.memberID)") == 2)
  }

  @Test func aSharedBrowserNeverMergesTwoPeopleAndFollowsWhoIdentifiedLast() throws {
    let f = try Fixture()
    let bob = try f.upsert(
      MemberInput(source: "site", email: "bob@x.com", visitorID: "v1"), at: march1)
    let ann = try f.upsert(
      MemberInput(source: "site", email: "ann@x.com", visitorID: "v1"), at: march1 + 1)
    #expect(ann.memberID != bob.memberID)
    #expect(ann.created && ann.conflicts == [bob.memberID])
    #expect(try f.store.memberID(identity: "visitor", value: "v1") == ann.memberID)
    #expect(try f.count("SELECT count(*) FROM identity_conflicts WHERE kind = 'visitor'") == 1)
    #expect(try f.count("SELECT count(*) FROM members WHERE merged_into IS NOT NULL") == 0)
  }

  @Test func aSharedPhoneMergesOnlyWhenTheEmailsAgree() throws {
    let f = try Fixture()
    let anon = try f.upsert(MemberInput(source: "sms", phone: "+14155550100"), at: march1)
    let ann = try f.upsert(MemberInput(source: "t", email: "ann@x.com"), at: march1 + 1)
    let joined = try f.upsert(
      MemberInput(source: "t", email: "ann@x.com", phone: "+1 415 555 0100"), at: march1 + 2)
    #expect(joined.memberID == anon.memberID && joined.merged == [ann.memberID])
    let bob = try f.upsert(
      MemberInput(source: "t", email: "bob@x.com", phone: "+14155550100"), at: march1 + 3)
    #expect(bob.memberID != anon.memberID && bob.conflicts == [anon.memberID])
  }

  @Test func aKeyThatNeverMergesRecordsAConflict() throws {
    let f = try Fixture(rules: IdentityRules(policies: ["woo": .never]))
    let ann = try f.upsert(MemberInput(source: "t", email: "ann@x.com"), at: march1)
    let woo = try f.upsert(MemberInput(source: "t", externalIDs: ["woo:45"]), at: march1 + 1)
    let both = try f.upsert(
      MemberInput(source: "import:woo", email: "ann@x.com", externalIDs: ["woo:45"]),
      at: march1 + 2)
    #expect(both.memberID == ann.memberID && both.merged.isEmpty)
    #expect(both.conflicts == [woo.memberID])
    #expect(
      try f.store.conflicts() == [
        IdentityConflict(
          key: IdentityKey(kind: "woo", value: "45"), memberIDs: [ann.memberID, woo.memberID],
          source: "import:woo", at: march1 + 2)
      ])
    #expect(try f.store.memberID(identity: "woo", value: "45") == woo.memberID)
  }

  @Test func theMergeLogKeepsBothSidesAsTheyWere() throws {
    let f = try Fixture()
    let a = try f.upsert(MemberInput(source: "t", email: "ann@x.com", firstName: "Ann"), at: march1)
    let b = try f.upsert(
      MemberInput(source: "t", externalIDs: ["woo:45"], firstName: "Annie", lastName: "Lee"),
      at: march1)
    try f.store.transaction {
      try f.resolver.merge(b.memberID, into: a.memberID, reason: "manual", at: march1 + 5)
    }
    let member = try f.store.member(id: a.memberID)
    #expect(member?.firstName == "Ann" && member?.lastName == "Lee")
    let entry = try #require(try f.store.merges().first)
    #expect(entry.reason == "manual" && entry.source == "manual" && entry.at == march1 + 5)
    let snapshot = try #require(
      try JSONSerialization.jsonObject(with: Data(entry.snapshot.utf8)) as? [String: [String: Any]])
    #expect(snapshot["survivor"]?["identities"] as? [String] == ["email:ann@x.com"])
    #expect(snapshot["merged"]?["identities"] as? [String] == ["woo:45"])
    #expect(snapshot["merged"]?["first_name"] as? String == "Annie")
  }

  @Test func mergingKeepsOneInstancePerFlow() throws {
    let f = try Fixture()
    let a = try f.upsert(MemberInput(source: "t", email: "ann@x.com"), at: march1)
    let b = try f.upsert(MemberInput(source: "t", externalIDs: ["woo:45"]), at: march1)
    let kept = try f.store.createInstance(
      flow: "welcome", version: "v", memberID: a.memberID, enteredAt: march1, triggerPayload: "{}")
    let dup = try f.store.createInstance(
      flow: "welcome", version: "v", memberID: b.memberID, enteredAt: march1, triggerPayload: "{}")
    try f.store.transaction {
      try f.resolver.merge(b.memberID, into: a.memberID, reason: "manual", at: march1 + 5)
    }
    #expect(try f.store.activeInstances(memberID: a.memberID).map(\.id) == [kept])
    #expect(
      try f.count(
        "SELECT count(*) FROM flow_instances WHERE id = \(dup) AND status = 'exited' AND end_reason = 'merged into member \(a.memberID)'"
      ) == 1)
  }
}

@Suite("Consent precedence")
struct ConsentPrecedenceTests {
  func consent(_ status: String, _ time: Int64) -> ConsentInput {
    ConsentInput(channel: "email", status: status, occurredAt: time)
  }

  @Test func anImportedOptInAfterAnUnsubscribeDoesNotResubscribe() throws {
    let f = try Fixture()
    let ann = try f.upsert(
      MemberInput(source: "site", email: "ann@x.com", consent: [consent("unsubscribed", march1)]),
      at: march1)
    _ = try f.upsert(
      MemberInput(
        source: "import:mailchimp", email: "ann@x.com", consent: [consent("opted_in", march1 + day)]
      ), at: march1 + day)
    #expect(
      try f.store.consentStatus(memberID: ann.memberID, channel: "email", at: march1 + 2 * day)
        == "unsubscribed")
    _ = try f.upsert(
      MemberInput(
        source: "site", email: "ann@x.com", consent: [consent("confirmed", march1 + 2 * day)]),
      at: march1 + 2 * day)
    #expect(
      try f.store.consentStatus(memberID: ann.memberID, channel: "email", at: march1 + 3 * day)
        == "confirmed")
    #expect(try f.count("SELECT count(*) FROM consent_records WHERE effective = 0") == 1)
  }

  @Test func anOlderOptInAddedLaterIsRecomputed() throws {
    let f = try Fixture()
    let ann = try f.upsert(
      MemberInput(source: "t", email: "ann@x.com", consent: [consent("unsubscribed", march1)]),
      at: march1)
    _ = try f.upsert(
      MemberInput(source: "t", email: "ann@x.com", consent: [consent("opted_in", march1 - day)]),
      at: march1)
    #expect(
      try f.store.consentStatus(memberID: ann.memberID, channel: "email", at: march1 - 1)
        == "opted_in")
    #expect(
      try f.store.consentStatus(memberID: ann.memberID, channel: "email", at: march1)
        == "unsubscribed")
  }

  /// Each side of a merge may carry the withdrawal: it wins over the other's older opt-in.
  @Test(arguments: [true, false]) func anUnsubscribeOnEitherSideWinsOverAnOlderOptIn(
    survivorUnsubscribed: Bool
  ) throws {
    let f = try Fixture()
    let a = try f.upsert(
      MemberInput(
        source: "t", email: "ann@x.com",
        consent: [
          consent(
            survivorUnsubscribed ? "unsubscribed" : "opted_in",
            march1 + (survivorUnsubscribed ? day : 0))
        ]), at: march1)
    let b = try f.upsert(
      MemberInput(
        source: "t", externalIDs: ["woo:1"],
        consent: [
          consent(
            survivorUnsubscribed ? "opted_in" : "unsubscribed",
            march1 + (survivorUnsubscribed ? 0 : day))
        ]), at: march1 + 1)
    try f.store.transaction {
      try f.resolver.merge(b.memberID, into: a.memberID, reason: "manual", at: march1 + 2 * day)
    }
    #expect(
      try f.store.consentStatus(memberID: a.memberID, channel: "email", at: march1 + 3 * day)
        == "unsubscribed")
  }

  /// A newer double opt-in on either side wins over the other's older unsubscribe.
  @Test(arguments: [true, false]) func aNewerConfirmedOptInWinsOverAnOlderUnsubscribe(
    survivorConfirmed: Bool
  ) throws {
    let f = try Fixture()
    let a = try f.upsert(
      MemberInput(
        source: "t", email: "ann@x.com",
        consent: [
          consent(
            survivorConfirmed ? "confirmed" : "unsubscribed", march1 + (survivorConfirmed ? day : 0)
          )
        ]), at: march1)
    let b = try f.upsert(
      MemberInput(
        source: "t", externalIDs: ["woo:1"],
        consent: [
          consent(
            survivorConfirmed ? "unsubscribed" : "confirmed", march1 + (survivorConfirmed ? 0 : day)
          )
        ]), at: march1 + 1)
    try f.store.transaction {
      try f.resolver.merge(b.memberID, into: a.memberID, reason: "manual", at: march1 + 2 * day)
    }
    #expect(
      try f.store.consentStatus(memberID: a.memberID, channel: "email", at: march1 + 3 * day)
        == "confirmed")
  }
}

@Suite("Orders and aggregates")
struct OrderAggregateTests {
  @Test func aSummaryPlusALaterOrderGivesTheTotals() throws {
    let f = try Fixture()
    let alice = MemberInput(
      source: "import:shopify-customers", email: "alice@example.com", externalIDs: ["shopify:1"],
      orderSummary: OrderSummary(
        orderCount: 5, totalSpent: Money(cents: 41_250, currency: "USD"), asOf: march1))
    let member = try f.upsert(alice, at: march1)
    let order = OrderInput(
      externalID: "shopify:order:1006",
      customer: MemberInput(source: "import:shopify-orders", externalIDs: ["shopify:1"]),
      placedAt: march1 + day, total: Money(cents: 6_818, currency: "USD"),
      presentmentTotal: Money(cents: 6_300, currency: "EUR"),
      items: [
        OrderItem(
          productID: "p1", title: "Tea", price: Money(cents: 6_818, currency: "USD"), quantity: 1)
      ],
      buyerAcceptsMarketing: true)
    let placed = try f.store.transaction { try f.resolver.addOrder(order, at: march1 + 2 * day) }
    #expect(placed?.memberID == member.memberID)
    let again = try f.store.transaction { try f.resolver.addOrder(order, at: march1 + 2 * day) }
    #expect(again == nil)
    _ = try f.upsert(alice, at: march1 + 3 * day)  // the summary re-imported
    let aggregates = try f.store.aggregates(memberID: member.memberID)
    #expect(aggregates.orderCount == 6)
    #expect(aggregates.totalSpentCents == 48_068)
    #expect(aggregates.lastOrderAt == march1 + day)
    #expect(
      try f.store.consentStatus(memberID: member.memberID, channel: "email", at: march1 + 2 * day)
        == "opted_in")
    let payload = try f.store.db.prepareOnce(
      "SELECT payload FROM events WHERE name = 'order_placed'")
    _ = try payload.step()
    #expect(
      payload.text(0)
        == #"{"items":[{"price":{"amount":"68.18","currency":"USD"},"product_id":"p1","quantity":1,"title":"Tea"}],"order_id":"shopify:order:1006","total":{"amount":"68.18","currency":"USD"}}"#
    )
  }

  @Test func summariesOfTheSameStoreReplaceEachOtherNewestFirst() throws {
    let f = try Fixture()
    func summary(_ count: Int, _ cents: Int64, _ asOf: Int64, _ source: String) -> MemberInput {
      MemberInput(
        source: source, email: "alice@example.com", externalIDs: ["shopify:1"],
        orderSummary: OrderSummary(
          orderCount: count, totalSpent: Money(cents: cents, currency: "USD"), asOf: asOf))
    }
    let alice = try f.upsert(summary(5, 41_250, march1, "import:shopify-customers"), at: march1)
    let order = OrderInput(
      externalID: "shopify:order:1006",
      customer: MemberInput(source: "webhook:shopify", externalIDs: ["shopify:1"]),
      placedAt: march1 + day, total: Money(cents: 6_818, currency: "USD"))
    _ = try f.store.transaction { try f.resolver.addOrder(order, at: march1 + day) }
    // The purchasing summary after the order already counts it.
    _ = try f.upsert(summary(6, 48_068, march1 + 2 * day, "webhook:shopify"), at: march1 + 2 * day)
    var aggregates = try f.store.aggregates(memberID: alice.memberID)
    #expect(aggregates.orderCount == 6 && aggregates.totalSpentCents == 48_068)
    // An older export imported late changes nothing.
    _ = try f.upsert(summary(5, 41_250, march1, "import:shopify-customers"), at: march1 + 3 * day)
    aggregates = try f.store.aggregates(memberID: alice.memberID)
    #expect(aggregates.orderCount == 6 && aggregates.totalSpentCents == 48_068)
    #expect(aggregates.firstOrderAt == march1 + day && aggregates.lastOrderAt == march1 + day)
  }

  @Test func aSummaryTakenAfterTheOrdersKeepsTheirDates() throws {
    let f = try Fixture()
    let order = OrderInput(
      externalID: "shopify:order:1006",
      customer: MemberInput(source: "webhook:shopify", externalIDs: ["shopify:1"]),
      placedAt: march1, total: Money(cents: 6_818, currency: "USD"))
    let placed = try f.store.transaction { try f.resolver.addOrder(order, at: march1) }
    _ = try f.upsert(
      MemberInput(
        source: "import:shopify-customers", externalIDs: ["shopify:1"],
        orderSummary: OrderSummary(
          orderCount: 6, totalSpent: Money(cents: 48_068, currency: "USD"), asOf: march1 + day)),
      at: march1 + day)
    let aggregates = try f.store.aggregates(memberID: try #require(placed).memberID)
    #expect(aggregates.orderCount == 6 && aggregates.totalSpentCents == 48_068)
    #expect(aggregates.firstOrderAt == march1 && aggregates.lastOrderAt == march1)
  }
}

@Suite struct ReimportTests {
  @Test func theSameConsentFromTheSameSourceIsRecordedOnce() throws {
    let f = try Fixture()
    let record = MemberInput(
      source: "import:mailchimp", email: "ann@x.com",
      consent: [ConsentInput(channel: "email", status: "confirmed", occurredAt: march1)])
    _ = try f.upsert(record, at: march1)
    _ = try f.upsert(record, at: march1 + day)
    var undated = record
    undated.consent = [ConsentInput(channel: "email", status: "confirmed")]
    _ = try f.upsert(undated, at: march1 + 2 * day)
    #expect(try f.count("SELECT count(*) FROM consent_records") == 1)
    undated.source = "import:shopify-customers"
    _ = try f.upsert(undated, at: march1 + 3 * day)
    #expect(try f.count("SELECT count(*) FROM consent_records") == 2)
  }
}
