import FlowHost
import Foundation
import HTTPServer

/// `flowc run --listen ADDRESS:PORT`: the HTTP server beside the runner.
enum RunListener {
  struct Endpoint: Equatable {
    var address: String
    var port: Int
  }

  /// `127.0.0.1:8080`, `[::1]:8080`; the address must be numeric, port 0 picks one.
  static func endpoint(_ raw: String) throws -> Endpoint {
    let bad = UsageError(
      message: "--listen takes a numeric ADDRESS:PORT such as 127.0.0.1:8080 or [::1]:8080, "
        + "not '\(raw)'")
    let address: Substring
    let port: Substring
    if raw.hasPrefix("["), let close = raw.range(of: "]:") {
      address = raw[raw.index(after: raw.startIndex)..<close.lowerBound]
      port = raw[close.upperBound...]
    } else if let colon = raw.lastIndex(of: ":"), !raw[..<colon].contains(":") {
      address = raw[..<colon]
      port = raw[raw.index(after: colon)...]
    } else {
      throw bad
    }
    guard isNumericAddress(String(address)), let number = Int(port), (0...65535).contains(number)
    else { throw bad }
    return Endpoint(address: String(address), port: number)
  }

  private static func isNumericAddress(_ text: String) -> Bool {
    var buffer = in6_addr()
    return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
  }

  /// Starts serving `/healthz` and `/metrics`; the caller stops the server.
  static func start(_ endpoint: Endpoint, metrics: RunMetrics, terminal: Terminal) throws
    -> HTTPServer
  {
    let router = HTTPRouter(
      routes: [
        .init("GET", "/healthz", HealthHandler()),
        .init("GET", "/metrics", MetricsHandler(metrics)),
      ], metrics: metrics)
    let server = try HTTPServer(address: endpoint.address, port: endpoint.port, handler: router)
    let host = endpoint.address.contains(":") ? "[\(endpoint.address)]" : endpoint.address
    terminal.err("flowc run: listening on \(host):\(server.port)\n")
    return server
  }
}
