import Foundation

/// `http://127.0.0.1:PORT` from run's `listening on 127.0.0.1:PORT` line.
func listeningURL(_ stderr: String) -> String? {
  let marker = "flowc run: listening on "
  guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) else {
    return nil
  }
  return "http://" + line.dropFirst(marker.count)
}

/// Status (0 when nothing answered) and body of one request made with `curl`.
func fetch(_ url: String, method: String = "GET", extra: [String] = []) throws -> (
  status: Int, body: String
) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
  process.arguments =
    [
      "--silent", "--max-time", "20", "--request", method, "--write-out", "\n%{http_code}", url,
    ] + extra
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard let newline = text.lastIndex(of: "\n") else { return (0, text) }
  return (Int(text[text.index(after: newline)...]) ?? 0, String(text[..<newline]))
}
