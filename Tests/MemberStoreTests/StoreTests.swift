import Foundation
import Testing

@testable import MemberStore

private func temporaryDatabase() -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("memberstore-\(UUID().uuidString).sqlite").path
}

private func removeDatabase(_ path: String) {
  for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// All rows of a query on a fresh connection, as text columns joined by "|".
private func rows(_ path: String, _ sql: String) throws -> [String] {
  let connection = try SQLiteConnection(path: path)
  return try withExtendedLifetime(connection) {
    let statement = try connection.prepareOnce(sql)
    var result: [String] = []
    while try statement.step() {
      var columns: [String] = []
      var index: Int32 = 0
      while index < 8 {
        columns.append(statement.optionalText(index) ?? "")
        index += 1
      }
      result.append(
        columns.joined(separator: "|").replacingOccurrences(
          of: #"\|+$"#, with: "", options: .regularExpression))
    }
    return result
  }
}

private struct Boom: Error {}

@Suite struct MigrationTests {
  @Test func migrationsRunOnceAndDataSurvivesReopening() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    var id: Int64 = 0
    do {
      let store = try SQLiteFlowStore(path: path)
      id = try store.createMember(
        MemberRecord(id: 0, email: "ann@example.com", joinedAt: 100), createdAt: 100)
      try store.setSetting("k", "v")
    }
    #expect(try rows(path, "PRAGMA user_version") == ["\(Migrations.all.count)"])
    #expect(Migrations.all.count == 8)
    // Reopening runs nothing again (a second CREATE TABLE would throw) and keeps the rows.
    let reopened = try SQLiteFlowStore(path: path)
    #expect(try reopened.member(id: id)?.email == "ann@example.com")
    #expect(try reopened.member(id: id)?.joinedAt == 100)
    #expect(try reopened.setting("k") == "v")
    #expect(try rows(path, "PRAGMA user_version") == ["8"])
    #expect(try rows(path, "SELECT count(*) FROM members") == ["1"])
    _ = try SQLiteFlowStore(path: path)
    #expect(try rows(path, "PRAGMA user_version") == ["8"])
  }

  @Test("migration 3 files each flow of a stored program under the program's version")
  func flowVersionsFromStoredPrograms() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    do {
      // A store as migration 1 left it, with a program its instances entered.
      let old = try SQLiteConnection(path: path)
      try old.execute(Migrations.all[0] + "PRAGMA user_version = 1;")
      try old.execute(
        """
        INSERT INTO programs(version, ir, loaded_at) VALUES
          ('p1', '{"fields":[],"flows":[{"name":"a","steps":[]},{"name":"b","steps":[]}]}', 7);
        """)
    }
    let store = try SQLiteFlowStore(path: path)
    #expect(try store.flowVersionIR(flow: "a", version: "p1") == #"{"name":"a","steps":[]}"#)
    #expect(try store.flowVersionIR(flow: "b", version: "p1") == #"{"name":"b","steps":[]}"#)
    #expect(try store.loadedFlows() == ["a", "b"])
    #expect(
      try rows(path, "SELECT flow, loaded_at FROM flow_versions ORDER BY flow") == ["a|7", "b|7"])
  }

  @Test func fileStoreUsesWAL() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    _ = store
    #expect(try rows(path, "PRAGMA journal_mode") == ["wal"])
  }
}

@Suite struct TransactionTests {
  @Test func aThrownErrorRollsEverythingBack() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let kept = try store.createMember(MemberRecord(id: 0, email: "kept@example.com"), createdAt: 1)
    #expect(throws: Boom.self) {
      try store.transaction {
        let id = try store.createMember(
          MemberRecord(id: 0, email: "gone@example.com"), createdAt: 2)
        try store.schedule(.resume, memberID: id, instanceID: nil, key: "x", dueAt: 10)
        _ = try store.appendEvent(
          memberID: id, name: "member_joined", occurredAt: 2, payload: "{}", externalID: "e1")
        try store.setSetting("half", "done")
        // A nested transaction joins the outer one, so it is rolled back too.
        try store.transaction { try store.setTag("vip", memberID: kept, present: true, at: 3) }
        throw Boom()
      }
    }
    #expect(try store.member(id: kept + 1) == nil)
    #expect(try store.nextDueTimer(notAfter: .max) == nil)
    #expect(try store.pendingEvents(notAfter: .max, limit: 10).isEmpty)
    #expect(try store.setting("half") == nil)
    #expect(try store.tags(memberID: kept).isEmpty)
    #expect(try store.member(id: kept)?.email == "kept@example.com")
    // The store is usable afterwards, and the external id is free again.
    let id = try store.transaction {
      try store.createMember(MemberRecord(id: 0, email: "next@example.com"), createdAt: 4)
    }
    #expect(
      try store.appendEvent(
        memberID: id, name: "member_joined", occurredAt: 4, payload: "{}", externalID: "e1") != nil)
  }

  @Test func anErrorThrownByANestedTransactionRollsBackTheOuterOne() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    #expect(throws: Boom.self) {
      try store.transaction {
        try store.setSetting("outer", "1")
        try store.transaction {
          try store.setSetting("inner", "1")
          throw Boom()
        }
      }
    }
    #expect(try store.setting("outer") == nil)
    #expect(try store.setting("inner") == nil)
  }

  @Test func aTransactionCommitsItsValue() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let value = try store.transaction { () -> Int in
      try store.setRuntimeValue("clock", 42)
      return 7
    }
    #expect(value == 7)
    #expect(try store.runtimeValue("clock") == 42)
    #expect(try store.runtimeValue("missing") == nil)
  }
}

@Suite struct TimerTests {
  @Test func timersUpsertOnKindMemberAndKey() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    try store.schedule(.resume, memberID: 1, instanceID: 10, key: "i10", dueAt: 500)
    try store.schedule(.resume, memberID: 1, instanceID: 10, key: "i10", dueAt: 300)
    var timer = try #require(try store.nextDueTimer(notAfter: .max))
    #expect(timer.dueAt == 300)
    #expect(
      timer.kind == .resume && timer.memberID == 1 && timer.instanceID == 10 && timer.key == "i10")

    // Moving a timer later: still one row.
    try store.schedule(.resume, memberID: 1, instanceID: 11, key: "i10", dueAt: 900)
    timer = try #require(try store.nextDueTimer(notAfter: .max))
    #expect(timer.dueAt == 900 && timer.instanceID == 11)
    #expect(try store.nextDueTimer(notAfter: 899) == nil)

    // Another kind, member or key is another timer.
    try store.schedule(.segments, memberID: 1, instanceID: nil, key: "i10", dueAt: 800)
    try store.schedule(.resume, memberID: 2, instanceID: 12, key: "i10", dueAt: 700)
    try store.schedule(.resume, memberID: 1, instanceID: 13, key: "i13", dueAt: 600)
    #expect(try store.nextTimerDue() == 600)
    var order: [Int64] = []
    while let next = try store.nextDueTimer(notAfter: .max) {
      order.append(next.dueAt)
      try store.deleteTimer(id: next.id)
    }
    #expect(order == [600, 700, 800, 900])
    #expect(try store.nextTimerDue() == nil)
  }

  @Test func cancelRemovesOnlyThatTimer() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    try store.schedule(.anniversary, memberID: 1, instanceID: nil, key: "birthday", dueAt: 100)
    try store.schedule(.anniversary, memberID: 1, instanceID: nil, key: "signup", dueAt: 200)
    try store.cancelTimer(.anniversary, memberID: 1, key: "birthday")
    try store.cancelTimer(.segments, memberID: 1, key: "signup")  // other kind: no effect
    #expect(try store.nextDueTimer(notAfter: .max)?.key == "signup")
    #expect(try store.nextDueTimer(notAfter: 199) == nil)
  }

  @Test func sameDueTimeOrdersById() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    try store.schedule(.resume, memberID: 2, instanceID: 1, key: "b", dueAt: 50)
    try store.schedule(.resume, memberID: 1, instanceID: 2, key: "a", dueAt: 50)
    #expect(try store.nextDueTimer(notAfter: 50)?.key == "b")
  }
}

@Suite struct QueryPlanTests {
  /// The detail column of EXPLAIN QUERY PLAN for one of the store's queries.
  private func plan(_ sql: String) throws -> [String] {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    // Some rows, so the plan is not a special case of an empty table.
    for i in 0..<50 {
      let id = try store.createMember(MemberRecord(id: 0, email: "m\(i)@example.com"), createdAt: 0)
      _ = try store.appendEvent(
        memberID: id, name: "member_joined", occurredAt: Int64(i), payload: "{}", externalID: nil)
      try store.schedule(.resume, memberID: id, instanceID: nil, key: "k", dueAt: Int64(i))
    }
    let connection = try SQLiteConnection(path: path)
    return try withExtendedLifetime(connection) {
      let statement = try connection.prepareOnce("EXPLAIN QUERY PLAN " + sql)
      var details: [String] = []
      while try statement.step() { details.append(statement.text(3)) }
      return details
    }
  }

  @Test func dueTimerQueryUsesTimersDue() throws {
    // The exact text of SQLiteFlowStore.nextDueTimer.
    let details = try plan(
      """
      SELECT id, kind, member_id, instance_id, key, due_at FROM timers
      WHERE due_at <= ? ORDER BY due_at, id LIMIT 1
      """)
    #expect(details == ["SEARCH timers USING INDEX timers_due (due_at<?)"])
  }

  @Test func pendingEventQueryUsesEventsPending() throws {
    // The exact text of SQLiteFlowStore.pendingEvents.
    let details = try plan(
      """
      SELECT id, member_id, name, occurred_at, payload FROM events
      WHERE processed = 0 AND occurred_at <= ? ORDER BY occurred_at, id LIMIT ?
      """)
    #expect(details == ["SEARCH events USING INDEX events_pending (occurred_at<?)"])
  }
}

@Suite struct OutboxTests {
  @Test func aSignupConfirmationDoesNotCountTowardFrequencyCaps() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    _ = try store.enqueue(
      idempotencyKey: "_signup:confirm:1:10", instanceID: 0, memberID: 1, flow: OutboxFlow.signup,
      step: "confirm", recipient: "ann@example.com", createdAt: 10, message: [1])
    _ = try store.enqueue(
      idempotencyKey: "welcome.a.i1", instanceID: 1, memberID: 1, flow: "welcome", step: "a",
      recipient: "ann@example.com", createdAt: 11, message: [2])
    #expect(try store.emailCount(memberID: 1, since: 0) == 1)
  }

  @Test func enqueueIsIdempotentByKey() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let first = try store.enqueue(
      idempotencyKey: "welcome.a.i1", instanceID: 1, memberID: 1, flow: "welcome", step: "a",
      recipient: "ann@example.com", createdAt: 10, message: Array("first".utf8))
    let again = try store.enqueue(
      idempotencyKey: "welcome.a.i1", instanceID: 1, memberID: 1, flow: "welcome", step: "a",
      recipient: "ann@example.com", createdAt: 20, message: Array("second".utf8))
    let other = try store.enqueue(
      idempotencyKey: "welcome.b.i1", instanceID: 1, memberID: 1, flow: "welcome", step: "b",
      recipient: "ann@example.com", createdAt: 30, message: Array("third".utf8))
    #expect(first && !again && other)
    let pending = try store.pendingOutbox(limit: 10)
    #expect(pending.map(\.idempotencyKey) == ["welcome.a.i1", "welcome.b.i1"])
    #expect(pending.map { String(decoding: $0.message, as: UTF8.self) } == ["first", "third"])
    #expect(pending.first?.recipient == "ann@example.com")
    #expect(pending.first?.flow == "welcome" && pending.first?.step == "a")
    #expect(try store.pendingOutbox(limit: 1).count == 1)

    try store.markDelivered(pending[0].id...pending[0].id, at: 99)
    #expect(try store.pendingOutbox(limit: 10).map(\.idempotencyKey) == ["welcome.b.i1"])
    // Delivered keys stay taken: a rerun never sends twice.
    #expect(
      try !store.enqueue(
        idempotencyKey: "welcome.a.i1", instanceID: 1, memberID: 1, flow: "welcome", step: "a",
        recipient: "ann@example.com", createdAt: 40, message: Array("rerun".utf8)))
    #expect(try store.pendingOutbox(limit: 10).count == 1)
  }

  @Test func deliveredMessagesDropTheirBytes() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    _ = try store.enqueue(
      idempotencyKey: "k", instanceID: 1, memberID: 1, flow: "f", step: "s",
      recipient: "a@example.com", createdAt: 1, message: [1, 2, 3])
    #expect(try rows(path, "SELECT count(*) FROM outbox_messages") == ["1"])
    let id = try #require(try store.pendingOutbox(limit: 1).first?.id)
    try store.markDelivered(id...id, at: 5)
    #expect(try rows(path, "SELECT count(*) FROM outbox_messages") == ["0"])
    #expect(try rows(path, "SELECT delivered_at FROM outbox") == ["5"])
  }
}

@Suite struct ConsentTests {
  @Test func consentStatusAsOfAMoment() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let id = try store.createMember(MemberRecord(id: 0, email: "ann@example.com"), createdAt: 0)
    func record(_ status: String, _ at: Int64, recorded: Int64) throws {
      try store.recordConsent(
        memberID: id, channel: "email", status: status, source: "test", occurredAt: at,
        recordedAt: recorded, evidence: nil)
    }
    // Recorded out of order: what counts is when it happened.
    try record("unsubscribed", 200, recorded: 1000)
    try record("opted_in", 100, recorded: 1001)
    try record("confirmed", 300, recorded: 1002)
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 99) == nil)
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 100) == "opted_in")
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 199) == "opted_in")
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 200) == "unsubscribed")
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 299) == "unsubscribed")
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 300) == "confirmed")
    #expect(try store.consentStatus(memberID: id, channel: "sms", at: 300) == nil)
    // Two records at the same moment: the later one wins, if it takes effect
    // (a plain opt-in never overrides a bounce; a confirmed one does).
    try record("bounced", 400, recorded: 1003)
    try record("opted_in", 400, recorded: 1004)
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 400) == "bounced")
    try record("confirmed", 400, recorded: 1005)
    #expect(try store.consentStatus(memberID: id, channel: "email", at: 400) == "confirmed")
  }

  @Test func suppressionIsByEmail() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    #expect(try !store.isSuppressed(email: "a@example.com"))
    try store.suppress(email: "a@example.com", reason: "bounced", at: 1)
    try store.suppress(email: "a@example.com", reason: "complained", at: 2)
    #expect(try store.isSuppressed(email: "a@example.com"))
    #expect(try !store.isSuppressed(email: "b@example.com"))
  }

  @Test func updateMemberRewritesTheProfileButNotWhenTheyJoined() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let original = MemberRecord(
      id: 0, email: "ann@example.com", firstName: "Ann", timezone: "America/New_York",
      joinedAt: 100, fieldsJSON: #"{"birthday":"1992-02-29"}"#)
    let id = try store.createMember(original, createdAt: 100)
    var changed = original
    changed.id = id
    changed.firstName = nil
    changed.timezone = "Asia/Tokyo"
    changed.joinedAt = 999
    changed.fieldsJSON = #"{"birthday":"1992-03-01"}"#
    try store.updateMember(changed)
    changed.joinedAt = 100
    #expect(try store.member(id: id) == changed)
  }
}

@Suite struct EventTests {
  @Test func externalIDsDeduplicateAndPendingEventsComeInTimeOrder() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let id = try store.createMember(MemberRecord(id: 0, email: "ann@example.com"), createdAt: 0)
    let a = try store.appendEvent(
      memberID: id, name: "order_placed", occurredAt: 50, payload: "{}", externalID: "o1")
    let dup = try store.appendEvent(
      memberID: id, name: "order_placed", occurredAt: 60, payload: "{}", externalID: "o1")
    let b = try store.appendEvent(
      memberID: id, name: "member_joined", occurredAt: 10, payload: "{}", externalID: nil)
    let c = try store.appendEvent(
      memberID: id, name: "browsed", occurredAt: 50, payload: "{}", externalID: nil)
    #expect(a != nil && dup == nil && b != nil && c != nil)
    var seen: [String] = []
    while let next = try store.pendingEvents(notAfter: 50, limit: 1).first {
      seen.append("\(next.name)@\(next.occurredAt)")
      try store.markProcessed(eventID: next.id)
    }
    #expect(seen == ["member_joined@10", "order_placed@50", "browsed@50"])
    #expect(try store.latestEventTime() == 50)
  }

  @Test func aggregatesRoundTrip() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    let id = try store.createMember(MemberRecord(id: 0, email: "ann@example.com"), createdAt: 0)
    #expect(try store.aggregates(memberID: id) == MemberAggregates())
    var aggregates = MemberAggregates()
    aggregates.orderCount = 3
    aggregates.totalSpentCents = 12_345
    aggregates.currency = "USD"
    aggregates.firstOrderAt = 10
    aggregates.lastOrderAt = 30
    try store.saveAggregates(aggregates, memberID: id)
    #expect(try store.aggregates(memberID: id) == aggregates)
    aggregates.lastOpenAt = 40
    try store.saveAggregates(aggregates, memberID: id)
    #expect(try store.aggregates(memberID: id) == aggregates)
  }
}

@Suite struct BulkLoadTests {
  private func journalMode(_ store: SQLiteFlowStore) throws -> String {
    let statement = try store.db.prepareOnce("PRAGMA journal_mode")
    _ = try statement.step()
    return statement.text(0)
  }

  @Test func aLoadRunsWithARollbackJournalAndLeavesTheStoreInWALMode() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    let modeInside = try store.bulkLoad {
      try store.transaction {
        _ = try store.createMember(MemberRecord(id: 0, email: "a@example.com"), createdAt: 1)
      }
      return try journalMode(store)
    }
    #expect(modeInside == "truncate")
    #expect(try journalMode(store) == "wal")
    #expect(try rows(path, "SELECT email FROM members") == ["a@example.com"])
  }

  @Test func aLoadBesideAnotherConnectionStaysInWALMode() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    let other = try SQLiteFlowStore(path: path)
    #expect(try other.member(id: 1) == nil)
    let modeInside = try store.bulkLoad {
      try store.transaction {
        _ = try store.createMember(MemberRecord(id: 0, email: "a@example.com"), createdAt: 1)
      }
      return try journalMode(store)
    }
    #expect(modeInside == "wal")
    #expect(try other.member(id: 1)?.email == "a@example.com")
  }

  @Test func aFailedLoadKeepsNothingAndRestoresWALMode() throws {
    let path = temporaryDatabase()
    defer { removeDatabase(path) }
    let store = try SQLiteFlowStore(path: path)
    #expect(throws: Boom.self) {
      try store.bulkLoad {
        try store.transaction {
          _ = try store.createMember(MemberRecord(id: 0, email: "a@example.com"), createdAt: 1)
          throw Boom()
        }
      }
    }
    #expect(try journalMode(store) == "wal")
    #expect(try rows(path, "SELECT count(*) FROM members") == ["0"])
  }
}
