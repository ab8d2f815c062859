import Foundation

/// `Support/smtp_server.py` (aiosmtpd) running on 127.0.0.1 for one test.
final class TestSMTPServer {
  /// A message the server accepted.
  struct Received: Equatable {
    var from: String
    var to: [String]
    var clientPort: Int
    var bytes: [UInt8]
  }

  let directory: URL
  let port: Int
  private let scheme: String
  private let process: Process
  /// The server's stdin; closing it stops the server even if SIGTERM is blocked.
  private let input = Pipe()

  /// `auth` is `user:password` to require AUTH; `tls` is `cert.pem,key.pem` to offer STARTTLS;
  /// `implicitTLS` is `cert.pem,key.pem` to speak TLS from the first byte (an `smtps://` URL).
  init(auth: String? = nil, tls: String? = nil, implicitTLS: String? = nil) throws {
    scheme = implicitTLS == nil ? "smtp" : "smtps"
    directory = try temporaryDirectory()
    process = Process()
    process.executableURL = URL(fileURLWithPath: try testPython.get())
    process.arguments =
      [supportDirectory.appendingPathComponent("smtp_server.py").path, "--dir", directory.path]
      + (auth.map { ["--auth", $0] } ?? []) + (tls.map { ["--tls", $0] } ?? [])
      + (implicitTLS.map { ["--implicit-tls", $0] } ?? [])
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = input
    try process.run()
    // The first line is the port it listens on.
    var line: [UInt8] = []
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    guard
      let port = Int(
        String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      process.terminate()
      throw ToolFailure("the test SMTP server did not start")
    }
    self.port = port
  }

  deinit {
    try? input.fileHandleForWriting.close()
    process.terminate()
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }

  var url: String { "\(scheme)://127.0.0.1:\(port)" }

  /// Makes the server answer RCPT TO for these recipients with these replies.
  func refuse(_ replies: [String: String]) throws {
    let data = try JSONSerialization.data(withJSONObject: replies)
    try data.write(to: directory.appendingPathComponent("rules.json"), options: .atomic)
  }

  /// Everything accepted so far, in arrival order.
  func received() throws -> [Received] {
    var messages: [Received] = []
    for number in 1... {
      let base = directory.appendingPathComponent("\(number)")
      guard let json = FileManager.default.contents(atPath: base.path + ".json"),
        let bytes = FileManager.default.contents(atPath: base.path + ".eml"),
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
      else { return messages }
      messages.append(
        Received(
          from: object["from"] as? String ?? "?", to: object["to"] as? [String] ?? [],
          clientPort: object["client_port"] as? Int ?? 0, bytes: [UInt8](bytes)))
    }
    return messages
  }
}
