import Foundation

/// The first lines of the real CDNOW log, written to a temp file with its
/// CRLF endings, plus the counts an import of it must report.
struct CDNOWSlice {
  /// The file's path.
  let path: String
  /// Distinct customer ids among the data lines.
  let customers: Int
  /// Data lines (one order each).
  let orders: Int

  /// Writes the header and the first `dataLines` data lines of the log.
  init(dataLines: Int, in directory: TempDirectory, name: String = "cdnow.txt") throws {
    let lines = try Self.masterLines()
    let data = Array(lines.dropFirst().prefix(dataLines))
    precondition(data.count == dataLines, "the CDNOW log has fewer lines than asked for")
    path = directory.path(name)
    try Self.write([lines[0]] + data, to: path)
    customers = Set(data.map { $0.split(separator: " ")[0] }).count
    orders = data.count
  }

  /// The header and the data lines of the log whose customer id is in `ids`.
  init(customerIDs ids: Set<Int>, in directory: TempDirectory, name: String = "cdnow.txt") throws {
    let lines = try Self.masterLines()
    let data = lines.dropFirst().filter { line in
      line.split(separator: " ").first.flatMap { Int($0) }.map(ids.contains) ?? false
    }
    path = directory.path(name)
    try Self.write([lines[0]] + data, to: path)
    customers = Set(data.map { $0.split(separator: " ")[0] }).count
    orders = data.count
  }

  /// The master log's lines without their CRLF endings.
  static func masterLines() throws -> [Substring] {
    guard let bytes = FileManager.default.contents(atPath: Repo.cdnow) else {
      throw HarnessError("cannot read \(Repo.cdnow)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    // Split on "\r\n" (one Character in Swift); drop the empty tail after the last line.
    return text.split(separator: "\r\n", omittingEmptySubsequences: true)
  }

  private static func write(_ lines: [Substring], to path: String) throws {
    let text = lines.map { $0 + "\r\n" }.joined()
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }
}
