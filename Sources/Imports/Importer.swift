import Foundation
import Identity
import MemberStore

/// What an import did, or would have done before it was rolled back.
public struct ImportReport: Sendable {
  public var rows = 0
  public var membersCreated = 0
  public var membersUpdated = 0
  public var membersMerged = 0
  public var ordersNew = 0
  public var ordersKnown = 0
  /// Bad rows: written to the reject file with `--skip-invalid`, else the reason nothing was stored.
  public var badRows = 0
  /// The first bad rows, as `(line, reason)`; the rest are only counted.
  public var problems: [Problem] = []
  public var committed = false

  public static let shownProblems = 50

  public struct Problem: Sendable, Hashable {
    public var line: Int
    public var reason: String
  }
}

/// Streams an `ImportSource` through the identity resolver in one store
/// transaction: all rows or none, unless bad rows are to be skipped (then
/// they go to the reject file and the rest commits).
public struct Importer {
  private let store: FlowStore
  private let resolver: IdentityResolver
  private let now: Int64

  public init(store: FlowStore, resolver: IdentityResolver, now: Int64) {
    self.store = store
    self.resolver = resolver
    self.now = now
  }

  private struct RolledBack: Error {}

  /// - Parameter rejects: where bad rows go; nil to roll everything back on one.
  public func run(_ source: ImportSource, rejects: RejectFile?) throws -> ImportReport {
    var report = ImportReport()
    do {
      try store.transaction {
        while true {
          let row: (line: Int, record: ImportRecord)
          do throws(LineError) {
            guard let next = try source.next() else { break }
            row = next
          } catch {
            report.rows += 1
            try refuse(error.line, error.reason, error.raw, &report, rejects)
            continue
          }
          report.rows += 1
          do throws(RowError) {
            try store(row.record, &report)
          } catch {
            try refuse(row.line, error.reason, source.lastRaw, &report, rejects)
          }
        }
        if rejects == nil, report.badRows > 0 { throw RolledBack() }
      }
      report.committed = true
    } catch is RolledBack {
      report.committed = false
    }
    try rejects?.close()
    return report
  }

  private func store(_ record: ImportRecord, _ report: inout ImportReport) throws(RowError) {
    do {
      switch record {
      case .member(let member):
        try Self.expectKey(member)
        count(try resolver.upsert(member, at: now), &report)
      case .order(let order):
        try Self.expectKey(order.customer)
        if let resolution = try resolver.addOrder(order, at: now) {
          report.ordersNew += 1
          count(resolution, &report)
        } else {
          report.ordersKnown += 1
        }
      }
    } catch let error as IdentityResolver.InputError {
      throw RowError(error.reason)
    } catch {
      throw error as! RowError
    }
  }

  private static func expectKey(_ member: MemberInput) throws(RowError) {
    guard
      member.email != nil || member.phone != nil || !member.externalIDs.isEmpty
        || member.visitorID != nil
    else { throw RowError("no email, phone or id to know the member by") }
  }

  private func count(_ resolution: IdentityResolver.Resolution, _ report: inout ImportReport) {
    if resolution.created { report.membersCreated += 1 } else { report.membersUpdated += 1 }
    report.membersMerged += resolution.merged.count
  }

  private func refuse(
    _ line: Int, _ reason: String, _ raw: [UInt8], _ report: inout ImportReport,
    _ rejects: RejectFile?
  ) throws {
    report.badRows += 1
    if report.problems.count < ImportReport.shownProblems {
      report.problems.append(ImportReport.Problem(line: line, reason: reason))
    }
    try rejects?.write(raw)
  }
}

/// The file `--skip-invalid` writes bad rows to, created at the first one:
/// the CSV header then each bad record as read, or JSON Lines of bad objects.
public final class RejectFile {
  public let path: String
  private let preamble: [UInt8]
  private var handle: UnsafeMutablePointer<FILE>?

  public init(path: String, preamble: [UInt8]) {
    self.path = path
    self.preamble = preamble
  }

  func write(_ bytes: [UInt8]) throws {
    if handle == nil {
      guard let opened = fopen(path, "wb") else {
        throw FormatError("cannot write reject file '\(path)': \(String(cString: strerror(errno)))")
      }
      handle = opened
      fwrite(preamble, 1, preamble.count, opened)
    }
    fwrite(bytes, 1, bytes.count, handle)
  }

  func close() throws {
    guard let handle else { return }
    self.handle = nil
    guard fclose(handle) == 0 else { throw FormatError("cannot write reject file '\(path)'") }
  }
}
