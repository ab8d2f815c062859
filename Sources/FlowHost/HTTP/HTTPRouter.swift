import HTTPTypes

/// Sends each request to the first route whose method and path prefix match
/// (`/v1/events` matches `/v1/events` and `/v1/events/...`), and counts the answers.
/// A GET route answers HEAD too (the server sends no body for it).
public struct HTTPRouter: HTTPHandler {
  public struct Route: Sendable {
    /// Nil for a handler that takes every method and answers 405 itself,
    /// with its own `Allow` and message.
    public var method: String?
    public var pathPrefix: String
    public var handler: any HTTPHandler

    public init(_ method: String, _ pathPrefix: String, _ handler: any HTTPHandler) {
      self.method = method
      self.pathPrefix = pathPrefix
      self.handler = handler
    }

    private init(anyMethod pathPrefix: String, _ handler: any HTTPHandler) {
      self.method = nil
      self.pathPrefix = pathPrefix
      self.handler = handler
    }

    /// Every request under `pathPrefix`, whatever its method.
    public static func anyMethod(_ pathPrefix: String, _ handler: any HTTPHandler) -> Route {
      Route(anyMethod: pathPrefix, handler)
    }

    func takes(_ method: String) -> Bool {
      guard let own = self.method else { return true }
      return own == method || (own == "GET" && method == "HEAD")
    }

    func matches(path: String) -> Bool {
      path == pathPrefix
        || path.hasPrefix(pathPrefix.hasSuffix("/") ? pathPrefix : pathPrefix + "/")
    }
  }

  private let routes: [Route]
  private let metrics: RunMetrics

  public init(routes: [Route], metrics: RunMetrics) {
    self.routes = routes
    self.metrics = metrics
  }

  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    let response = answer(request)
    metrics.countRequest(method: request.method, path: request.path, status: response.status)
    return response
  }

  private func answer(_ request: HTTPRequest) -> HTTPResponse {
    let onPath = routes.filter { $0.matches(path: request.path) }
    if let route = onPath.first(where: { $0.takes(request.method) }) {
      return route.handler.handle(request)
    }
    guard !onPath.isEmpty else {
      return .error(status: 404, "no endpoint \(request.method) \(request.path)")
    }
    var allowed = onPath.compactMap(\.method)
    if allowed.contains("GET") { allowed.append("HEAD") }
    return .methodNotAllowed(request.path, method: request.method, accepts: allowed)
  }
}

/// `GET /healthz`: the process is up and serving.
public struct HealthHandler: HTTPHandler {
  public init() {}
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    .json(status: 200, #"{"status":"ok"}"#)
  }
}

/// `GET /metrics`: the counters in Prometheus text format 0.0.4.
public struct MetricsHandler: HTTPHandler {
  private let metrics: RunMetrics
  public init(_ metrics: RunMetrics) { self.metrics = metrics }
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    HTTPResponse(
      status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
      body: Array(metrics.prometheusText().utf8))
  }
}
