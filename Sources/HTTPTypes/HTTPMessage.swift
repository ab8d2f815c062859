import Foundation

/// One HTTP request as the intake handlers see it: the server has already
/// enforced its size limit and read the whole body.
public struct HTTPRequest: Sendable, Hashable {
  public var method: String
  /// The path without the query string, percent-decoding not applied (`/v1/confirm/abc`).
  public var path: String
  /// Query parameters in order, decoded.
  public var query: [(name: String, value: String)]
  /// Header names lower-cased; a repeated header keeps its first value.
  public var headers: [String: String]
  public var body: [UInt8]
  /// The client's IP address as text (`127.0.0.1`, `::1`).
  public var remoteAddress: String

  public init(
    method: String, path: String, query: [(name: String, value: String)] = [],
    headers: [String: String] = [:], body: [UInt8] = [], remoteAddress: String = "127.0.0.1"
  ) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
    self.remoteAddress = remoteAddress
  }

  public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
    a.method == b.method && a.path == b.path && a.query.elementsEqual(b.query, by: ==)
      && a.headers == b.headers && a.body == b.body && a.remoteAddress == b.remoteAddress
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(method)
    hasher.combine(path)
    hasher.combine(body)
  }
}

/// What a handler answers.
public struct HTTPResponse: Sendable, Hashable {
  public var status: Int
  /// Header names as they should be sent; `Content-Type` included.
  public var headers: [String: String]
  public var body: [UInt8]

  public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

extension HTTPResponse {
  /// A JSON answer: `body` is the JSON text.
  public static func json(status: Int, _ body: String) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
  }

  /// A 405 naming what `path` accepts, in the message and in `Allow`
  /// (with `alsoAllowed`, such as a CORS preflight's `OPTIONS`).
  public static func methodNotAllowed(
    _ path: String, method: String, accepts: [String], alsoAllowed: [String] = []
  ) -> HTTPResponse {
    var response = error(
      status: 405, "\(path) accepts \(accepts.joined(separator: " or ")), not \(method)")
    response.headers["Allow"] = (accepts + alsoAllowed).joined(separator: ", ")
    return response
  }

  /// A refusal as JSON: `{"error": message}`.
  public static func error(status: Int, _ message: String) -> HTTPResponse {
    let data = try? JSONSerialization.data(
      withJSONObject: ["error": message], options: [.withoutEscapingSlashes])
    return .json(status: status, String(decoding: data ?? Data(), as: UTF8.self))
  }
}

/// Answers requests. Called on the server's worker threads, several at once.
public protocol HTTPHandler: Sendable {
  func handle(_ request: HTTPRequest) -> HTTPResponse
}
