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
    guard IntakeSettings.isNumericAddress(String(address)), let number = Int(port),
      (0...65535).contains(number)
    else { throw bad }
    return Endpoint(address: String(address), port: number)
  }

  /// The server's limits: `--http-threads`, `--http-timeout`,
  /// `--http-max-connections` and `--http-max-connections-per-ip` (which only
  /// mean something with `--listen`), and the intake's body limit.
  struct Limits {
    var threads = 4
    var timeoutSeconds = 30
    var maxConnections = 1000
    var maxConnectionsPerIP = 100
    var maxBodyBytes = 1 << 20
  }

  static func limits(
    _ arguments: Arguments, listening: Bool, maxBodyBytes: Int?
  ) throws -> Limits {
    func whole(_ option: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
      guard let raw = arguments.value(option) else { return value }
      guard listening else { throw UsageError(message: "--\(option) needs --listen") }
      guard let number = Int(raw), range.contains(number) else {
        throw UsageError(
          message: "--\(option) takes a whole number from \(range.lowerBound) to "
            + "\(range.upperBound), not '\(raw)'")
      }
      return number
    }
    var limits = Limits()
    if let maxBodyBytes { limits.maxBodyBytes = maxBodyBytes }
    limits.threads = try whole("http-threads", 1...256, default: limits.threads)
    limits.timeoutSeconds = try whole("http-timeout", 1...3600, default: limits.timeoutSeconds)
    limits.maxConnections = try whole(
      "http-max-connections", 1...100_000, default: limits.maxConnections)
    limits.maxConnectionsPerIP = try whole(
      "http-max-connections-per-ip", 1...100_000, default: limits.maxConnectionsPerIP)
    return limits
  }

  /// Starts serving `/healthz`, `/metrics` and, once `intake` is installed,
  /// the `/v1` intake endpoints; the caller stops the server.
  static func start(
    _ endpoint: Endpoint, limits: Limits, metrics: RunMetrics,
    intake: LateHandler, terminal: Terminal
  ) throws -> HTTPServer {
    let router = HTTPRouter(
      routes: [
        .init("GET", "/healthz", HealthHandler()),
        .init("GET", "/metrics", MetricsHandler(metrics)),
        // The intake answers every method on its paths, so its 405s carry its own `Allow`.
        .anyMethod("/v1", intake),
        .anyMethod("/o", intake),
        .anyMethod("/c", intake),
        .anyMethod("/u", intake),
      ], metrics: metrics)
    let server = try HTTPServer(
      address: endpoint.address, port: endpoint.port, threads: limits.threads,
      maxBodyBytes: limits.maxBodyBytes, timeoutSeconds: limits.timeoutSeconds,
      maxConnections: limits.maxConnections, maxConnectionsPerIP: limits.maxConnectionsPerIP,
      handler: router)
    metrics.countRefusals { [weak server] in server?.refusedBeforeHandler ?? [:] }
    let host = endpoint.address.contains(":") ? "[\(endpoint.address)]" : endpoint.address
    terminal.err("flowc run: listening on \(host):\(server.port)\n")
    return server
  }

  /// The shop file's `intake` section (keys and secrets), read before the
  /// server starts so a bad section changes nothing and its body limit is the server's.
  static func intakeSettings(shop: ShopSettings, shopFile: String?) throws -> IntakeSettings {
    var settings = IntakeSettings(currency: shop.currency, country: shop.country)
    // A bad section is a settings error (exit 2), not a usage one: no usage line.
    if let shopFile { try settings.readSection(fromShopFile: shopFile) }
    return settings
  }

  /// The intake router over its own connection to the store, with the
  /// program's identity rules, and the pages and confirmation email from the
  /// shop's templates.
  static func intake(
    settings: IntakeSettings, service: FlowService, shop: ShopSettings, database: String,
    templates: String, terminal: Terminal
  ) throws -> IntakeRouter {
    var settings = settings
    settings.identity = service.program.identity
    settings.fields = service.program.fields
    let store = try SQLiteFlowStore(path: database)
    let pages = try TemplatePages.load(folder: "\(templates)/pages", shop: shop) { failure in
      terminal.err("flowc run: \(failure); showing the built-in page\n")
    }
    let services = IntakeServices(
      signer: LinkSigner(key: try FlowService.signingKey(store)), pages: pages,
      mailer: TemplateConfirmationMailer(library: service.templates, shop: shop),
      publicURL: shop.trackingURL ?? shop.url, shopName: shop.name,
      log: { terminal.err("flowc run: \($0)\n") })
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
