import HTTPTypes
import Testing

@testable import Intake

/// Who a request came from, with and without a trusted reverse proxy.
@Suite("Client addresses behind proxies")
struct ClientAddressTests {
  private func request(from remote: String, forwardedFor: String?) -> HTTPRequest {
    HTTPRequest(
      method: "POST", path: "/v1/subscribe",
      headers: forwardedFor.map { ["x-forwarded-for": $0] } ?? [:], remoteAddress: remote)
  }

  private var settings: IntakeSettings {
    var settings = IntakeSettings(currency: "USD")
    settings.trustedProxies = ["127.0.0.1", "10.0.0.2"]
    return settings
  }

  @Test(
    "the nearest forwarded hop that is not a trusted proxy is the client",
    arguments: [
      ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
      // The left entries are the client's own claims: only the hop a proxy added counts.
      ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
      ("127.0.0.1", "198.51.100.7, 10.0.0.2", "198.51.100.7"),
      // A direct connection's X-Forwarded-For is ignored.
      ("203.0.113.5", "198.51.100.7", "203.0.113.5"),
      // Nothing usable forwarded: the proxy itself.
      ("127.0.0.1", "not-an-address", "127.0.0.1"),
      ("127.0.0.1", "10.0.0.2", "127.0.0.1"),
    ])
  func forwarded(remote: String, header: String, client: String) {
    #expect(settings.clientAddress(of: request(from: remote, forwardedFor: header)) == client)
  }

  @Test("without trusted proxies the connection's address is the client")
  func untrusted() {
    let plain = IntakeSettings(currency: "USD")
    let sent = request(from: "127.0.0.1", forwardedFor: "198.51.100.7")
    #expect(plain.clientAddress(of: sent) == "127.0.0.1")
  }

  @Test(
    "signups are limited per IPv4 address and per IPv6 /64",
    arguments: [
      ("198.51.100.7", "198.51.100.7"),
      ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
      ("2001:db8:1:2:bbbb:cccc:dddd:eeee", "2001:db8:1:2::/64"),
      ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
      ("::ffff:198.51.100.7", "198.51.100.7"),
      ("::1", "0:0:0:0::/64"),
    ])
  func rateLimitKey(address: String, key: String) {
    #expect(IntakeSettings.rateLimitKey(for: address) == key)
  }
}
