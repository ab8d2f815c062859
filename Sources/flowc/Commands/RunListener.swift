import FlowHost
import FlowRuntime
import Foundation
import HTTPServer
import HTTPTypes
import Intake
import LinkTokens
import MemberStore

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

  /// Starts serving `/healthz`, `/metrics` and, once `intake` is installed,
  /// the `/v1` intake endpoints; the caller stops the server.
  static func start(
    _ endpoint: Endpoint, metrics: RunMetrics, intake: LateHandler, terminal: Terminal
  ) throws -> HTTPServer {
    let router = HTTPRouter(
      routes: [
        .init("GET", "/healthz", HealthHandler()),
        .init("GET", "/metrics", MetricsHandler(metrics)),
        .init("POST", "/v1", intake),
        .init("OPTIONS", "/v1", intake),
        .init("GET", "/v1/confirm", intake),
        .init("GET", "/o", intake),
        .init("GET", "/c", intake),
        .init("GET", "/u", intake),
        .init("POST", "/u", intake),
      ], metrics: metrics)
    let server = try HTTPServer(address: endpoint.address, port: endpoint.port, handler: router)
    let host = endpoint.address.contains(":") ? "[\(endpoint.address)]" : endpoint.address
    terminal.err("flowc run: listening on \(host):\(server.port)\n")
    return server
  }

  /// The intake router over its own connection to the store, with the shop
  /// file's `intake` section (keys and secrets) and the program's identity rules.
  static func intake(
    service: FlowService, shop: ShopSettings, shopFile: String?, database: String
  ) throws -> IntakeRouter {
    var settings = IntakeSettings(
      currency: shop.currency, country: shop.country, identity: service.program.identity,
      fields: service.program.fields)
    if let shopFile {
      do {
        try settings.readSection(fromShopFile: shopFile)
      } catch {
        throw UsageError(message: "\(error)")
      }
    }
    let store = try SQLiteFlowStore(path: database)
    let services = IntakeServices(
      signer: LinkSigner(key: try FlowService.signingKey(store)), pages: PlainPages(),
      mailer: nil, publicURL: shop.trackingURL ?? shop.url, shopName: shop.name)
    return IntakeRouter(store: store, settings: settings, services: services)
  }
}

/// A handler that exists only once the store is open (the server starts
/// first, so a taken port changes nothing); until then it answers 503.
final class LateHandler: HTTPHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var handler: (any HTTPHandler)?

  func install(_ handler: any HTTPHandler) {
    lock.withLock { self.handler = handler }
  }

  func handle(_ request: HTTPRequest) -> HTTPResponse {
    guard let handler = lock.withLock({ self.handler }) else {
      var starting = HTTPResponse.json(status: 503, #"{"error":"starting"}"#)
      starting.headers["Retry-After"] = "1"
      return starting
    }
    return handler.handle(request)
  }
}
