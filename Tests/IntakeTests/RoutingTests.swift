import HTTPTypes
import Testing

@Suite("Intake routing")
struct RoutingTests {
  @Test("an unknown path is a 404 with a JSON error")
  func unknownPath() throws {
    let response = try Harness().post("/v1/event", "{}")
    #expect(response.status == 404)
    #expect(response.error == "no endpoint POST /v1/event")
    #expect(response.headers["Content-Type"] == "application/json")
  }

  @Test(
    "a method other than POST is a 405 naming the allowed ones",
    arguments: [
      ("/v1/events", "POST, OPTIONS"), ("/v1/identify", "POST, OPTIONS"),
      ("/v1/webhooks/shopify", "POST"), ("/v1/webhooks/woocommerce", "POST"),
    ])
  func wrongMethod(path: String, allow: String) throws {
    let harness = try Harness()
    let response = harness.send(HTTPRequest(method: "GET", path: path))
    #expect(response.status == 405)
    #expect(response.headers["Allow"] == allow)
    #expect(response.error == "\(path) accepts POST, not GET")
  }

  @Test("a body over the limit is a 413 that stores nothing, before auth or parsing")
  func oversizedBody() throws {
    let harness = try Harness(maxBodyBytes: 64)
    let before = harness.rowCounts()
    let body =
      #"{"event": "viewed", "email": "ann@example.com", "properties": {"x": "long enough"}}"#
    let response = harness.post("/v1/events", body)
    #expect(response.status == 413)
    #expect(response.error == "the request body is larger than 64 bytes")
    #expect(harness.rowCounts() == before)
  }

  @Test("an allowed origin gets a preflight answer and CORS headers; others get none")
  func cors() throws {
    let harness = try Harness(allowedOrigins: ["https://shop.example.com"])
    let preflight = harness.send(
      HTTPRequest(
        method: "OPTIONS", path: "/v1/events", headers: ["origin": "https://shop.example.com"]))
    #expect(preflight.status == 204)
    #expect(preflight.headers["Access-Control-Allow-Origin"] == "https://shop.example.com")
    #expect(preflight.headers["Access-Control-Allow-Headers"]?.contains("Authorization") == true)

    let refused = harness.send(
      HTTPRequest(
        method: "OPTIONS", path: "/v1/events", headers: ["origin": "https://evil.example"]))
    #expect(refused.status == 403)
    #expect(refused.error == "origin not allowed")

    let allowed = harness.send(
      HTTPRequest(
        method: "POST", path: "/v1/events",
        headers: ["origin": "https://shop.example.com", "x-api-key": apiKey],
        body: Array(#"{"event": "viewed", "visitor_id": "v1"}"#.utf8)))
    #expect(allowed.status == 202)
    #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example.com")

    let other = harness.send(
      HTTPRequest(
        method: "POST", path: "/v1/events",
        headers: ["origin": "https://evil.example", "x-api-key": apiKey],
        body: Array(#"{"event": "viewed", "visitor_id": "v1"}"#.utf8)))
    #expect(other.headers["Access-Control-Allow-Origin"] == nil)
  }
}
