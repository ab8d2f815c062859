import HTTPTypes

extension IntakeSettings {
  /// Who sent `request`: the connection's address, or, when that is a
  /// trusted reverse proxy, the nearest `X-Forwarded-For` hop that is not
  /// one (hops further left are the client's own claims and could be forged).
  func clientAddress(of request: HTTPRequest) -> String {
    guard trustedProxies.contains(request.remoteAddress),
      let forwarded = request.headers["x-forwarded-for"]
    else { return request.remoteAddress }
    let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    for hop in hops.reversed() where !trustedProxies.contains(hop) {
      return Self.isNumericAddress(hop) ? hop : request.remoteAddress
    }
    return request.remoteAddress
  }
}
