import Foundation
import Identity
import Imports

/// The package root, found from this file's path (`Tests/ImportsTests/`).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The team's shared format fixtures, beside the repository (`FLOW_SHARED_DIR` overrides).
func formatFixture(_ name: String) -> String {
  let shared =
    ProcessInfo.processInfo.environment["FLOW_SHARED_DIR"].map(URL.init(fileURLWithPath:))
    ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
  return shared.appendingPathComponent("fixtures/formats/\(name)").path
}

/// A file in a fresh temp folder holding `text`.
func temporaryFile(_ text: String, name: String = "input.csv") throws -> String {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("imports-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let path = folder.appendingPathComponent(name).path
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

/// Every record of a CSV file, or the first error.
func readAll(_ reader: CSVReader) throws -> [CSVRecord] {
  var records: [CSVRecord] = []
  while let record = try reader.next() { records.append(record) }
  return records
}

/// The members of a CSV file read through a format, by line.
func members(
  _ path: String, _ format: @escaping (CSVHeader) throws(FormatError) -> any CSVMemberFormat
) throws -> [Int: MemberInput] {
  let source = try CSVSource(path: path, format: format)
  var found: [Int: MemberInput] = [:]
  while let (line, record) = try source.next() {
    guard case .member(let member) = record else { continue }
    found[line] = member
  }
  return found
}

/// The decoded JSON object in a fixture file.
func jsonFixture(_ name: String) throws -> [String: Any] {
  let data = try Data(contentsOf: URL(fileURLWithPath: formatFixture(name)))
  return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}
