/// Numbered, append-only schema migrations for the SQLite backend.
///
/// Never edit a released entry: add a new one. `PRAGMA user_version` records
/// how many have run.
enum Migrations {
  static let all: [String] = [
    // 1: members, identities, consent, events, orders, aggregates, flow state, outbox.
    """
    CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE members(
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL,
      first_name TEXT, last_name TEXT, phone TEXT, locale TEXT, timezone TEXT,
      joined_at INTEGER,
      created_at INTEGER NOT NULL,
      fields TEXT NOT NULL DEFAULT '{}');
    CREATE TABLE identities(
      kind TEXT NOT NULL, value TEXT NOT NULL,
      member_id INTEGER NOT NULL REFERENCES members(id),
      PRIMARY KEY(kind, value)) WITHOUT ROWID;
    CREATE INDEX identities_member ON identities(member_id);
    CREATE TABLE consent_records(
      id INTEGER PRIMARY KEY,
      member_id INTEGER NOT NULL REFERENCES members(id),
      channel TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
      occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, evidence TEXT);
    CREATE INDEX consent_member ON consent_records(member_id, channel, occurred_at);
    CREATE TABLE suppressions(email TEXT PRIMARY KEY, reason TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE events(
      id INTEGER PRIMARY KEY,
      member_id INTEGER NOT NULL REFERENCES members(id),
      name TEXT NOT NULL,
      occurred_at INTEGER NOT NULL,
      payload TEXT NOT NULL DEFAULT '{}',
      external_id TEXT UNIQUE,
      processed INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX events_pending ON events(occurred_at, id) WHERE processed = 0;
    CREATE INDEX events_member ON events(member_id, occurred_at);
    CREATE TABLE orders(
      id INTEGER PRIMARY KEY,
      member_id INTEGER NOT NULL REFERENCES members(id),
      external_id TEXT UNIQUE,
      placed_at INTEGER NOT NULL,
      total_cents INTEGER NOT NULL, currency TEXT NOT NULL,
      item_count INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX orders_member ON orders(member_id, placed_at);
    CREATE TABLE member_aggregates(
      member_id INTEGER PRIMARY KEY REFERENCES members(id),
      order_count INTEGER NOT NULL DEFAULT 0,
      total_spent_cents INTEGER NOT NULL DEFAULT 0,
      currency TEXT,
      first_order_at INTEGER, last_order_at INTEGER,
      last_open_at INTEGER, last_click_at INTEGER);
    CREATE TABLE member_tags(
      member_id INTEGER NOT NULL, tag TEXT NOT NULL, added_at INTEGER NOT NULL,
      PRIMARY KEY(member_id, tag)) WITHOUT ROWID;
    CREATE TABLE member_segments(
      member_id INTEGER NOT NULL, segment TEXT NOT NULL, entered_at INTEGER NOT NULL,
      PRIMARY KEY(member_id, segment)) WITHOUT ROWID;
    CREATE TABLE programs(version TEXT PRIMARY KEY, ir TEXT NOT NULL, loaded_at INTEGER NOT NULL);
    CREATE TABLE flow_instances(
      id INTEGER PRIMARY KEY,
      flow TEXT NOT NULL, version TEXT NOT NULL,
      member_id INTEGER NOT NULL REFERENCES members(id),
      status TEXT NOT NULL, step TEXT,
      entered_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT,
      trigger_payload TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX flow_instances_member ON flow_instances(member_id, flow, entered_at);
    CREATE TABLE timers(
      id INTEGER PRIMARY KEY,
      due_at INTEGER NOT NULL,
      kind TEXT NOT NULL,
      member_id INTEGER NOT NULL,
      instance_id INTEGER,
      key TEXT NOT NULL);
    CREATE INDEX timers_due ON timers(due_at, id);
    CREATE UNIQUE INDEX timers_identity ON timers(kind, member_id, key);
    CREATE TABLE step_log(
      id INTEGER PRIMARY KEY,
      instance_id INTEGER NOT NULL, flow TEXT NOT NULL, step TEXT NOT NULL,
      outcome TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL);
    CREATE TABLE outbox(
      id INTEGER PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      instance_id INTEGER NOT NULL, member_id INTEGER NOT NULL,
      flow TEXT NOT NULL, step TEXT NOT NULL,
      recipient TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      delivered_at INTEGER);
    -- Message bytes apart from the row, deleted once delivered, so their pages
    -- are reused instead of leaving a large, mostly empty outbox table. A row
    -- here is exactly a message waiting for delivery.
    CREATE TABLE outbox_messages(
      outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id),
      message BLOB NOT NULL);
    CREATE TABLE runtime_state(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    """,
    // 2: frequency caps count a member's recent emails.
    """
    CREATE INDEX outbox_member ON outbox(member_id, created_at);
    """,
    // 3: per-flow versions, deploys, and finding when an instance entered its step.
    """
    -- Each compiled flow's IR by its version (a hash of that IR); an instance's
    -- version names the row of the flow it entered. loaded_at is the last load.
    CREATE TABLE flow_versions(
      flow TEXT NOT NULL, version TEXT NOT NULL, ir TEXT NOT NULL, loaded_at INTEGER NOT NULL,
      PRIMARY KEY(flow, version)) WITHOUT ROWID;
    -- Instances from before this migration hold the whole program's version:
    -- file each of that program's flows under it, so a deploy can still read them.
    INSERT INTO flow_versions(flow, version, ir, loaded_at)
      SELECT json_extract(f.value, '$.name'), p.version, f.value, p.loaded_at
      FROM programs p, json_each(p.ir, '$.flows') f;
    -- Every time `flowc run` loaded flows that changed what members inside do.
    CREATE TABLE deploys(
      id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
      resumed INTEGER NOT NULL, moved INTEGER NOT NULL, exited INTEGER NOT NULL,
      new_flows INTEGER NOT NULL,
      plan TEXT NOT NULL);
    -- A deploy re-times a wait from the moment the instance entered it.
    CREATE INDEX step_log_instance ON step_log(instance_id, step);
    """,
    // 4: the product catalog, and which products each member bought, for
    // recommendations that never offer what a member already has.
    """
    CREATE TABLE products(
      id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT, image_url TEXT,
      price_cents INTEGER, currency TEXT, tags TEXT NOT NULL DEFAULT '',
      updated_at INTEGER NOT NULL);
    CREATE TABLE member_products(
      member_id INTEGER NOT NULL, product_id TEXT NOT NULL,
      PRIMARY KEY(member_id, product_id)) WITHOUT ROWID;
    """,
    // 5: messages a server refused for good. Such a row is done (its bytes
    // are dropped) but not delivered.
    """
    ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
    ALTER TABLE outbox ADD COLUMN failure TEXT;
    """,
    // 6: consent precedence. A record is kept as evidence even when it does
    // not take effect (an imported opt-in after an unsubscribe); a member's
    // status is their latest effective record.
    """
    ALTER TABLE consent_records ADD COLUMN effective INTEGER NOT NULL DEFAULT 1;
    """,
    // 7: one member per person. Merged members keep their row (pointing at the
    // survivor) so old ids still resolve; the merge log keeps both sides as they
    // were; conflicts are keys the rules kept from merging; order summaries are
    // totals a source reports without the orders; orders keep the buyer's
    // currency total.
    """
    ALTER TABLE members ADD COLUMN merged_into INTEGER;
    ALTER TABLE orders ADD COLUMN presentment_cents INTEGER;
    ALTER TABLE orders ADD COLUMN presentment_currency TEXT;
    CREATE TABLE order_summaries(
      member_id INTEGER NOT NULL, source TEXT NOT NULL,
      order_count INTEGER NOT NULL, total_cents INTEGER NOT NULL, currency TEXT NOT NULL,
      as_of INTEGER NOT NULL,
      PRIMARY KEY(member_id, source)) WITHOUT ROWID;
    CREATE TABLE merge_log(
      id INTEGER PRIMARY KEY,
      survivor_id INTEGER NOT NULL, merged_id INTEGER NOT NULL,
      snapshot TEXT NOT NULL, reason TEXT NOT NULL, source TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE INDEX merge_log_survivor ON merge_log(survivor_id);
    CREATE INDEX merge_log_merged ON merge_log(merged_id);
    CREATE TABLE identity_conflicts(
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL, value TEXT NOT NULL,
      member_ids TEXT NOT NULL, source TEXT NOT NULL, at INTEGER NOT NULL);
    """,
    // 8: RFM: each buying member's recency, frequency and monetary quintile
    // (1-5), rewritten daily only where a score changed.
    """
    CREATE TABLE member_rfm(
      member_id INTEGER PRIMARY KEY REFERENCES members(id),
      recency INTEGER NOT NULL, frequency INTEGER NOT NULL, monetary INTEGER NOT NULL);
    """,
  ]
}
