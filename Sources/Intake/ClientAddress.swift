import Foundation
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

  /// The key a client's requests are limited under: its IPv4 address, or
  /// the /64 network of an IPv6 one, since one home or phone gets a whole
  /// /64 and could otherwise take a fresh address for every signup.
  static func rateLimitKey(for address: String) -> String {
    var bytes = in6_addr()
    guard inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
    let octets = withUnsafeBytes(of: &bytes) { Array($0) }
    if octets[0..<10].allSatisfy({ $0 == 0 }), octets[10] == 0xFF, octets[11] == 0xFF {
      return octets[12...].map(String.init).joined(separator: ".")
    }
    let groups = stride(from: 0, to: 8, by: 2).map {
      String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16)
    }
    return groups.joined(separator: ":") + "::/64"
  }
}
