import HTTPTypes

/// Sends each request to the first route whose method and path prefix match
/// (`/v1/events` matches `/v1/events` and `/v1/events/...`), and counts the answers.
public struct HTTPRouter: HTTPHandler {
  public struct Route: Sendable {
    public var method: String
    public var pathPrefix: String
    public var handler: any HTTPHandler

    public init(_ method: String, _ pathPrefix: String, _ handler: any HTTPHandler) {
      self.method = method
      self.pathPrefix = pathPrefix
      self.handler = handler
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
    if let route = onPath.first(where: { $0.method == request.method }) {
      return route.handler.handle(request)
    }
    return onPath.isEmpty
      ? .json(status: 404, #"{"error":"not found"}"#)
      : .json(status: 405, #"{"error":"method not allowed"}"#)
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
