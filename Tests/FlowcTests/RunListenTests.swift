import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowc run --listen`: the HTTP server beside the runner.
@Suite("flowc run --listen")
struct RunListenTests {
  @Test("serves /healthz and /metrics, answers 404 and 405, holds its port, stops on SIGTERM")
  func servesAndStops() async throws {
    let scratch = try TempDirectory()
    let slice = try CDNOWSlice(customerIDs: [1, 2, 3], in: scratch)
    let workspace = Workspace(scratch, name: "listen")
    try await workspace.importSlice(slice)
    let process = try FlowcProcess(
      ["run"] + workspace.runtimeFlags() + ["--poll", "0.1", "--listen", "127.0.0.1:0"],
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
    #expect(missing.body == #"{"error":"not found"}"#)
    let wrongMethod = try fetch(base + "/healthz", method: "POST")
    #expect(wrongMethod.status == 405)

    let metrics = try fetch(base + "/metrics")
    #expect(metrics.status == 200)
    let lines = metrics.body.split(separator: "\n")
    #expect(lines.contains(#"flowc_http_requests_total{code="200"} 1"#))
    #expect(lines.contains(#"flowc_http_requests_total{code="404"} 1"#))
    #expect(lines.contains(#"flowc_http_requests_total{code="405"} 1"#))
    #expect(lines.contains("flowc_events_processed_total \(slice.customers + slice.orders)"))
    #expect(lines.contains("# TYPE flowc_http_requests_total counter"))
    // Everything due was fired and delivered to the outbox folder.
    #expect(lines.contains("flowc_due_timers 0"))
    #expect(lines.contains("flowc_outbox_pending 0"))
    #expect(lines.contains("# TYPE flowc_outbox_pending gauge"))

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
