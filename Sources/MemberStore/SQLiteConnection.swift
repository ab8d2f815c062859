import CSQLite

/// An error from SQLite, with the statement that failed.
public struct StoreError: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// Another connection held the lock past the busy timeout: worth retrying.
  public var isBusy = false

  public init(_ message: String, isBusy: Bool = false) {
    self.message = message
    self.isBusy = isBusy
  }

  public var description: String { message }
}

// SQLITE_TRANSIENT tells SQLite to copy bound text; the C macro is not importable.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe: one connection belongs to one thread, as SQLite advises.
final class SQLiteConnection {
  private(set) var handle: OpaquePointer?
  /// Prepared statements by the address of their SQL literal: hashing a
  /// pointer is much cheaper than hashing the text on every call.
  private var statements: [UnsafeRawPointer: Statement] = [:]

  init(path: String) throws {
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close(handle)
      throw StoreError("cannot open database '\(path)': \(message)")
    }
    // Another process (an import while `flowc run` is running) may hold the
    // write lock briefly: wait for it rather than fail.
    sqlite3_busy_timeout(handle, 10_000)
  }

  deinit {
    for statement in statements.values { statement.finalize() }
    sqlite3_close(handle)
  }

  /// Runs one or more statements that return no rows.
  func execute(_ sql: String) throws {
    var error: UnsafeMutablePointer<CChar>?
    let status = sqlite3_exec(handle, sql, nil, nil, &error)
    if status != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? "unknown error"
      sqlite3_free(error)
      throw StoreError(
        "\(message) in: \(sql.prefix(120))", isBusy: Self.isBusy(status))
    }
  }

  /// A cached prepared statement for `sql`, reset and ready to bind.
  func prepare(_ sql: StaticString) throws -> Statement {
    let key = UnsafeRawPointer(sql.utf8Start)
    if let cached = statements[key] {
      cached.reset()
      return cached
    }
    var raw: OpaquePointer?
    let status = sql.withUTF8Buffer { text in
      text.withMemoryRebound(to: CChar.self) {
        sqlite3_prepare_v3(
          handle, $0.baseAddress, Int32($0.count), UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
      }
    }
    guard status == SQLITE_OK, let raw else {
      throw StoreError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
    }
    let statement = Statement(raw, connection: self)
    statements[key] = statement
    return statement
  }

  /// A statement for ad hoc SQL (tests, tools), not cached; it is finalized
  /// when released.
  func prepareOnce(_ sql: String) throws -> Statement {
    var raw: OpaquePointer?
    guard sqlite3_prepare_v2(handle, sql, -1, &raw, nil) == SQLITE_OK, let raw else {
      throw StoreError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(120))")
    }
    return Statement(raw, connection: self, finalizesOnRelease: true)
  }

  static func isBusy(_ status: Int32) -> Bool {
    status & 0xff == SQLITE_BUSY || status & 0xff == SQLITE_LOCKED
  }

  /// Resets every cached statement, so none keeps a read transaction open.
  func resetStatements() {
    for statement in statements.values { statement.reset() }
  }

  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
  var changes: Int { Int(sqlite3_changes(handle)) }
  var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement: bind parameters (1-based), then step through rows.
final class Statement {
  private let raw: OpaquePointer
  private unowned let connection: SQLiteConnection
  private let finalizesOnRelease: Bool

  fileprivate init(
    _ raw: OpaquePointer, connection: SQLiteConnection, finalizesOnRelease: Bool = false
  ) {
    self.raw = raw
    self.connection = connection
    self.finalizesOnRelease = finalizesOnRelease
  }

  deinit {
    if finalizesOnRelease { sqlite3_finalize(raw) }
  }

  fileprivate func finalize() { sqlite3_finalize(raw) }

  /// Ends the statement's current run, releasing its read snapshot.
  func reset() {
    sqlite3_reset(raw)
    sqlite3_clear_bindings(raw)
  }

  /// Binds values in order; nil binds NULL.
  @discardableResult
  func bind(_ values: SQLValue?...) -> Statement {
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      switch value {
      case nil: sqlite3_bind_null(raw, index)
      case .int(let v): sqlite3_bind_int64(raw, index, v)
      case .double(let v): sqlite3_bind_double(raw, index, v)
      case .text(var v):
        // Bound from the string's own UTF-8 (no C-string copy); SQLite copies it.
        // An empty buffer may have no address, and a null pointer would bind NULL.
        if v.isEmpty {
          sqlite3_bind_text(raw, index, "", 0, transient)
        } else {
          v.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
              sqlite3_bind_text(raw, index, $0.baseAddress, Int32($0.count), transient)
            }
          }
        }
      case .blob(let bytes):
        bytes.withUnsafeBytes { buffer in
          _ = sqlite3_bind_blob(raw, index, buffer.baseAddress, Int32(buffer.count), transient)
        }
      }
    }
    return self
  }

  /// Advances to the next row; false when done.
  func step() throws -> Bool {
    switch sqlite3_step(raw) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    case let status:
      let message = connection.errorMessage
      sqlite3_reset(raw)
      throw StoreError(message, isBusy: SQLiteConnection.isBusy(status))
    }
  }

  /// Runs a statement that returns no rows.
  func run() throws {
    while try step() {}
  }

  func int(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
  func optionalInt(_ column: Int32) -> Int64? {
    sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : sqlite3_column_int64(raw, column)
  }
  func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }
  func text(_ column: Int32) -> String {
    guard let pointer = sqlite3_column_text(raw, column) else { return "" }
    return String(cString: pointer)
  }
  func optionalText(_ column: Int32) -> String? {
    sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : text(column)
  }
  func blob(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(raw, column))
    guard count > 0, let pointer = sqlite3_column_blob(raw, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
  }
}

/// A value bound to a statement parameter.
enum SQLValue {
  case int(Int64)
  case double(Double)
  case text(String)
  case blob([UInt8])
}

extension SQLValue {
  static func int(_ value: Int) -> SQLValue { .int(Int64(value)) }
}
