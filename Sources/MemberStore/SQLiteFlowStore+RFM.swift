/// RFM quintiles in SQL: NTILE(5) over members with at least one order, ties
/// broken by member id so a pass is deterministic.
extension SQLiteFlowStore {
  public func rfmScores(memberID: Int64) throws -> RFMScores? {
    let row = try db.prepare(
      "SELECT recency, frequency, monetary FROM member_rfm WHERE member_id = ?"
    ).bind(.int(memberID))
    defer { row.reset() }
    guard try row.step() else { return nil }
    return RFMScores(
      recency: Int(row.int(0)), frequency: Int(row.int(1)), monetary: Int(row.int(2)))
  }

  public func refreshRFM() throws -> [Int64] {
    try transaction {
      try db.execute(
        """
        DROP TABLE IF EXISTS temp.rfm_scores;
        DROP TABLE IF EXISTS temp.rfm_changed;
        CREATE TEMP TABLE rfm_scores AS
          SELECT member_id,
            NTILE(5) OVER (ORDER BY last_order_at, member_id) AS recency,
            NTILE(5) OVER (ORDER BY order_count, member_id) AS frequency,
            NTILE(5) OVER (ORDER BY total_spent_cents, member_id) AS monetary
          FROM member_aggregates WHERE order_count > 0;
        CREATE TEMP TABLE rfm_changed AS
          SELECT s.member_id FROM rfm_scores s
            LEFT JOIN member_rfm o ON o.member_id = s.member_id
            WHERE o.member_id IS NULL OR o.recency <> s.recency
              OR o.frequency <> s.frequency OR o.monetary <> s.monetary
          UNION ALL
          SELECT o.member_id FROM member_rfm o
            WHERE NOT EXISTS (SELECT 1 FROM rfm_scores s WHERE s.member_id = o.member_id);
        DELETE FROM member_rfm WHERE member_id IN (SELECT member_id FROM rfm_changed);
        INSERT INTO member_rfm(member_id, recency, frequency, monetary)
          SELECT s.member_id, s.recency, s.frequency, s.monetary
          FROM rfm_scores s JOIN rfm_changed c ON c.member_id = s.member_id;
        """)
      let changed = try changedMembers()
      try db.execute("DROP TABLE temp.rfm_scores; DROP TABLE temp.rfm_changed;")
      return changed
    }
  }

  /// Read apart, so the statement is gone before its table is dropped.
  private func changedMembers() throws -> [Int64] {
    let row = try db.prepareOnce("SELECT member_id FROM rfm_changed ORDER BY member_id")
    var changed: [Int64] = []
    while try row.step() { changed.append(row.int(0)) }
    return changed
  }
}
