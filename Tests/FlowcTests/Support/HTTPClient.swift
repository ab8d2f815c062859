import Foundation

/// `http://127.0.0.1:PORT` from run's `listening on 127.0.0.1:PORT` line.
func listeningURL(_ stderr: String) -> String? {
  let marker = "flowc run: listening on "
  guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) else {
    return nil
  }
  return "http://" + line.dropFirst(marker.count)
}

/// Status (0 when nothing answered), body and headers (names lower-cased)
/// of one request made with `curl`.
func fetch(_ url: String, method: String = "GET", extra: [String] = []) throws -> (
  status: Int, body: String, headers: [String: String]
) {
  let headerFile = FileManager.default.temporaryDirectory
    .appendingPathComponent("flowc-headers-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: headerFile) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
  // `--head`, not `--request HEAD`: curl would wait for a body that never comes.
  let methodFlags = method == "HEAD" ? ["--head"] : ["--request", method]
  process.arguments =
    ["--silent", "--max-time", "20", "--dump-header", headerFile.path] + methodFlags
    + ["--write-out", "\n%{http_code}", url] + extra
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  var text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  var headers: [String: String] = [:]
  let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
  for line in headerText.split(separator: "\r\n").dropFirst() {
    guard let colon = line.firstIndex(of: ":") else { continue }
    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
      .trimmingCharacters(in: .whitespaces)
  }
  // With --head, curl prints the headers on standard output too.
  if method == "HEAD" { text = text.replacingOccurrences(of: headerText, with: "") }
  guard let newline = text.lastIndex(of: "\n") else { return (0, text, headers) }
  return (Int(text[text.index(after: newline)...]) ?? 0, String(text[..<newline]), headers)
}
