/// The SQLite backend: one file in WAL mode, all of its SQL in this file and
/// `Migrations.swift`.
public final class SQLiteFlowStore: FlowStore {
  let db: SQLiteConnection
  private var transactionDepth = 0

  /// Opens (creating if needed) the database at `path` and runs pending migrations.
  /// `":memory:"` gives a private in-memory store.
  public init(path: String) throws {
    db = try SQLiteConnection(path: path)
    try db.execute(
      """
      PRAGMA journal_mode=WAL;
      PRAGMA synchronous=NORMAL;
      PRAGMA foreign_keys=ON;
      PRAGMA temp_store=MEMORY;
      PRAGMA cache_size=-65536;
      PRAGMA mmap_size=268435456;
      """)
    try migrate()
  }

  private func migrate() throws {
    let statement = try db.prepare("PRAGMA user_version")
    _ = try statement.step()
    let applied = Int(statement.int(0))
    statement.reset()
    guard applied < Migrations.all.count else { return }
    try transaction {
      for index in applied..<Migrations.all.count {
        try db.execute(Migrations.all[index])
      }
      try db.execute("PRAGMA user_version = \(Migrations.all.count)")
    }
  }

  /// Runs a large load (an import) with a rollback journal instead of the
  /// write-ahead log when no other connection has the store open: one huge
  /// transaction in WAL mode slows down as the log grows (every page read
  /// searches it). With another process attached the switch does not take,
  /// and the load runs in WAL mode as usual. WAL mode is restored after.
  public func bulkLoad<T>(_ body: () throws -> T) throws -> T {
    db.resetStatements()
    // Busy (another connection has the store open) means: stay in WAL mode.
    try? db.execute("PRAGMA journal_mode=TRUNCATE")
    defer {
      db.resetStatements()
      try? db.execute("PRAGMA journal_mode=WAL")
    }
    return try body()
  }

  public func transaction<T>(_ body: () throws -> T) throws -> T {
    // Nested calls join the outer transaction, so callers compose freely.
    if transactionDepth > 0 {
      transactionDepth += 1
      defer { transactionDepth -= 1 }
      return try body()
    }
    // A cached statement left on a row holds an old read snapshot, and SQLite
    // refuses to turn a stale snapshot into a write (SQLITE_BUSY, without
    // waiting): release every read first.
    db.resetStatements()
    try db.execute("BEGIN IMMEDIATE")
    transactionDepth = 1
    do {
      let result = try body()
      transactionDepth = 0
      try db.execute("COMMIT")
      return result
    } catch {
      transactionDepth = 0
      try? db.execute("ROLLBACK")
      throw error
    }
  }

  // MARK: Members

  public func createMember(_ member: MemberRecord, createdAt: Int64) throws -> Int64 {
    try db.prepare(
      """
      INSERT INTO members(email, first_name, last_name, phone, locale, timezone, joined_at,
        created_at, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .text(member.email), member.firstName.map(SQLValue.text), member.lastName.map(SQLValue.text),
      member.phone.map(SQLValue.text), member.locale.map(SQLValue.text),
      member.timezone.map(SQLValue.text), member.joinedAt.map(SQLValue.int), .int(createdAt),
      .text(member.fieldsJSON)
    ).run()
    return db.lastInsertRowID
  }

  public func member(id: Int64) throws -> MemberRecord? {
    let row = try db.prepare(
      """
      SELECT id, email, first_name, last_name, phone, locale, timezone, joined_at, fields
      FROM members WHERE id = ?
      """
    ).bind(.int(id))
    defer { row.reset() }
    guard try row.step() else { return nil }
    return MemberRecord(
      id: row.int(0), email: row.text(1), firstName: row.optionalText(2),
      lastName: row.optionalText(3), phone: row.optionalText(4), locale: row.optionalText(5),
      timezone: row.optionalText(6), joinedAt: row.optionalInt(7), fieldsJSON: row.text(8))
  }

  public func memberState(id: Int64, at: Int64) throws -> MemberState? {
    // Tags and segments come back joined by U+001F, which neither may contain.
    let row = try db.prepare(
      """
      SELECT m.id, m.email, m.first_name, m.last_name, m.phone, m.locale, m.timezone,
        m.joined_at, m.fields,
        a.order_count, a.total_spent_cents, a.currency, a.first_order_at, a.last_order_at,
        a.last_open_at, a.last_click_at,
        (SELECT status FROM consent_records c
          WHERE c.member_id = m.id AND c.channel = 'email' AND c.occurred_at <= ?2
            AND c.effective = 1
          ORDER BY c.occurred_at DESC, c.id DESC LIMIT 1),
        EXISTS (SELECT 1 FROM suppressions s WHERE s.email = m.email),
        (SELECT group_concat(tag, char(31)) FROM member_tags t WHERE t.member_id = m.id),
        (SELECT group_concat(segment, char(31)) FROM member_segments g WHERE g.member_id = m.id)
      FROM members m LEFT JOIN member_aggregates a ON a.member_id = m.id
      WHERE m.id = ?1
      """
    ).bind(.int(id), .int(at))
    defer { row.reset() }
    guard try row.step() else { return nil }
    let record = MemberRecord(
      id: row.int(0), email: row.text(1), firstName: row.optionalText(2),
      lastName: row.optionalText(3), phone: row.optionalText(4), locale: row.optionalText(5),
      timezone: row.optionalText(6), joinedAt: row.optionalInt(7), fieldsJSON: row.text(8))
    var aggregates = MemberAggregates()
    aggregates.orderCount = row.optionalInt(9) ?? 0
    aggregates.totalSpentCents = row.optionalInt(10) ?? 0
    aggregates.currency = row.optionalText(11)
    aggregates.firstOrderAt = row.optionalInt(12)
    aggregates.lastOrderAt = row.optionalInt(13)
    aggregates.lastOpenAt = row.optionalInt(14)
    aggregates.lastClickAt = row.optionalInt(15)
    func set(_ column: Int32) -> Set<String> {
      guard let joined = row.optionalText(column) else { return [] }
      return Set(joined.split(separator: "\u{1F}").map(String.init))
    }
    return MemberState(
      record: record, aggregates: aggregates, emailConsent: row.optionalText(16),
      suppressed: row.int(17) != 0, tags: set(18), segments: set(19))
  }

  public func memberID(identity kind: String, value: String) throws -> Int64? {
    let row = try db.prepare("SELECT member_id FROM identities WHERE kind = ? AND value = ?")
      .bind(.text(kind), .text(value))
    defer { row.reset() }
    return try row.step() ? row.int(0) : nil
  }

  public func addIdentity(kind: String, value: String, memberID: Int64) throws {
    try db.prepare("INSERT OR IGNORE INTO identities(kind, value, member_id) VALUES (?, ?, ?)")
      .bind(.text(kind), .text(value), .int(memberID)).run()
  }

  public func aggregates(memberID: Int64) throws -> MemberAggregates {
    let row = try db.prepare(
      """
      SELECT order_count, total_spent_cents, currency, first_order_at, last_order_at,
        last_open_at, last_click_at FROM member_aggregates WHERE member_id = ?
      """
    ).bind(.int(memberID))
    var result = MemberAggregates()
    defer { row.reset() }
    guard try row.step() else { return result }
    result.orderCount = row.int(0)
    result.totalSpentCents = row.int(1)
    result.currency = row.optionalText(2)
    result.firstOrderAt = row.optionalInt(3)
    result.lastOrderAt = row.optionalInt(4)
    result.lastOpenAt = row.optionalInt(5)
    result.lastClickAt = row.optionalInt(6)
    return result
  }

  public func saveAggregates(_ a: MemberAggregates, memberID: Int64) throws {
    try db.prepare(
      """
      INSERT OR REPLACE INTO member_aggregates(member_id, order_count, total_spent_cents,
        currency, first_order_at, last_order_at, last_open_at, last_click_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), .int(a.orderCount), .int(a.totalSpentCents), a.currency.map(SQLValue.text),
      a.firstOrderAt.map(SQLValue.int), a.lastOrderAt.map(SQLValue.int),
      a.lastOpenAt.map(SQLValue.int), a.lastClickAt.map(SQLValue.int)
    ).run()
  }

  public func recordConsent(
    memberID: Int64, channel: String, status: String, source: String, occurredAt: Int64,
    recordedAt: Int64, evidence: String?
  ) throws {
    let (current, hasLater, latest) = try consentBefore(
      memberID: memberID, channel: channel, at: occurredAt)
    // The same statement from the same source again (a re-import) adds nothing.
    if latest == status + "\u{1F}" + source { return }
    let effective = ConsentStatus.takesEffect(status, over: current)
    try db.prepare(
      """
      INSERT INTO consent_records(member_id, channel, status, source, occurred_at, recorded_at,
        evidence, effective) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), .text(channel), .text(status), .text(source), .int(occurredAt),
      .int(recordedAt), evidence.map(SQLValue.text), .int(effective ? 1 : 0)
    ).run()
    // Recorded out of time order: the records after it may now take effect or not.
    if hasLater { try recomputeConsent(memberID: memberID, channel: channel) }
  }

  public func consentStatus(memberID: Int64, channel: String, at: Int64) throws -> String? {
    let row = try db.prepare(
      """
      SELECT status FROM consent_records
      WHERE member_id = ? AND channel = ? AND occurred_at <= ? AND effective = 1
      ORDER BY occurred_at DESC, id DESC LIMIT 1
      """
    ).bind(.int(memberID), .text(channel), .int(at))
    defer { row.reset() }
    return try row.step() ? row.text(0) : nil
  }

  /// The id of the newest consent record (0 when there is none): a mark to
  /// tell later records from earlier ones, even within one second.
  public func lastConsentRecordID() throws -> Int64 {
    let row = try db.prepare("SELECT COALESCE(MAX(id), 0) FROM consent_records")
    defer { row.reset() }
    return try row.step() ? row.int(0) : 0
  }

  /// Whether the member withdrew on `channel` (unsubscribed, bounced or
  /// complained) in a record made after `mark` that occurred at or after `time`:
  /// a withdrawal since then, not an older one imported late.
  public func withdrewConsent(
    memberID: Int64, channel: String, recordedAfter mark: Int64, occurredSince time: Int64
  ) throws -> Bool {
    let row = try db.prepare(
      """
      SELECT 1 FROM consent_records
      WHERE member_id = ? AND channel = ? AND id > ? AND occurred_at >= ? AND status IN (?, ?, ?)
      LIMIT 1
      """
    ).bind(
      .int(memberID), .text(channel), .int(mark), .int(time), .text(ConsentStatus.unsubscribed),
      .text(ConsentStatus.bounced), .text(ConsentStatus.complained))
    defer { row.reset() }
    return try row.step()
  }

  public func isSuppressed(email: String) throws -> Bool {
    let row = try db.prepare("SELECT 1 FROM suppressions WHERE email = ?").bind(.text(email))
    defer { row.reset() }
    return try row.step()
  }

  public func suppress(email: String, reason: String, at: Int64) throws {
    try db.prepare("INSERT OR IGNORE INTO suppressions(email, reason, at) VALUES (?, ?, ?)")
      .bind(.text(email), .text(reason), .int(at)).run()
  }

  public func updateMember(_ member: MemberRecord) throws {
    try db.prepare(
      """
      UPDATE members SET email = ?, first_name = ?, last_name = ?, phone = ?, locale = ?,
        timezone = ?, fields = ? WHERE id = ?
      """
    ).bind(
      .text(member.email), member.firstName.map(SQLValue.text), member.lastName.map(SQLValue.text),
      member.phone.map(SQLValue.text), member.locale.map(SQLValue.text),
      member.timezone.map(SQLValue.text), .text(member.fieldsJSON), .int(member.id)
    ).run()
  }

  // MARK: Events and orders

  public func appendEvent(
    memberID: Int64, name: String, occurredAt: Int64, payload: String, externalID: String?
  ) throws -> Int64? {
    try db.prepare(
      """
      INSERT OR IGNORE INTO events(member_id, name, occurred_at, payload, external_id)
      VALUES (?, ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), .text(name), .int(occurredAt), .text(payload),
      externalID.map(SQLValue.text)
    ).run()
    return db.changes == 1 ? db.lastInsertRowID : nil
  }

  public func insertOrder(
    memberID: Int64, externalID: String?, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int
  ) throws {
    try db.prepare(
      """
      INSERT OR IGNORE INTO orders(member_id, external_id, placed_at, total_cents, currency,
        item_count) VALUES (?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), externalID.map(SQLValue.text), .int(placedAt), .int(totalCents),
      .text(currency), .int(itemCount)
    ).run()
  }

  public func pendingEvents(notAfter: Int64, limit: Int) throws -> [StoredEvent] {
    let row = try db.prepare(
      """
      SELECT id, member_id, name, occurred_at, payload FROM events
      WHERE processed = 0 AND occurred_at <= ? ORDER BY occurred_at, id LIMIT ?
      """
    ).bind(.int(notAfter), .int(limit))
    var events: [StoredEvent] = []
    while try row.step() {
      events.append(
        StoredEvent(
          id: row.int(0), memberID: row.int(1), name: row.text(2), occurredAt: row.int(3),
          payload: row.text(4)))
    }
    return events
  }

  public func markProcessed(eventID: Int64) throws {
    try db.prepare("UPDATE events SET processed = 1 WHERE id = ?").bind(.int(eventID)).run()
  }

  public func latestEventTime() throws -> Int64? {
    let row = try db.prepare("SELECT max(occurred_at) FROM events")
    defer { row.reset() }
    return try row.step() ? row.optionalInt(0) : nil
  }

  // MARK: Segments and tags

  public func segments(memberID: Int64) throws -> Set<String> {
    try strings("SELECT segment FROM member_segments WHERE member_id = ?", memberID)
  }

  public func setSegment(_ segment: String, memberID: Int64, member isIn: Bool, at: Int64) throws {
    if isIn {
      try db.prepare(
        "INSERT OR IGNORE INTO member_segments(member_id, segment, entered_at) VALUES (?, ?, ?)"
      ).bind(.int(memberID), .text(segment), .int(at)).run()
    } else {
      try db.prepare("DELETE FROM member_segments WHERE member_id = ? AND segment = ?")
        .bind(.int(memberID), .text(segment)).run()
    }
  }

  public func tags(memberID: Int64) throws -> Set<String> {
    try strings("SELECT tag FROM member_tags WHERE member_id = ?", memberID)
  }

  public func setTag(_ tag: String, memberID: Int64, present: Bool, at: Int64) throws {
    if present {
      try db.prepare(
        "INSERT OR IGNORE INTO member_tags(member_id, tag, added_at) VALUES (?, ?, ?)"
      ).bind(.int(memberID), .text(tag), .int(at)).run()
    } else {
      try db.prepare("DELETE FROM member_tags WHERE member_id = ? AND tag = ?")
        .bind(.int(memberID), .text(tag)).run()
    }
  }

  private func strings(_ sql: StaticString, _ memberID: Int64) throws -> Set<String> {
    let row = try db.prepare(sql).bind(.int(memberID))
    var result = Set<String>()
    while try row.step() { result.insert(row.text(0)) }
    return result
  }

  // MARK: Timers

  public func schedule(
    _ kind: TimerKind, memberID: Int64, instanceID: Int64?, key: String, dueAt: Int64
  ) throws {
    try db.prepare(
      """
      INSERT INTO timers(due_at, kind, member_id, instance_id, key) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(kind, member_id, key) DO UPDATE SET due_at = excluded.due_at,
        instance_id = excluded.instance_id
      """
    ).bind(
      .int(dueAt), .text(kind.rawValue), .int(memberID), instanceID.map(SQLValue.int), .text(key)
    ).run()
  }

  public func cancelTimer(_ kind: TimerKind, memberID: Int64, key: String) throws {
    try db.prepare("DELETE FROM timers WHERE kind = ? AND member_id = ? AND key = ?")
      .bind(.text(kind.rawValue), .int(memberID), .text(key)).run()
  }

  public func nextDueTimer(notAfter: Int64) throws -> StoredTimer? {
    let row = try db.prepare(
      """
      SELECT id, kind, member_id, instance_id, key, due_at FROM timers
      WHERE due_at <= ? ORDER BY due_at, id LIMIT 1
      """
    ).bind(.int(notAfter))
    defer { row.reset() }
    guard try row.step() else { return nil }
    guard let kind = TimerKind(rawValue: row.text(1)) else {
      throw StoreError("timer \(row.int(0)) has unknown kind '\(row.text(1))'")
    }
    return StoredTimer(
      id: row.int(0), kind: kind, memberID: row.int(2), instanceID: row.optionalInt(3),
      key: row.text(4), dueAt: row.int(5))
  }

  public func nextTimerDue() throws -> Int64? {
    let row = try db.prepare("SELECT min(due_at) FROM timers")
    defer { row.reset() }
    return try row.step() ? row.optionalInt(0) : nil
  }

  public func deleteTimer(id: Int64) throws {
    try db.prepare("DELETE FROM timers WHERE id = ?").bind(.int(id)).run()
  }

  // MARK: Flow instances

  public func createInstance(
    flow: String, version: String, memberID: Int64, enteredAt: Int64, triggerPayload: String
  ) throws -> Int64 {
    try db.prepare(
      """
      INSERT INTO flow_instances(flow, version, member_id, status, entered_at, trigger_payload)
      VALUES (?, ?, ?, 'active', ?, ?)
      """
    ).bind(.text(flow), .text(version), .int(memberID), .int(enteredAt), .text(triggerPayload))
      .run()
    return db.lastInsertRowID
  }

  private func instanceRows(_ row: Statement) throws -> [FlowInstanceRecord] {
    var result: [FlowInstanceRecord] = []
    while try row.step() {
      guard let status = InstanceStatus(rawValue: row.text(4)) else {
        throw StoreError("flow instance \(row.int(0)) has unknown status '\(row.text(4))'")
      }
      result.append(
        FlowInstanceRecord(
          id: row.int(0), flow: row.text(1), version: row.text(2), memberID: row.int(3),
          status: status, step: row.optionalText(5), enteredAt: row.int(6),
          triggerPayload: row.text(7)))
    }
    return result
  }

  public func instance(id: Int64) throws -> FlowInstanceRecord? {
    try instanceRows(
      db.prepare(
        """
        SELECT id, flow, version, member_id, status, step, entered_at, trigger_payload
        FROM flow_instances WHERE id = ?
        """
      ).bind(.int(id))
    ).first
  }

  public func activeInstances(memberID: Int64) throws -> [FlowInstanceRecord] {
    try instanceRows(
      db.prepare(
        """
        SELECT id, flow, version, member_id, status, step, entered_at, trigger_payload FROM flow_instances
        WHERE member_id = ? AND status = 'active' ORDER BY id
        """
      ).bind(.int(memberID)))
  }

  public func latestInstance(flow: String, memberID: Int64) throws -> FlowInstanceRecord? {
    try instanceRows(
      db.prepare(
        """
        SELECT id, flow, version, member_id, status, step, entered_at, trigger_payload FROM flow_instances
        WHERE member_id = ? AND flow = ? ORDER BY entered_at DESC, id DESC LIMIT 1
        """
      ).bind(.int(memberID), .text(flow))
    ).first
  }

  public func moveInstance(id: Int64, toStep step: String?) throws {
    try db.prepare("UPDATE flow_instances SET step = ? WHERE id = ?")
      .bind(step.map(SQLValue.text), .int(id)).run()
  }

  public func endInstance(id: Int64, status: InstanceStatus, at: Int64, reason: String?) throws {
    try db.prepare(
      "UPDATE flow_instances SET status = ?, ended_at = ?, end_reason = ? WHERE id = ?"
    ).bind(.text(status.rawValue), .int(at), reason.map(SQLValue.text), .int(id)).run()
  }

  public func logStep(
    instanceID: Int64, flow: String, step: String, outcome: StepOutcome, reason: String?,
    at: Int64
  ) throws {
    try db.prepare(
      "INSERT INTO step_log(instance_id, flow, step, outcome, reason, at) VALUES (?, ?, ?, ?, ?, ?)"
    ).bind(
      .int(instanceID), .text(flow), .text(step), .text(outcome.rawValue),
      reason.map(SQLValue.text), .int(at)
    ).run()
  }

  public func stepCounts() throws -> [StepCount] {
    let row = try db.prepare(
      "SELECT flow, step, outcome, count(*) FROM step_log GROUP BY flow, step, outcome")
    var result: [StepCount] = []
    while try row.step() {
      guard let outcome = StepOutcome(rawValue: row.text(2)) else { continue }
      result.append(
        StepCount(flow: row.text(0), step: row.text(1), outcome: outcome, count: Int(row.int(3))))
    }
    return result
  }

  public func skippedSends() throws -> [SkippedSends] {
    let row = try db.prepare(
      """
      SELECT flow, step, coalesce(reason, ''), count(*) FROM step_log
      WHERE outcome = 'skipped' GROUP BY flow, step, reason ORDER BY count(*) DESC, flow, step
      """)
    var result: [SkippedSends] = []
    while try row.step() {
      result.append(
        SkippedSends(
          flow: row.text(0), step: row.text(1), reason: row.text(2), count: Int(row.int(3))))
    }
    return result
  }

  public func saveProgram(version: String, ir: String, at: Int64) throws {
    try db.prepare("INSERT OR IGNORE INTO programs(version, ir, loaded_at) VALUES (?, ?, ?)")
      .bind(.text(version), .text(ir), .int(at)).run()
  }

  // MARK: Outbox

  public func emailCount(memberID: Int64, since: Int64) throws -> Int {
    // Transactional mail (a signup's confirmation) is not marketing: it
    // never uses up a member's frequency cap.
    let row = try db.prepare(
      "SELECT count(*) FROM outbox WHERE member_id = ? AND created_at > ? AND flow != ?"
    ).bind(.int(memberID), .int(since), .text(OutboxFlow.signup))
    defer { row.reset() }
    return try row.step() ? Int(row.int(0)) : 0
  }

  public func enqueue(
    idempotencyKey: String, instanceID: Int64, memberID: Int64, flow: String, step: String,
    recipient: String, createdAt: Int64, message: [UInt8]
  ) throws -> Bool {
    // The row and its bytes commit together, or a retry would find the key taken.
    try transaction {
      try insertOutboxRow(
        idempotencyKey: idempotencyKey, instanceID: instanceID, memberID: memberID, flow: flow,
        step: step, recipient: recipient, createdAt: createdAt, message: message)
    }
  }

  private func insertOutboxRow(
    idempotencyKey: String, instanceID: Int64, memberID: Int64, flow: String, step: String,
    recipient: String, createdAt: Int64, message: [UInt8]
  ) throws -> Bool {
    try db.prepare(
      """
      INSERT OR IGNORE INTO outbox(idempotency_key, instance_id, member_id, flow, step, recipient,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .text(idempotencyKey), .int(instanceID), .int(memberID), .text(flow), .text(step),
      .text(recipient), .int(createdAt)
    ).run()
    guard db.changes == 1 else { return false }
    try db.prepare("INSERT INTO outbox_messages(outbox_id, message) VALUES (?, ?)")
      .bind(.int(db.lastInsertRowID), .blob(message)).run()
    return true
  }

  public func pendingOutbox(limit: Int) throws -> [OutboxMessage] {
    try pendingOutbox(after: Int64.min, limit: limit)
  }

  public func pendingOutbox(after id: Int64, limit: Int) throws -> [OutboxMessage] {
    let row = try db.prepare(
      """
      SELECT o.id, o.idempotency_key, o.flow, o.step, o.recipient, m.message
      FROM outbox_messages m JOIN outbox o ON o.id = m.outbox_id
      WHERE m.outbox_id > ? ORDER BY m.outbox_id LIMIT ?
      """
    ).bind(.int(id), .int(limit))
    var result: [OutboxMessage] = []
    while try row.step() {
      result.append(
        OutboxMessage(
          id: row.int(0), idempotencyKey: row.text(1), flow: row.text(2), step: row.text(3),
          recipient: row.text(4), message: row.blob(5)))
    }
    return result
  }

  public func markDelivered(_ ids: ClosedRange<Int64>, at: Int64) throws {
    try transaction {
      try db.prepare(
        "UPDATE outbox SET delivered_at = ? WHERE id BETWEEN ? AND ? AND delivered_at IS NULL"
      ).bind(.int(at), .int(ids.lowerBound), .int(ids.upperBound)).run()
      // The message now lives at its destination; dropping the bytes keeps the
      // store small (a replay sends hundreds of megabytes of mail).
      try db.prepare("DELETE FROM outbox_messages WHERE outbox_id BETWEEN ? AND ?")
        .bind(.int(ids.lowerBound), .int(ids.upperBound)).run()
    }
  }

  public func markFailed(_ id: Int64, reason: String, at: Int64) throws {
    try transaction {
      try db.prepare(
        "UPDATE outbox SET failed_at = ?, failure = ? WHERE id = ? AND delivered_at IS NULL"
      ).bind(.int(at), .text(reason), .int(id)).run()
      try db.prepare("DELETE FROM outbox_messages WHERE outbox_id = ?").bind(.int(id)).run()
    }
  }

  // MARK: Runtime state

  public func runtimeValue(_ name: String) throws -> Int64? {
    let row = try db.prepare("SELECT value FROM runtime_state WHERE name = ?").bind(.text(name))
    defer { row.reset() }
    return try row.step() ? row.int(0) : nil
  }

  public func setRuntimeValue(_ name: String, _ value: Int64) throws {
    try db.prepare("INSERT OR REPLACE INTO runtime_state(name, value) VALUES (?, ?)")
      .bind(.text(name), .int(value)).run()
  }

  public func setting(_ key: String) throws -> String? {
    let row = try db.prepare("SELECT value FROM settings WHERE key = ?").bind(.text(key))
    defer { row.reset() }
    return try row.step() ? row.text(0) : nil
  }

  public func setSetting(_ key: String, _ value: String) throws {
    try db.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)")
      .bind(.text(key), .text(value)).run()
  }
}

// MARK: Flow versions and deploys

extension SQLiteFlowStore: DeployStore {
  public func saveFlowVersion(flow: String, version: String, ir: String, at: Int64) throws {
    try db.prepare(
      """
      INSERT INTO flow_versions(flow, version, ir, loaded_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(flow, version) DO UPDATE SET loaded_at = excluded.loaded_at
      """
    ).bind(.text(flow), .text(version), .text(ir), .int(at)).run()
  }

  public func flowVersionIR(flow: String, version: String) throws -> String? {
    let row = try db.prepare("SELECT ir FROM flow_versions WHERE flow = ? AND version = ?")
      .bind(.text(flow), .text(version))
    defer { row.reset() }
    return try row.step() ? row.text(0) : nil
  }

  public func loadedFlows() throws -> Set<String> {
    let row = try db.prepare("SELECT DISTINCT flow FROM flow_versions")
    var result = Set<String>()
    while try row.step() { result.insert(row.text(0)) }
    return result
  }

  public func parkedInstances() throws -> [ParkedInstance] {
    let row = try db.prepare(
      """
      SELECT i.id, i.flow, i.version, i.member_id, i.step, m.timezone,
        (SELECT max(l.at) FROM step_log l
          WHERE l.instance_id = i.id AND l.step = i.step AND l.outcome = 'entered'),
        (SELECT t.due_at FROM timers t
          WHERE t.kind = 'resume' AND t.member_id = i.member_id AND t.key = 'i' || i.id)
      FROM flow_instances i JOIN members m ON m.id = i.member_id
      WHERE i.status = 'active' ORDER BY i.id
      """)
    var result: [ParkedInstance] = []
    while try row.step() {
      result.append(
        ParkedInstance(
          id: row.int(0), flow: row.text(1), version: row.text(2), memberID: row.int(3),
          step: row.optionalText(4), timezone: row.optionalText(5),
          stepEnteredAt: row.optionalInt(6), resumeDueAt: row.optionalInt(7)))
    }
    return result
  }

  public func setInstanceVersion(id: Int64, version: String) throws {
    try db.prepare("UPDATE flow_instances SET version = ? WHERE id = ?")
      .bind(.text(version), .int(id)).run()
  }

  public func recordDeploy(_ deploy: DeployRecord) throws {
    try db.prepare(
      """
      INSERT INTO deploys(at, resumed, moved, exited, new_flows, plan) VALUES (?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(deploy.at), .int(Int64(deploy.resumed)), .int(Int64(deploy.moved)),
      .int(Int64(deploy.exited)), .int(Int64(deploy.newFlows)), .text(deploy.plan)
    ).run()
  }
}
