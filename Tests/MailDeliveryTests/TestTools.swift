import Foundation
import Mail
import Testing

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let supportDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().appendingPathComponent("Support")

/// Runs a program to completion; returns its standard output, failing on a non-zero exit.
@discardableResult
func runTool(_ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  let text = output.fileHandleForReading.readDataToEndOfFile()
  let errorText = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw ToolFailure(
      "\(arguments.joined(separator: " ")): \(String(decoding: errorText, as: UTF8.self))")
  }
  return String(decoding: text, as: UTF8.self)
}

struct ToolFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The test venv's python (aiosmtpd, dkimpy), created by `scripts/test-venv` on first use.
let testPython: Result<String, any Error> = Result {
  try runTool([packageRoot.appendingPathComponent("scripts/test-venv").path])
    .trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("flowc-delivery-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// An RSA key for DKIM in `directory` and its DNS TXT record (`v=DKIM1; k=rsa; p=...`).
func makeDKIMKey(in directory: URL, bits: Int = 2048) throws -> (path: String, record: String) {
  let path = directory.appendingPathComponent("dkim.pem").path
  try runTool([
    "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)",
    "-out", path,
  ])
  let der = directory.appendingPathComponent("dkim.pub.der").path
  try runTool(["openssl", "pkey", "-in", path, "-pubout", "-outform", "DER", "-out", der])
  let publicKey = try Data(contentsOf: URL(fileURLWithPath: der)).base64EncodedString()
  return (path, "v=DKIM1; k=rsa; p=\(publicKey)")
}

/// Rendered test messages: ASCII, Chinese with emoji, very long lines.
enum Samples {
  static func message(to: String, subject: String, html: String, id: String) -> MailMessage {
    MailMessage(
      from: MailAddress(email: "hello@shop.example.com", displayName: "Example Shop"),
      to: MailAddress(email: to, displayName: "Ada Lovelace"), subject: subject, html: html,
      date: 1_780_000_000, messageID: "\(id)@shop.example.com",
      listUnsubscribeURL: "https://shop.example.com/u/\(id)",
      listUnsubscribeMailto: "unsubscribe@shop.example.com?subject=\(id)",
      extraHeaders: [MailHeader("X-Flow", "welcome")])
  }

  static let all: [[UInt8]] = [
    MIMEWriter.render(
      message(
        to: "ada@example.org", subject: "Welcome to the shop", html: "<p>Hello Ada</p>",
        id: "ascii"), boundary: "=_b1"),
    MIMEWriter.render(
      message(
        to: "li@example.cn", subject: "欢迎光临 🎉 新品上架，限时优惠！",
        html: "<p>您好，李先生 👋</p><p>"
          + String(repeating: "这是一段很长的中文内容。", count: 40) + "</p>",
        id: "chinese"), boundary: "=_b2"),
    MIMEWriter.render(
      message(
        to: "long@example.net", subject: String(repeating: "A rather long subject ", count: 12),
        html: "<p>" + String(repeating: "word ", count: 900) + "</p>\n<pre>"
          + String(repeating: "x", count: 3000) + "   trailing   \t\n\n\n</pre>",
        id: "long"), boundary: "=_b3"),
  ]
}
