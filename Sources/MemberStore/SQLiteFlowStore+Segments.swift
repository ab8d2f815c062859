import CSQLite

/// A value passed to or returned from a scalar SQL function.
public enum SQLScalar: Sendable, Hashable {
  case null
  case int(Int64)
  case double(Double)
  case text(String)
}

/// A member as `flowc members list` prints them.
public struct MemberSummary: Sendable, Hashable {
  public var id: Int64
  public var email: String
  public var firstName: String?
  public var lastName: String?
}

/// Answers segment questions with compiled SQL. A condition may use `m`
/// (members) and `a` (member_aggregates, left-joined: NULL columns for a
/// member without orders). Members merged into another are never counted:
/// their row points at the survivor and their aggregates row is gone, so a
/// condition that `needsAggregates` is answered from `member_aggregates` alone.
extension SQLiteFlowStore {
  /// Members for whom `condition` is true, by id.
  public func members(where condition: String, needsAggregates: Bool = false) throws
    -> [MemberSummary]
  {
    let row = try db.prepareOnce(
      "SELECT m.id, m.email, m.first_name, m.last_name "
        + Self.source(condition, needsAggregates: needsAggregates) + " ORDER BY m.id")
    var members: [MemberSummary] = []
    while try row.step() {
      members.append(
        MemberSummary(
          id: row.int(0), email: row.text(1), firstName: row.optionalText(2),
          lastName: row.optionalText(3)))
    }
    return members
  }

  /// How many members `condition` is true for; with `aggregatesOnly` the
  /// condition uses `a` alone (`SegmentSQL.aggregatesOnlyCondition`).
  public func countMembers(where condition: String, aggregatesOnly: Bool = false) throws -> Int {
    let row = try db.prepareOnce(
      aggregatesOnly
        ? "SELECT count(*) FROM member_aggregates a WHERE \(condition)"
        : "SELECT count(*) " + Self.source(condition, needsAggregates: false))
    _ = try row.step()
    return Int(row.int(0))
  }

  private static func source(_ condition: String, needsAggregates: Bool) -> String {
    needsAggregates
      ? "FROM member_aggregates a JOIN members m ON m.id = a.member_id WHERE \(condition)"
      : "FROM members m LEFT JOIN member_aggregates a ON a.member_id = m.id "
        + "WHERE (\(condition)) AND m.merged_into IS NULL"
  }

  /// Sets this connection up for one pass over many rows (a segment count
  /// from the command line): a large page cache and a memory map only add
  /// the cost of filling them when every page is read once.
  public func preferSinglePassReads() throws {
    try db.execute("PRAGMA cache_size = -2000; PRAGMA mmap_size = 0;")
  }

  /// Makes `name(arg, ...)` callable from SQL on this connection. The body
  /// must be deterministic: SQLite may call it once for equal arguments.
  public func defineFunction(
    _ name: String, arity: Int, _ body: @escaping ([SQLScalar]) -> SQLScalar
  ) throws {
    let box = Unmanaged.passRetained(FunctionBox(body)).toOpaque()
    let status = sqlite3_create_function_v2(
      db.handle, name, Int32(arity), SQLITE_UTF8 | SQLITE_DETERMINISTIC, box,
      { context, count, values in
        let box = Unmanaged<FunctionBox>.fromOpaque(sqlite3_user_data(context))
          .takeUnretainedValue()
        var arguments: [SQLScalar] = []
        for index in 0..<Int(count) {
          arguments.append(SQLScalar(values![index]))
        }
        switch box.body(arguments) {
        case .null: sqlite3_result_null(context)
        case .int(let value): sqlite3_result_int64(context, value)
        case .double(let value): sqlite3_result_double(context, value)
        case .text(let value): sqlite3_result_text(context, value, -1, transientText)
        }
      }, nil, nil,
      { box in box.map { Unmanaged<FunctionBox>.fromOpaque($0).release() } })
    guard status == SQLITE_OK else {
      throw StoreError("cannot define SQL function \(name): \(db.errorMessage)")
    }
  }
}

// SQLITE_TRANSIENT: SQLite copies the result text before the Swift string goes away.
private let transientText = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

private final class FunctionBox {
  let body: ([SQLScalar]) -> SQLScalar
  init(_ body: @escaping ([SQLScalar]) -> SQLScalar) { self.body = body }
}

extension SQLScalar {
  fileprivate init(_ value: OpaquePointer?) {
    switch sqlite3_value_type(value) {
    case SQLITE_INTEGER: self = .int(sqlite3_value_int64(value))
    case SQLITE_FLOAT: self = .double(sqlite3_value_double(value))
    case SQLITE_TEXT: self = .text(String(cString: sqlite3_value_text(value)))
    default: self = .null
    }
  }
}
