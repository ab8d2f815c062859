import Foundation
import HMACSigning
import HTTPTypes
import Identity
import MemberStore

/// Answers the intake endpoints: `POST /v1/events`, `POST /v1/identify`,
/// `POST /v1/webhooks/shopify` and `POST /v1/webhooks/woocommerce`, the
/// signup (`POST /v1/subscribe`, `GET /v1/confirm/TOKEN`) and the links in
/// emails (`/o/`, `/c/`, `/u/`). Every refusal (auth, signature, token,
/// size, JSON, fields) happens before anything is written, and each accepted
/// request is one store transaction.
public struct IntakeRouter: HTTPHandler {
  let settings: IntakeSettings
  let services: IntakeServices
  let store: LockedStore
  let clock: @Sendable () -> Int64
  /// Signups per IP address, and confirmation emails per member.
  let signupLimits: SignupLimits

  /// The router owns `store` from here on: it serialises every use of it,
  /// so nothing else may use it while the router is in service.
  /// - Parameter clock: the current time in Unix seconds.
  public init(
    store: SQLiteFlowStore, settings: IntakeSettings, services: IntakeServices,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
  ) {
    self.settings = settings
    self.services = services
    self.store = LockedStore(
      store: store,
      resolver: IdentityResolver(
        store: store, rules: settings.identity, fields: settings.fields,
        defaultCountry: settings.country, shopCurrency: settings.currency))
    self.clock = clock
    signupLimits = SignupLimits(perIPPerMinute: settings.subscribeRatePerMinute)
  }

  enum Endpoint: String {
    case events = "/v1/events"
    case identify = "/v1/identify"
    case shopify = "/v1/webhooks/shopify"
    case wooCommerce = "/v1/webhooks/woocommerce"

    /// Called from shop pages (CORS applies), as opposed to store servers.
    var isBrowserAPI: Bool { self == .events || self == .identify }
  }

  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    if let answer = linkResponse(request) ?? subscriptionResponse(request) { return answer }
    guard let endpoint = Endpoint(rawValue: request.path) else {
      return Refusal(404, "no endpoint \(request.method) \(request.path)").response
    }
    let origin = request.headers["origin"].flatMap {
      settings.allowedOrigins.contains($0) ? $0 : nil
    }
    if endpoint.isBrowserAPI, request.method == "OPTIONS" {
      return preflight(allowedOrigin: origin)
    }
    var response: HTTPResponse
    if request.method != "POST" {
      response = .methodNotAllowed(
        request.path, method: request.method, accepts: ["POST"],
        alsoAllowed: endpoint.isBrowserAPI ? ["OPTIONS"] : [])
    } else if request.body.count > settings.maxBodyBytes {
      response =
        Refusal(413, "the request body is larger than \(settings.maxBodyBytes) bytes").response
    } else {
      do {
        response = try answer(endpoint, request)
      } catch {
        response = error.response
      }
    }
    if endpoint.isBrowserAPI, let origin {
      response.headers["Access-Control-Allow-Origin"] = origin
      response.headers["Vary"] = "Origin"
    }
    return response
  }

  private func answer(_ endpoint: Endpoint, _ request: HTTPRequest) throws(Refusal)
    -> HTTPResponse
  {
    switch endpoint {
    case .events:
      try authorize(request)
      return try track(TrackedEvent(try JSONBody(request.body)))
    case .identify:
      try authorize(request)
      return try identify(Identification(try JSONBody(request.body)))
    case .shopify: return try shopifyWebhook(request)
    case .wooCommerce: return try wooCommerceWebhook(request)
    }
  }

  func preflight(allowedOrigin: String?) -> HTTPResponse {
    guard let allowedOrigin else { return Refusal(403, "origin not allowed").response }
    return HTTPResponse(
      status: 204,
      headers: [
        "Access-Control-Allow-Origin": allowedOrigin, "Vary": "Origin",
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Api-Key",
        "Access-Control-Max-Age": "600",
      ])
  }

  /// `Authorization: Bearer KEY` or `X-Api-Key: KEY`, one of the configured keys.
  private func authorize(_ request: HTTPRequest) throws(Refusal) {
    var given = request.headers["x-api-key"]
    if let authorization = request.headers["authorization"],
      authorization.lowercased().hasPrefix("bearer ")
    {
      given = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
    }
    guard let given, !given.isEmpty else {
      throw Refusal(401, "missing API key (Authorization: Bearer KEY or X-Api-Key)")
    }
    // Every key is compared, so the time taken does not say which one came close.
    var matched = false
    for key in settings.apiKeys {
      matched = HMACSHA256.constantTimeEqual(Array(given.utf8), Array(key.utf8)) || matched
    }
    guard matched else { throw Refusal(401, "invalid API key") }
  }

  /// Runs `body` in one store transaction; a record the resolver refuses
  /// is a 400 and rolls everything back.
  func write<T>(_ body: (SQLiteFlowStore, IdentityResolver) throws -> T) throws(Refusal) -> T {
    do {
      return try store.transaction(body)
    } catch let refusal as Refusal {
      throw refusal
    } catch let error as IdentityResolver.InputError {
      throw Refusal(400, error.reason)
    } catch {
      throw Refusal(500, "could not store the request: \(error)")
    }
  }
}

/// The one store behind the router, used by one request at a time: SQLite
/// connections are not safe to share across threads.
final class LockedStore: @unchecked Sendable {
  private let lock = NSLock()
  private let store: SQLiteFlowStore
  private let resolver: IdentityResolver

  init(store: SQLiteFlowStore, resolver: IdentityResolver) {
    self.store = store
    self.resolver = resolver
  }

  func transaction<T>(_ body: (SQLiteFlowStore, IdentityResolver) throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    return try store.transaction { try body(store, resolver) }
  }
}
