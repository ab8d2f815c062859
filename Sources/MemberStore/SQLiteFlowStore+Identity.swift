// Identity keys, merges, consent precedence and order figures.
extension SQLiteFlowStore {
  public func identities(memberID: Int64) throws -> [IdentityKey] {
    let row = try db.prepare(
      "SELECT kind, value FROM identities WHERE member_id = ? ORDER BY kind, value"
    ).bind(.int(memberID))
    var result: [IdentityKey] = []
    while try row.step() { result.append(IdentityKey(kind: row.text(0), value: row.text(1))) }
    return result
  }

  public func moveIdentity(_ key: IdentityKey, to memberID: Int64) throws {
    try db.prepare("UPDATE identities SET member_id = ? WHERE kind = ? AND value = ?")
      .bind(.int(memberID), .text(key.kind), .text(key.value)).run()
  }

  public func memberCreatedAt(id: Int64) throws -> Int64? {
    try optionalInt("SELECT created_at FROM members WHERE id = ?", id)
  }

  public func mergedInto(memberID: Int64) throws -> Int64? {
    try optionalInt("SELECT merged_into FROM members WHERE id = ?", memberID)
  }

  private func optionalInt(_ sql: StaticString, _ id: Int64) throws -> Int64? {
    let row = try db.prepare(sql).bind(.int(id))
    defer { row.reset() }
    return try row.step() ? row.optionalInt(0) : nil
  }

  // MARK: Consent precedence

  /// The effective status at `time` and whether any record comes after it.
  /// The effective status at `time`, whether records follow it, and the
  /// latest record at or before it as `status U+001F source`.
  func consentBefore(memberID: Int64, channel: String, at time: Int64) throws -> (
    status: String?, hasLater: Bool, latest: String?
  ) {
    let row = try db.prepare(
      """
      SELECT (SELECT status FROM consent_records
          WHERE member_id = ?1 AND channel = ?2 AND occurred_at <= ?3 AND effective = 1
          ORDER BY occurred_at DESC, id DESC LIMIT 1),
        EXISTS (SELECT 1 FROM consent_records
          WHERE member_id = ?1 AND channel = ?2 AND occurred_at > ?3),
        (SELECT status || char(31) || source FROM consent_records
          WHERE member_id = ?1 AND channel = ?2 AND occurred_at <= ?3
          ORDER BY occurred_at DESC, id DESC LIMIT 1)
      """
    ).bind(.int(memberID), .text(channel), .int(time))
    defer { row.reset() }
    guard try row.step() else { return (nil, false, nil) }
    return (row.optionalText(0), row.int(1) != 0, row.optionalText(2))
  }

  /// Replays a member's records on one channel in time order and stores which took effect.
  func recomputeConsent(memberID: Int64, channel: String) throws {
    let row = try db.prepare(
      """
      SELECT id, status, effective FROM consent_records WHERE member_id = ? AND channel = ?
      ORDER BY occurred_at, id
      """
    ).bind(.int(memberID), .text(channel))
    var changes: [(id: Int64, effective: Bool)] = []
    var current: String?
    while try row.step() {
      let status = row.text(1)
      let effective = ConsentStatus.takesEffect(status, over: current)
      if effective { current = status }
      if effective != (row.int(2) != 0) { changes.append((row.int(0), effective)) }
    }
    for change in changes {
      try db.prepare("UPDATE consent_records SET effective = ? WHERE id = ?")
        .bind(.int(change.effective ? 1 : 0), .int(change.id)).run()
    }
  }

  // MARK: Merging

  public func mergeMember(_ other: Int64, into survivor: Int64, at: Int64) throws -> MergeMoves {
    try transaction {
      var moves = MergeMoves()
      let from = SQLValue.int(other)
      let to = SQLValue.int(survivor)
      moves.instancesEnded = try endDuplicateInstances(of: other, keeping: survivor, at: at)
      try db.prepare("UPDATE identities SET member_id = ?2 WHERE member_id = ?1")
        .bind(from, to).run()
      moves.identities = db.changes
      // The merged member joined once already; its welcome must not start again.
      try db.prepare(
        """
        UPDATE events SET processed = 1
        WHERE member_id = ? AND name = 'member_joined' AND processed = 0
        """
      ).bind(from).run()
      try db.prepare("UPDATE events SET member_id = ?2 WHERE member_id = ?1").bind(from, to).run()
      moves.events = db.changes
      try db.prepare("UPDATE orders SET member_id = ?2 WHERE member_id = ?1").bind(from, to).run()
      moves.orders = db.changes
      try db.prepare("UPDATE consent_records SET member_id = ?2 WHERE member_id = ?1")
        .bind(from, to).run()
      moves.consentRecords = db.changes
      try db.prepare(
        """
        INSERT OR IGNORE INTO member_tags(member_id, tag, added_at)
        SELECT ?2, tag, added_at FROM member_tags WHERE member_id = ?1
        """
      ).bind(from, to).run()
      moves.tags = db.changes
      try db.prepare(
        """
        INSERT OR IGNORE INTO member_products(member_id, product_id)
        SELECT ?2, product_id FROM member_products WHERE member_id = ?1
        """
      ).bind(from, to).run()
      // Of two summaries from one source, the more recent describes more.
      try db.prepare(
        """
        INSERT INTO order_summaries(member_id, source, order_count, total_cents, currency, as_of)
        SELECT ?2, source, order_count, total_cents, currency, as_of
        FROM order_summaries WHERE member_id = ?1
        ON CONFLICT(member_id, source) DO UPDATE SET order_count = excluded.order_count,
          total_cents = excluded.total_cents, currency = excluded.currency, as_of = excluded.as_of
        WHERE excluded.as_of > order_summaries.as_of
        """
      ).bind(from, to).run()
      try db.prepare("UPDATE outbox SET member_id = ?2 WHERE member_id = ?1").bind(from, to).run()
      // A timer the survivor already has (same kind and key) stays the survivor's.
      try db.prepare(
        """
        DELETE FROM timers WHERE member_id = ?1 AND EXISTS (
          SELECT 1 FROM timers t WHERE t.member_id = ?2 AND t.kind = timers.kind
            AND t.key = timers.key)
        """
      ).bind(from, to).run()
      try db.prepare("UPDATE timers SET member_id = ?2 WHERE member_id = ?1").bind(from, to).run()
      try db.prepare("UPDATE flow_instances SET member_id = ?2 WHERE member_id = ?1")
        .bind(from, to).run()
      moves.instances = db.changes
      for sql: StaticString in [
        "DELETE FROM member_tags WHERE member_id = ?",
        "DELETE FROM member_products WHERE member_id = ?",
        "DELETE FROM order_summaries WHERE member_id = ?",
        "DELETE FROM member_segments WHERE member_id = ?",
      ] {
        try db.prepare(sql).bind(from).run()
      }
      try db.prepare("UPDATE members SET merged_into = ?2 WHERE id = ?1 OR merged_into = ?1")
        .bind(from, to).run()
      for channel in try channels(memberID: survivor) {
        try recomputeConsent(memberID: survivor, channel: channel)
      }
      let before = try aggregates(memberID: other)
      var after = try aggregates(memberID: survivor)
      after.lastOpenAt = latest(after.lastOpenAt, before.lastOpenAt)
      after.lastClickAt = latest(after.lastClickAt, before.lastClickAt)
      try saveAggregates(after, memberID: survivor)
      try db.prepare("DELETE FROM member_aggregates WHERE member_id = ?").bind(from).run()
      _ = try refreshOrderAggregates(memberID: survivor, at: at, throughOrder: nil)
      return moves
    }
  }

  private func latest(_ a: Int64?, _ b: Int64?) -> Int64? {
    guard let a else { return b }
    guard let b else { return a }
    return max(a, b)
  }

  private func channels(memberID: Int64) throws -> [String] {
    let row = try db.prepare("SELECT DISTINCT channel FROM consent_records WHERE member_id = ?")
      .bind(.int(memberID))
    var result: [String] = []
    while try row.step() { result.append(row.text(0)) }
    return result
  }

  /// Ends `other`'s active instances of flows `survivor` is active in, so the
  /// person goes on through each flow once.
  private func endDuplicateInstances(of other: Int64, keeping survivor: Int64, at: Int64) throws
    -> Int
  {
    let row = try db.prepare(
      """
      SELECT id FROM flow_instances i WHERE member_id = ?1 AND status = 'active' AND EXISTS (
        SELECT 1 FROM flow_instances s WHERE s.member_id = ?2 AND s.flow = i.flow
          AND s.status = 'active')
      """
    ).bind(.int(other), .int(survivor))
    var ids: [Int64] = []
    while try row.step() { ids.append(row.int(0)) }
    for id in ids {
      try endInstance(id: id, status: .exited, at: at, reason: "merged into member \(survivor)")
      try cancelTimer(.resume, memberID: other, key: TimerKind.resumeKey(instanceID: id))
    }
    return ids.count
  }

  public func recordMerge(_ entry: MergeLogEntry) throws {
    try db.prepare(
      """
      INSERT INTO merge_log(survivor_id, merged_id, snapshot, reason, source, at)
      VALUES (?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(entry.survivor), .int(entry.merged), .text(entry.snapshot), .text(entry.reason),
      .text(entry.source), .int(entry.at)
    ).run()
  }

  public func recordConflict(_ conflict: IdentityConflict) throws {
    try db.prepare(
      """
      INSERT INTO identity_conflicts(kind, value, member_ids, source, at) VALUES (?, ?, ?, ?, ?)
      """
    ).bind(
      .text(conflict.key.kind), .text(conflict.key.value),
      .text(conflict.memberIDs.map(String.init).joined(separator: ",")), .text(conflict.source),
      .int(conflict.at)
    ).run()
  }

  // MARK: Orders

  public func addOrder(
    memberID: Int64, externalID: String, placedAt: Int64, totalCents: Int64, currency: String,
    itemCount: Int, presentmentCents: Int64?, presentmentCurrency: String?
  ) throws -> Bool {
    try db.prepare(
      """
      INSERT OR IGNORE INTO orders(member_id, external_id, placed_at, total_cents, currency,
        item_count, presentment_cents, presentment_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), .text(externalID), .int(placedAt), .int(totalCents), .text(currency),
      .int(itemCount), presentmentCents.map(SQLValue.int), presentmentCurrency.map(SQLValue.text)
    ).run()
    return db.changes == 1
  }

  public func saveOrderSummary(
    memberID: Int64, source: String, orderCount: Int, totalCents: Int64, currency: String,
    asOf: Int64
  ) throws {
    try db.prepare(
      """
      INSERT INTO order_summaries(member_id, source, order_count, total_cents, currency, as_of)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(member_id, source) DO UPDATE SET order_count = excluded.order_count,
        total_cents = excluded.total_cents, currency = excluded.currency, as_of = excluded.as_of
      WHERE excluded.as_of >= order_summaries.as_of
      """
    ).bind(
      .int(memberID), .text(source), .int(orderCount), .int(totalCents), .text(currency),
      .int(asOf)
    ).run()
  }

  public func orderRow(
    forEvent eventID: Int64, memberID: Int64, placedAt: Int64, totalCents: Int64,
    currency: String, itemCount: Int
  ) throws -> Int64 {
    let row = try db.prepare(
      "SELECT o.id FROM events e JOIN orders o ON o.external_id = e.external_id WHERE e.id = ?"
    ).bind(.int(eventID))
    let existing = try row.step() ? row.int(0) : nil
    row.reset()
    if let existing { return existing }
    try db.prepare(
      """
      INSERT INTO orders(member_id, external_id, placed_at, total_cents, currency, item_count)
      VALUES (?, (SELECT external_id FROM events WHERE id = ?), ?, ?, ?, ?)
      """
    ).bind(
      .int(memberID), .int(eventID), .int(placedAt), .int(totalCents), .text(currency),
      .int(itemCount)
    ).run()
    return db.lastInsertRowID
  }

  public func refreshOrderAggregates(memberID: Int64, at: Int64, throughOrder: Int64?) throws
    -> MemberAggregates
  {
    let summary = try db.prepare(
      """
      SELECT coalesce(sum(order_count), 0), coalesce(sum(total_cents), 0), min(currency),
        max(as_of) FROM order_summaries WHERE member_id = ?
      """
    ).bind(.int(memberID))
    guard try summary.step() else { throw StoreError("no summary row for member \(memberID)") }
    var count = summary.int(0)
    var cents = summary.int(1)
    var currency = summary.optionalText(2)
    let asOf = summary.optionalInt(3)
    summary.reset()
    // Orders count from after the latest summary; total_spent adds only
    // amounts in the summary's currency (else the first order's).
    let orders = try db.prepare(
      """
      SELECT placed_at, total_cents, currency FROM orders
      WHERE member_id = ?1 AND placed_at > ?2 AND (placed_at < ?3 OR (placed_at = ?3 AND id <= ?4))
      ORDER BY placed_at, id
      """
    ).bind(.int(memberID), .int(asOf ?? Int64.min), .int(at), .int(throughOrder ?? Int64.max))
    var first: Int64?
    var last: Int64?
    while try orders.step() {
      let placedAt = orders.int(0)
      let orderCurrency = orders.text(2)
      count += 1
      if first == nil { first = placedAt }
      last = placedAt
      if currency == nil && !orderCurrency.isEmpty { currency = orderCurrency }
      if orderCurrency == currency { cents += orders.int(1) }
    }
    if asOf != nil {
      // First and last order come from every known order, summarised or not.
      let span = try db.prepare(
        """
        SELECT min(placed_at), max(placed_at) FROM orders
        WHERE member_id = ?1 AND (placed_at < ?2 OR (placed_at = ?2 AND id <= ?3))
        """
      ).bind(.int(memberID), .int(at), .int(throughOrder ?? Int64.max))
      _ = try span.step()
      first = span.optionalInt(0)
      last = span.optionalInt(1)
      span.reset()
    }
    let saved = try db.prepare(
      """
      INSERT INTO member_aggregates(member_id, order_count, total_spent_cents, currency,
        first_order_at, last_order_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(member_id) DO UPDATE SET order_count = excluded.order_count,
        total_spent_cents = excluded.total_spent_cents, currency = excluded.currency,
        first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at
      RETURNING last_open_at, last_click_at
      """
    ).bind(
      .int(memberID), .int(count), .int(cents), currency.map(SQLValue.text),
      first.map(SQLValue.int), last.map(SQLValue.int))
    defer { saved.reset() }
    var result = MemberAggregates()
    result.orderCount = count
    result.totalSpentCents = cents
    result.currency = currency
    result.firstOrderAt = first
    result.lastOrderAt = last
    if try saved.step() {
      result.lastOpenAt = saved.optionalInt(0)
      result.lastClickAt = saved.optionalInt(1)
    }
    return result
  }
}

// MARK: Reading a member's history (`flowc members`)

extension SQLiteFlowStore {
  /// Every consent record of a member, effective or not, in time order.
  public func consentHistory(memberID: Int64) throws -> [ConsentRecord] {
    let row = try db.prepare(
      """
      SELECT channel, status, source, occurred_at, recorded_at, evidence, effective
      FROM consent_records WHERE member_id = ? ORDER BY channel, occurred_at, id
      """
    ).bind(.int(memberID))
    var result: [ConsentRecord] = []
    while try row.step() {
      result.append(
        ConsentRecord(
          channel: row.text(0), status: row.text(1), source: row.text(2), occurredAt: row.int(3),
          recordedAt: row.int(4), evidence: row.optionalText(5), effective: row.int(6) != 0))
    }
    return result
  }

  /// Every flow instance of a member, oldest first.
  public func instanceHistory(memberID: Int64) throws -> [InstanceHistory] {
    let row = try db.prepare(
      """
      SELECT id, flow, status, step, entered_at, ended_at, end_reason FROM flow_instances
      WHERE member_id = ? ORDER BY entered_at, id
      """
    ).bind(.int(memberID))
    var result: [InstanceHistory] = []
    while try row.step() {
      result.append(
        InstanceHistory(
          id: row.int(0), flow: row.text(1), status: row.text(2), step: row.optionalText(3),
          enteredAt: row.int(4), endedAt: row.optionalInt(5), endReason: row.optionalText(6)))
    }
    return result
  }

  /// A member's orders, oldest first.
  public func orders(memberID: Int64) throws -> [OrderRecord] {
    let row = try db.prepare(
      """
      SELECT external_id, placed_at, total_cents, currency, item_count, presentment_cents,
        presentment_currency FROM orders WHERE member_id = ? ORDER BY placed_at, id
      """
    ).bind(.int(memberID))
    var result: [OrderRecord] = []
    while try row.step() {
      result.append(
        OrderRecord(
          externalID: row.optionalText(0), placedAt: row.int(1), totalCents: row.int(2),
          currency: row.text(3), itemCount: row.int(4), presentmentCents: row.optionalInt(5),
          presentmentCurrency: row.optionalText(6)))
    }
    return result
  }

  /// The merge log, oldest first; with a member, only merges on either side of it.
  public func merges(involving memberID: Int64? = nil) throws -> [MergeLogEntry] {
    let row = try db.prepare(
      """
      SELECT survivor_id, merged_id, snapshot, reason, source, at FROM merge_log
      WHERE ?1 IS NULL OR survivor_id = ?1 OR merged_id = ?1 ORDER BY id
      """
    ).bind(memberID.map(SQLValue.int))
    var result: [MergeLogEntry] = []
    while try row.step() {
      result.append(
        MergeLogEntry(
          survivor: row.int(0), merged: row.int(1), snapshot: row.text(2), reason: row.text(3),
          source: row.text(4), at: row.int(5)))
    }
    return result
  }

  /// Recorded conflicts, oldest first; with a member, only those naming it.
  public func conflicts(involving memberID: Int64? = nil) throws -> [IdentityConflict] {
    let row = try db.prepare(
      "SELECT kind, value, member_ids, source, at FROM identity_conflicts ORDER BY id")
    var result: [IdentityConflict] = []
    while try row.step() {
      let ids = row.text(2).split(separator: ",").compactMap { Int64($0) }
      if let memberID, !ids.contains(memberID) { continue }
      result.append(
        IdentityConflict(
          key: IdentityKey(kind: row.text(0), value: row.text(1)), memberIDs: ids,
          source: row.text(3), at: row.int(4)))
    }
    return result
  }
}
