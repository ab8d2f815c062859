import Foundation
import HTTPServer
import HTTPTypes
import Testing

@Suite struct HTTPServerTests {
  @Test func getWithQueryReachesTheHandlerDecoded() throws {
    let handler = RecordingHandler()
    let server = try HTTPServer(address: "127.0.0.1", port: 0, handler: handler)
    defer { server.stop() }
    #expect(server.port > 0)

    let result = try curl(
      "http://127.0.0.1:\(server.port)/v1/confirm/a%2Fb?name=Ann+Lee&city=S%C3%A3o%20Paulo&flag")
    #expect(result.status == 200)
    let request = try #require(handler.requests.first)
    #expect(request.method == "GET")
    #expect(request.path == "/v1/confirm/a%2Fb")
    #expect(request.query.map(\.name) == ["name", "city", "flag"])
    #expect(request.query.map(\.value) == ["Ann Lee", "São Paulo", ""])
    #expect(request.remoteAddress == "127.0.0.1")
    #expect(request.body.isEmpty)
  }

  @Test func postBodyIsEchoedAndHeadersArriveLowerCased() throws {
    let handler = RecordingHandler { request in
      HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: request.body)
    }
    let server = try HTTPServer(address: "127.0.0.1", port: 0, handler: handler)
    defer { server.stop() }

    let body = "{\"event\":\"order\",\"total\":12.5}"
    let result = try curl(
      "http://127.0.0.1:\(server.port)/v1/events",
      ["--data-binary", body, "-H", "Content-Type: application/json", "-H", "X-Flow-Key: Abc"])
    #expect(result.status == 200)
    #expect(result.body == body)
    let request = try #require(handler.requests.first)
    #expect(request.method == "POST")
    #expect(request.headers["content-type"] == "application/json")
    #expect(request.headers["x-flow-key"] == "Abc")
    #expect(request.headers["X-Flow-Key"] == nil)
    #expect(request.body == text(body))
  }

  @Test func statusAndResponseHeadersPassThrough() throws {
    let handler = RecordingHandler { _ in
      HTTPResponse(
        status: 202, headers: ["Content-Type": "application/json", "X-Request-Id": "r-17"],
        body: text("{\"accepted\":true}"))
    }
    let server = try HTTPServer(address: "127.0.0.1", port: 0, handler: handler)
    defer { server.stop() }

    let result = try curl("http://127.0.0.1:\(server.port)/anything")
    #expect(result.status == 202)
    #expect(result.headers["x-request-id"] == "r-17")
    #expect(result.headers["content-type"] == "application/json")
    #expect(result.body == "{\"accepted\":true}")
  }

  @Test func anOversizedBodyGets413AndNeverReachesTheHandler() throws {
    let handler = RecordingHandler()
    let server = try HTTPServer(
      address: "127.0.0.1", port: 0, maxBodyBytes: 1024, handler: handler)
    defer { server.stop() }
    let url = "http://127.0.0.1:\(server.port)/v1/events"
    let big = String(repeating: "x", count: 1025)

    let declared = try curl(url, ["--data-binary", big])
    #expect(declared.status == 413)
    #expect(declared.headers["content-type"] == "application/json")
    #expect(declared.body == "{\"error\":\"the request body is larger than 1024 bytes\"}")

    let chunked = try curl(url, ["--data-binary", big, "-H", "Transfer-Encoding: chunked"])
    #expect(chunked.status == 413)
    #expect(chunked.body == "{\"error\":\"the request body is larger than 1024 bytes\"}")
    #expect(handler.requests.isEmpty)

    let fits = try curl(url, ["--data-binary", String(repeating: "y", count: 1024)])
    #expect(fits.status == 200)
    #expect(handler.requests.map(\.body.count) == [1024])
    #expect(server.refusedBeforeHandler == [400: 0, 413: 2])
  }

  @Test func manyConcurrentRequestsAreAllAnswered() throws {
    let handler = RecordingHandler { request in
      HTTPResponse(status: 200, body: text(request.path))
    }
    let server = try HTTPServer(address: "127.0.0.1", port: 0, threads: 4, handler: handler)
    defer { server.stop() }

    let urls = (0..<60).map { "http://127.0.0.1:\(server.port)/n/\($0)" }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments =
      ["--silent", "--parallel", "--parallel-max", "30", "--write-out", "%{http_code}\\n"]
      + urls.flatMap { ["--output", "/dev/null", $0] }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice  // --parallel draws a progress meter there
    try process.run()
    let codes = String(
      decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self
    ).split(separator: "\n")
    process.waitUntilExit()

    #expect(codes.count == 60)
    #expect(codes.allSatisfy { $0 == "200" })
    #expect(Set(handler.requests.map(\.path)) == Set((0..<60).map { "/n/\($0)" }))
  }

  @Test func stopFinishesTheRequestInFlightAndRefusesNewOnes() throws {
    let started = DispatchSemaphore(value: 0)
    let handler = RecordingHandler { _ in
      started.signal()
      Thread.sleep(forTimeInterval: 0.3)
      return HTTPResponse(status: 200, body: text("slow but done"))
    }
    let server = try HTTPServer(address: "127.0.0.1", port: 0, handler: handler)
    let url = "http://127.0.0.1:\(server.port)/slow"

    let slow = try RunningCurl(url)
    // Bounded only so a broken server fails the test instead of hanging it.
    #expect(started.wait(timeout: .now() + 20) == .success)
    server.stop()
    let result = slow.finish()
    #expect(result.status == 200)
    #expect(result.body == "slow but done")

    let refused = try curl(url)
    #expect(refused.exitCode == 7)  // curl: failed to connect
    #expect(handler.requests.count == 1)
  }

  @Test func ipv6LoopbackWorksAndReportsTheClient() throws {
    let handler = RecordingHandler()
    let server = try HTTPServer(address: "::1", port: 0, handler: handler)
    defer { server.stop() }
    #expect(try curl("http://[::1]:\(server.port)/six", ["--globoff"]).status == 200)
    #expect(handler.requests.map(\.remoteAddress) == ["::1"])
  }

  @Test func aNameIsNotANumericAddress() {
    #expect(throws: HTTPServerError.badAddress("localhost")) {
      try HTTPServer(address: "localhost", port: 0, handler: RecordingHandler())
    }
  }

  @Test func aTakenPortIsReported() throws {
    let first = try HTTPServer(address: "127.0.0.1", port: 0, handler: RecordingHandler())
    defer { first.stop() }
    #expect(throws: HTTPServerError.self) {
      try HTTPServer(address: "127.0.0.1", port: first.port, handler: RecordingHandler())
    }
  }

  @Test func connectionsOverTheLimitForOneAddressAreClosedUnanswered() throws {
    let handler = RecordingHandler()
    let server = try HTTPServer(
      address: "127.0.0.1", port: 0, threads: 2, timeoutSeconds: 5, maxConnectionsPerIP: 2,
      handler: handler)
    defer { server.stop() }
    let url = "http://127.0.0.1:\(server.port)/limited"
    // Two idle connections take this address's whole allowance.
    let idle = try (0..<2).map { _ in try RawConnection(port: server.port) }
    let refused = try curl(url, ["--max-time", "5"])
    #expect(refused.exitCode == 52 || refused.exitCode == 56)  // empty reply / connection reset
    #expect(refused.status == 0)
    idle.forEach { $0.close() }
    // The server notices the closed sockets on its next look; a bounded retry.
    var answered = 0
    for _ in 0..<50 where answered != 200 {
      answered = try curl(url, ["--max-time", "5"]).status
      if answered != 200 { Thread.sleep(forTimeInterval: 0.1) }
    }
    #expect(answered == 200)
    #expect(handler.requests.map(\.path) == ["/limited"])
  }

  @Test(arguments: [
    "Content-Length: 2\r\nContent-Length: 40\r\n",
    "Content-Length: 40\r\nTransfer-Encoding: chunked\r\n",
  ])
  func anAmbiguousBodyLengthIs400AndNothingAfterItIsRead(framing: String) throws {
    try expectRefusedWithoutSmuggling(
      framing: framing,
      error:
        #"{"error":"the body's length is ambiguous: more than one Content-Length, or Content-Length with Transfer-Encoding"}"#
    )
  }

  /// Header lines a lenient parser and a proxy could read differently:
  /// whitespace before the colon (RFC 9112 5.1) and folded lines (obs-fold).
  @Test(arguments: [
    "Content-Length: 2\r\nContent-Length : 40\r\n",
    "Content-Length: 2\r\nTransfer-Encoding\t: chunked\r\n",
    "Content-Length: 2\r\nTransfer-Encoding:\r\n chunked\r\n",
    "Content-Length:\r\n 2\r\n",
  ])
  func aMalformedHeaderLineIs400AndNothingAfterItIsRead(framing: String) throws {
    try expectRefusedWithoutSmuggling(
      framing: framing,
      error:
        #"{"error":"a header line is malformed: whitespace before its colon, or a line folded onto the next"}"#
    )
  }

  private func expectRefusedWithoutSmuggling(framing: String, error: String) throws {
    let handler = RecordingHandler()
    let server = try HTTPServer(address: "127.0.0.1", port: 0, handler: handler)
    defer { server.stop() }
    let connection = try RawConnection(port: server.port)
    defer { connection.close() }
    // Read with the first header, the body would end after `{}` and a second
    // request would follow; a proxy reading the other one sees one request.
    connection.send(
      "POST /v1/events HTTP/1.1\r\nHost: x\r\n\(framing)\r\n"
        + "{}GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
    let answer = connection.readUntilClosed()
    #expect(answer.hasPrefix("HTTP/1.1 400 "), "\(answer)")
    #expect(!answer.contains("smuggled") && handler.requests.isEmpty, "\(handler.requests)")
    #expect(answer.components(separatedBy: "HTTP/1.1 ").count == 2)
    #expect(answer.hasSuffix(error))
    #expect(server.refusedBeforeHandler == [400: 1, 413: 0])
  }

  @Test func aZeroConnectionLimitIsRefused() {
    #expect(throws: HTTPServerError.badLimit) {
      try HTTPServer(
        address: "127.0.0.1", port: 0, maxConnectionsPerIP: 0, handler: RecordingHandler())
    }
  }
}

/// A TCP connection to the loopback server, written and read byte for byte.
private final class RawConnection {
  private let descriptor: Int32

  init(port: Int) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { throw POSIXError(.ECONNREFUSED) }
  }

  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
  }

  /// Everything the server sends until it closes the connection (or 10 s pass).
  func readUntilClosed() -> String {
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(
      descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      received += buffer[..<count]
    }
    return String(decoding: received, as: UTF8.self)
  }

  func close() { _ = Glibc.close(descriptor) }
}
