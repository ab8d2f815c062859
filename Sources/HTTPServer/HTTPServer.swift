import CHTTPServerShim
import CMicroHTTPD
import Foundation
import HTTPTypes

/// An HTTP/1.1 server on libmicrohttpd: a pool of worker threads, each
/// request read whole (up to `maxBodyBytes`, else 413; a body length that
/// could be read two ways is a 400) and answered by one
/// `HTTPHandler` call on a worker thread.
public final class HTTPServer: @unchecked Sendable {
  /// The bound port (the one picked when started with port 0).
  public let port: Int
  // Guards `server`, which `stop` clears; the C side owns its own locking.
  private let lock = NSLock()
  private var server: OpaquePointer?
  private var refusedAtStop: [Int: Int] = [:]
  private let context: Unmanaged<HandlerBox>
  private let gracePeriodMilliseconds: UInt32

  /// Starts listening on a numeric IPv4 or IPv6 `address`; port 0 picks a free port.
  /// A connection over `maxConnections`, or over `maxConnectionsPerIP` from one
  /// client address, is closed at once without an answer.
  public init(
    address: String, port: Int, threads: Int = 4, maxBodyBytes: Int = 1 << 20,
    timeoutSeconds: Int = 30, maxConnections: Int = 1000, maxConnectionsPerIP: Int = 100,
    handler: any HTTPHandler
  ) throws {
    guard (0...65535).contains(port) else { throw HTTPServerError.badPort(port) }
    guard threads >= 1, maxBodyBytes >= 0, timeoutSeconds >= 1, maxConnections >= 1,
      maxConnectionsPerIP >= 1
    else {
      throw HTTPServerError.badLimit
    }
    let limits = flow_http_limits(
      threads: UInt32(clamping: threads), timeout_seconds: UInt32(clamping: timeoutSeconds),
      max_body_bytes: maxBodyBytes, max_connections: UInt32(clamping: maxConnections),
      max_connections_per_ip: UInt32(clamping: maxConnectionsPerIP))
    let context = Unmanaged.passRetained(HandlerBox(handler))
    var server: OpaquePointer?
    let result = flow_http_start(
      address, UInt16(port), limits, answerRequest, context.toOpaque(), &server)
    guard result == Int32(FLOW_HTTP_OK), let server else {
      let reason = String(cString: strerror(errno))
      context.release()
      throw result == Int32(FLOW_HTTP_BAD_ADDRESS)
        ? HTTPServerError.badAddress(address)
        : HTTPServerError.cannotListen(address: address, port: port, reason: reason)
    }
    self.server = server
    self.context = context
    self.port = Int(flow_http_port(server))
    self.gracePeriodMilliseconds = UInt32(clamping: timeoutSeconds * 1000)
  }

  /// Requests refused by status before the handler saw them, so a metrics
  /// page can count them: 413 (a body over `maxBodyBytes`) and 400 (more than
  /// one Content-Length, one with Transfer-Encoding, or a malformed header line).
  public var refusedBeforeHandler: [Int: Int] {
    lock.withLock {
      guard let server else { return refusedAtStop }
      return Self.refusals(server)
    }
  }

  private static func refusals(_ server: OpaquePointer) -> [Int: Int] {
    Dictionary(
      uniqueKeysWithValues: [400, 413].map {
        ($0, Int(flow_http_refused_count(server, UInt32($0))))
      })
  }

  /// Stops accepting connections, lets requests in flight finish (for at
  /// most the timeout), then closes everything. Later calls do nothing.
  public func stop() {
    let server = lock.withLock {
      defer { self.server = nil }
      if let server = self.server { refusedAtStop = Self.refusals(server) }
      return self.server
    }
    guard let server else { return }
    flow_http_stop(server, gracePeriodMilliseconds)
    context.release()
  }

  deinit { stop() }
}

public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
  case badAddress(String)
  case badPort(Int)
  case badLimit
  case cannotListen(address: String, port: Int, reason: String)

  public var description: String {
    switch self {
    case .badAddress(let address): "'\(address)' is not a numeric IPv4 or IPv6 address"
    case .badPort(let port): "port \(port) is outside 0...65535"
    case .badLimit:
      "threads, timeout and connection limits must be at least 1, the body limit not negative"
    case .cannotListen(let address, let port, let reason):
      "cannot listen on \(address):\(port): \(reason)"
    }
  }
}

private final class HandlerBox: Sendable {
  let handler: any HTTPHandler
  init(_ handler: any HTTPHandler) { self.handler = handler }
}

/// The C callback: runs on MHD's worker threads, never on the main actor.
private let answerRequest: flow_http_handler = { context, request, status in
  guard let context, let request, let status else { return nil }
  let handler = Unmanaged<HandlerBox>.fromOpaque(context).takeUnretainedValue().handler
  let response = handler.handle(HTTPRequest(request.pointee))
  status.pointee = UInt32(clamping: response.status)
  return response.body.withUnsafeBytes { body in
    // MHD keeps its own copy, so the Swift array may go away.
    guard let made = flow_http_response_copying(body.baseAddress, body.count) else { return nil }
    for (name, value) in response.headers {
      // MHD refuses names or values it cannot send (line breaks, Content-Length it sets itself).
      _ = MHD_add_response_header(made, name, value)
    }
    return made
  }
}

extension HTTPRequest {
  init(_ request: flow_http_request) {
    let target = String(cString: request.target)
    let (path, query) = QueryString.split(target: target)
    var headers: [String: String] = [:]
    for field in UnsafeBufferPointer(start: request.headers, count: request.header_count) {
      let name = String(cString: field.name).lowercased()
      if headers[name] == nil { headers[name] = String(cString: field.value) }
    }
    self.init(
      method: String(cString: request.method), path: path, query: query, headers: headers,
      body: Array(UnsafeRawBufferPointer(start: request.body, count: request.body_length)),
      remoteAddress: String(cString: request.remote_address))
  }
}
