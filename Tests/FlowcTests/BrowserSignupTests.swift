import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The signup as a shopper meets it: headless Chromium (Debian's `chromium`,
/// installed by `scripts/install-deps --test`) submits the `flowc form`
/// snippet to `flowc run --listen`, then opens the confirmation link from
/// the email flowc sent. The unsubscribe page's screenshot is kept in
/// `.build/test-artifacts/` (or `FLOWC_TEST_ARTIFACTS`).
@Suite("Signup in a real browser")
struct BrowserSignupTests {
  @Test("Chromium submits the form: the member is unconfirmed until the emailed link is opened")
  func signupInChromium() async throws {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "browser")
    workspace.createEmptyStore()
    let port = try freeLoopbackPort()
    let base = "http://127.0.0.1:\(port)"
    var shop =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.shop)))
      as! [String: Any]
    shop["tracking_url"] = base
    let shopFile = scratch.path("shop.json")
    try JSONSerialization.data(withJSONObject: shop).write(to: URL(fileURLWithPath: shopFile))
    let runner = try FlowcProcess(
      ["run"] + workspace.runtimeFlags(shop: shopFile)
        + ["--poll", "0.1", "--listen", "127.0.0.1:\(port)"],
      in: scratch.url, scratch: scratch)
    try await waitFor("the runner to start") { runner.stderrSoFar.contains("flowc run: running") }

    let form = try await flowc(["form", "--shop", shopFile, "--fields", "first_name"])
    #expect(form.exitCode == 0)
    let page = scratch.path("shop-page.html")
    try Data(
      """
      <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
      \(form.stdout)
      <script>
      document.querySelector('input[name=email]').value = 'ana@example.com';
      document.querySelector('input[name=first_name]').value = 'Ana';
      document.querySelector('form').requestSubmit();
      </script>
      </body></html>
      """.utf8
    ).write(to: URL(fileURLWithPath: page))

    let landed = try chromium(["--dump-dom", "file://\(page)"], scratch: scratch)
    #expect(landed.contains("<h1>Check your inbox</h1>"))
    #expect(try await emailConsent("ana@example.com", workspace) == "pending")

    let confirmation = try await waitForEmail(in: workspace.outbox) { $0.contains("/v1/confirm/") }
    let confirmURL = try #require(link(in: confirmation, prefix: base + "/v1/confirm/"))
    let confirmedPage = try chromium(["--dump-dom", confirmURL], scratch: scratch)
    #expect(confirmedPage.contains("<h1>You are subscribed</h1>"))
    #expect(try await emailConsent("ana@example.com", workspace) == "confirmed")

    // Confirming fired member_joined, so the welcome flow mailed her.
    let welcome = try await waitForEmail(in: workspace.outbox) { $0.contains("X-Flow: welcome") }
    let unsubscribeURL = try #require(link(in: welcome, prefix: base + "/u/"))
    let screenshot = artifactsFolder().appendingPathComponent("unsubscribe-page.png")
    try? FileManager.default.removeItem(at: screenshot)
    _ = try chromium(
      ["--screenshot=\(screenshot.path)", "--window-size=800,600", unsubscribeURL],
      scratch: scratch)
    let png = try Data(contentsOf: screenshot)
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    let unsubscribePage = try chromium(["--dump-dom", unsubscribeURL], scratch: scratch)
    #expect(unsubscribePage.contains("<h1>Unsubscribe</h1>"))
    // Showing the page changes nothing: only its button (a POST) unsubscribes.
    #expect(try await emailConsent("ana@example.com", workspace) == "confirmed")

    runner.send(SIGTERM)
    let result = try await runner.wait(timeout: 30)
    #expect(result.exitCode == 0)
  }
}

/// Runs headless Chromium with a profile in `scratch`; returns its stdout.
private func chromium(_ arguments: [String], scratch: TempDirectory) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
  process.arguments =
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--user-data-dir=\(scratch.path("chromium-profile"))", "--virtual-time-budget=10000",
    ] + arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw HarnessError("chromium \(arguments) exited \(process.terminationStatus)")
  }
  return text
}

/// The member's email consent now, as `flowc members show` reports it.
private func emailConsent(_ email: String, _ workspace: Workspace) async throws -> String? {
  let shown = try await flowc(
    ["members", "show", email, "--db", workspace.database, "--format", "json"])
  let member = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
  let consent = member?["consent"] as? [String: Any]
  return (consent?["current"] as? [String: String])?["email"]
}

/// Polls the outbox folder until a message matching `matches` is there.
private func waitForEmail(in folder: String, matching matches: (String) -> Bool) async throws
  -> String
{
  var found: String?
  try await waitFor("an email in \(folder)") {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    found = names.sorted().lazy.compactMap {
      try? String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8)
    }.first(where: matches)
    return found != nil
  }
  return found ?? ""
}

/// The first link starting with `prefix` in a message, quoted-printable soft
/// line breaks and `=3D` undone.
private func link(in message: String, prefix: String) -> String? {
  let unfolded = message.replacingOccurrences(of: "=\r\n", with: "")
    .replacingOccurrences(of: "=\n", with: "").replacingOccurrences(of: "=3D", with: "=")
  guard let start = unfolded.range(of: prefix) else { return nil }
  let tail = unfolded[start.lowerBound...]
  let end =
    tail.firstIndex(where: { !($0.isLetter || $0.isNumber || "-._~:/%".contains($0)) })
    ?? tail.endIndex
  return String(tail[..<end])
}

/// Waits up to a minute for `condition` (a guard against hanging, not a timing check).
private func waitFor(_ what: String, _ condition: () throws -> Bool) async throws {
  let deadline = Date().addingTimeInterval(60)
  while try !condition() {
    guard Date() < deadline else { throw HarnessError("gave up waiting for \(what)") }
    try await Task.sleep(for: .milliseconds(50))
  }
}

/// A port nothing listens on now (the runner binds it right after).
private func freeLoopbackPort() throws -> Int {
  let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(socketFD) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
    }
  }
  guard bound else { throw HarnessError("cannot find a free port") }
  return Int(UInt16(bigEndian: address.sin_port))
}

/// Where test artefacts are kept after the run.
private func artifactsFolder() -> URL {
  let folder =
    ProcessInfo.processInfo.environment["FLOWC_TEST_ARTIFACTS"].map(URL.init(fileURLWithPath:))
    ?? packageRoot.appendingPathComponent(".build/test-artifacts")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}
