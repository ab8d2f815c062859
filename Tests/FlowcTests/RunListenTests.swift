import Foundation
import MemberStore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowc run --listen`: the HTTP server beside the runner.
@Suite("flowc run --listen")
struct RunListenTests {
  @Test("serves /healthz and /metrics, delivers mail others queue, holds its port, stops")
  func servesAndStops() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let workspace = Workspace(scratch, name: "listen")
    try await workspace.importSlice(slice)
    let process = try FlowcProcess(
      ["run"] + workspace.runtimeFlags()
        + [
          "--poll", "0.1", "--listen", "127.0.0.1:0", "--http-threads", "2", "--http-timeout", "5",
        ],
      in: scratch.url, scratch: scratch)
    let deadline = Date().addingTimeInterval(60)
    while !process.stderrSoFar.contains("processed ") && process.isRunning && Date() < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    let base = try #require(listeningURL(process.stderrSoFar))

    let health = try fetch(base + "/healthz")
    #expect(health.status == 200)
    #expect(health.body == #"{"status":"ok"}"#)
    let missing = try fetch(base + "/nope")
    #expect(missing.status == 404)
    #expect(missing.body == #"{"error":"no endpoint GET /nope"}"#)
    let wrongMethod = try fetch(base + "/healthz", method: "POST")
    #expect(wrongMethod.status == 405)
    #expect(wrongMethod.headers["allow"] == "GET, HEAD")
    #expect(wrongMethod.body == #"{"error":"/healthz accepts GET or HEAD, not POST"}"#)
    // The intake answers its own paths' 405s, naming what they take.
    let intakeMethod = try fetch(base + "/v1/events", method: "GET")
    #expect(intakeMethod.status == 405)
    #expect(intakeMethod.headers["allow"] == "POST, OPTIONS")
    let head = try fetch(base + "/healthz", method: "HEAD")
    #expect(head.status == 200 && head.body.isEmpty)
    // A body over the limit is refused by the server before any handler, and still counted.
    let big = scratch.url.appendingPathComponent("big.json")
    try Data(count: 2 << 20).write(to: big)
    let oversized = try fetch(
      base + "/v1/events", method: "POST", extra: ["--data-binary", "@" + big.path])
    #expect(oversized.status == 413)

    let metrics = try fetch(base + "/metrics")
    #expect(metrics.status == 200)
    let lines = metrics.body.split(separator: "\n")
    #expect(lines.contains(#"flowc_http_requests_total{code="200"} 2"#))
    #expect(lines.contains(#"flowc_http_requests_total{code="404"} 1"#))
    #expect(lines.contains(#"flowc_http_requests_total{code="405"} 2"#))
    #expect(lines.contains(#"flowc_http_requests_total{code="413"} 1"#))
    #expect(lines.contains("flowc_events_processed_total \(slice.customers + slice.orders)"))
    #expect(lines.contains("# TYPE flowc_http_requests_total counter"))
    // Everything due was fired and delivered to the outbox folder.
    #expect(lines.contains("flowc_due_timers 0"))
    #expect(lines.contains("flowc_outbox_pending 0"))
    #expect(lines.contains("# TYPE flowc_outbox_pending gauge"))
    let sent = try emlFiles(workspace.outbox).count
    #expect(sent > 0)
    #expect(lines.contains("flowc_emails_sent_total \(sent)"))
    #expect(lines.contains("flowc_emails_failed_total 0"))
    #expect(lines.contains("# TYPE flowc_emails_sent_total counter"))
    #expect(lines.contains(#"flowc_queue_lag_seconds{queue="outbox"} 0"#))
    #expect(lines.contains(#"flowc_queue_lag_seconds{queue="timers"} 0"#))
    #expect(lines.contains("# TYPE flowc_queue_lag_seconds gauge"))

    // A message another writer queues (as the intake queues a confirmation)
    // while no events come goes out at the next poll.
    let store = try SQLiteFlowStore(path: workspace.database)
    let queued = try store.enqueue(
      idempotencyKey: "confirm.m1.t1", instanceID: 0, memberID: 1, flow: "intake",
      step: "confirm", recipient: "customer-1@example.com",
      createdAt: Int64(Date().timeIntervalSince1970),
      message: Array("Subject: confirm\r\n\r\nhello\r\n".utf8))
    #expect(queued)
    let hangGuard = Date().addingTimeInterval(60)
    while !(try emlFiles(workspace.outbox).contains("confirm.m1.t1.eml")) && Date() < hangGuard {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(try emlFiles(workspace.outbox).count == sent + 1)
    while try !fetch(base + "/metrics").body.contains("flowc_emails_sent_total \(sent + 1)\n")
      && Date() < hangGuard
    {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(try fetch(base + "/metrics").body.contains("flowc_emails_sent_total \(sent + 1)\n"))
    #expect(try store.pendingOutbox(limit: 10).isEmpty)

    // A second runner on the same port stops before it touches the store.
    let taken = base.dropFirst("http://".count)
    let second = try await flowc(
      ["run"] + workspace.runtimeFlags() + ["--listen", String(taken)], in: scratch.url,
      timeout: 30)
    #expect(second.exitCode == 2)
    #expect(second.stderr == "flowc run: cannot listen on \(taken): Address already in use\n")

    process.send(SIGTERM)
    let result = try await process.wait(timeout: 30)
    #expect(result.exitCode == 0 && !result.signaled)
    #expect(result.stderr.hasSuffix("flowc run: stopped\n"))
    #expect(try fetch(base + "/healthz").status == 0)  // nothing listens any more
  }

  @Test("the intake endpoints answer beside the runner: an event with the API key is stored")
  func intakeEvents() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1], in: scratch)
    let workspace = Workspace(scratch, name: "intake")
    try await workspace.importSlice(slice)
    var shop =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.shop)))
      as! [String: Any]
    shop["intake"] = ["api_keys_env": "FLOWC_TEST_API_KEYS"]
    let shopFile = scratch.path("shop.json")
    try JSONSerialization.data(withJSONObject: shop).write(to: URL(fileURLWithPath: shopFile))
    let process = try FlowcProcess(
      ["run"] + workspace.runtimeFlags(shop: shopFile)
        + ["--poll", "0.1", "--listen", "127.0.0.1:0"],
      in: scratch.url, environment: ["FLOWC_TEST_API_KEYS": "k1"], scratch: scratch)
    let deadline = Date().addingTimeInterval(60)
    while !process.stderrSoFar.contains("processed ") && process.isRunning && Date() < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    let base = try #require(listeningURL(process.stderrSoFar))
    let body = #"{"event": "viewed_product", "visitor_id": "v-1", "id": "e1"}"#
    let refused = try fetch(
      base + "/v1/events", method: "POST",
      extra: ["--header", "Content-Type: application/json", "--data", body])
    #expect(refused.status == 401)
    let accepted = try fetch(
      base + "/v1/events", method: "POST",
      extra: [
        "--header", "Authorization: Bearer k1", "--header", "Content-Type: application/json",
        "--data", body,
      ])
    #expect(accepted.status == 202)
    #expect(accepted.body.contains(#""accepted":true"#))
    let metrics = try fetch(base + "/metrics").body.split(separator: "\n")
    #expect(metrics.contains(#"flowc_intake_accepted_total{endpoint="events"} 1"#))
    #expect(metrics.contains(#"flowc_http_requests_total{code="401"} 1"#))
    process.send(SIGTERM)
    let result = try await process.wait(timeout: 30)
    #expect(result.exitCode == 0)
    let shown = try await flowc(
      ["members", "show", "visitor:v-1", "--db", workspace.database, "--format", "json"])
    #expect(shown.exitCode == 0)
    let member = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
    let identities = member?["identities"] as? [[String: String]]
    #expect(identities?.map { "\($0["kind"] ?? ""):\($0["value"] ?? "")" } == ["visitor:v-1"])
  }

  @Test(
    "the --http-* options take whole numbers in range, and only with --listen",
    arguments: [
      (
        ["--listen", "127.0.0.1:0", "--http-threads", "0"],
        "--http-threads takes a whole number from 1 to 256, not '0'"
      ),
      (
        ["--listen", "127.0.0.1:0", "--http-threads", "four"],
        "--http-threads takes a whole number from 1 to 256, not 'four'"
      ),
      (
        ["--listen", "127.0.0.1:0", "--http-timeout", "3601"],
        "--http-timeout takes a whole number from 1 to 3600, not '3601'"
      ),
      (
        ["--listen", "127.0.0.1:0", "--http-timeout", "1.5"],
        "--http-timeout takes a whole number from 1 to 3600, not '1.5'"
      ),
      (
        ["--listen", "127.0.0.1:0", "--http-max-connections-per-ip", "0"],
        "--http-max-connections-per-ip takes a whole number from 1 to 100000, not '0'"
      ),
      (["--http-threads", "8"], "--http-threads needs --listen"),
      (["--http-max-connections", "8"], "--http-max-connections needs --listen"),
    ])
  func badServerOptions(options: [String], message: String) async throws {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "listen")
    workspace.createEmptyStore()
    let result = try await flowc(
      ["run"] + workspace.runtimeFlags() + options, in: scratch.url, timeout: 30)
    #expect(result.exitCode == 2)
    #expect(result.stderr.hasPrefix("flowc run: \(message)\n"))
  }

  @Test("a bad intake section ends run with exit 2 and the reason, before anything runs")
  func badIntakeSection() async throws {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "listen")
    workspace.createEmptyStore()
    var shop =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.shop)))
      as! [String: Any]
    shop["intake"] = ["subscribe_rate_per_minute": true]
    let shopFile = scratch.path("shop.json")
    try JSONSerialization.data(withJSONObject: shop).write(to: URL(fileURLWithPath: shopFile))
    let result = try await flowc(
      ["run"] + workspace.runtimeFlags(shop: shopFile) + ["--listen", "127.0.0.1:0"],
      in: scratch.url, timeout: 30)
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "flowc run: \(shopFile): \"intake\".\"subscribe_rate_per_minute\" must be a whole number from 1 to 10000\n"
    )
  }

  @Test(
    "a --listen that is not a numeric ADDRESS:PORT is a usage error",
    arguments: ["localhost:8080", "127.0.0.1", "127.0.0.1:70000", "::1:80", "[::1]8080"])
  func badListen(value: String) async throws {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "listen")
    workspace.createEmptyStore()
    let result = try await flowc(
      ["run"] + workspace.runtimeFlags() + ["--listen", value], in: scratch.url, timeout: 30)
    #expect(result.exitCode == 2)
    #expect(
      result.stderr.hasPrefix(
        "flowc run: --listen takes a numeric ADDRESS:PORT such as 127.0.0.1:8080 or [::1]:8080, "
          + "not '\(value)'\n"))
  }
}

/// The `.eml` files in an outbox folder.
private func emlFiles(_ folder: String) throws -> Set<String> {
  Set(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") })
}
