import Foundation
import HTTPServer
import HTTPTypes

/// A handler that keeps every request it sees and answers with `respond`.
final class RecordingHandler: HTTPHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var seen: [HTTPRequest] = []
  private let respond: @Sendable (HTTPRequest) -> HTTPResponse

  init(respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse = { _ in .init(status: 200) }) {
    self.respond = respond
  }

  var requests: [HTTPRequest] { lock.withLock { seen } }

  func handle(_ request: HTTPRequest) -> HTTPResponse {
    lock.withLock { seen.append(request) }
    return respond(request)
  }
}

/// What `curl` got back.
struct CurlResult {
  var exitCode: Int32
  var status: Int
  /// Response header names lower-cased.
  var headers: [String: String]
  var body: String
}

/// Runs `curl` against the server; `arguments` come before the URL.
func curl(_ url: String, _ arguments: [String] = []) throws -> CurlResult {
  try RunningCurl(url, arguments).finish()
}

/// A `curl` started in the background (a process, so waiting on the test's
/// side never starves the thread pool the server or the tests run on).
final class RunningCurl {
  private let process = Process()
  private let output: FileHandle

  init(_ url: String, _ arguments: [String] = []) throws {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["--silent", "--include", "--max-time", "20"] + arguments + [url]
    let pipe = Pipe()
    process.standardOutput = pipe
    output = pipe.fileHandleForReading
    try process.run()
  }

  func finish() -> CurlResult {
    let data = output.readDataToEndOfFile()
    process.waitUntilExit()
    return parse(String(decoding: data, as: UTF8.self), exitCode: process.terminationStatus)
  }
}

/// Splits `curl --include` output, skipping any `100 Continue` block.
private func parse(_ text: String, exitCode: Int32) -> CurlResult {
  var rest = Substring(text)
  var result = CurlResult(exitCode: exitCode, status: 0, headers: [:], body: "")
  while let end = rest.range(of: "\r\n\r\n") {
    let head = rest[..<end.lowerBound].split(separator: "\r\n")
    rest = rest[end.upperBound...]
    guard let statusLine = head.first else { break }
    result.status = Int(statusLine.split(separator: " ")[1]) ?? 0
    if result.status == 100 { continue }
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      result.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    break
  }
  result.body = String(rest)
  return result
}

func text(_ string: String) -> [UInt8] { Array(string.utf8) }
