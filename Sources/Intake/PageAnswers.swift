import Foundation
import HTTPTypes

extension IntakeRouter {
  /// An intake page as an HTML answer: never cached, and never sending the
  /// address (which may hold a member's token) on as a referrer.
  func page(
    _ page: IntakePage, status: Int, locale: String? = nil, email: String? = nil,
    values: [String: String] = [:]
  ) -> HTTPResponse {
    var all = values
    all["shop_name"] = services.shopName
    if let email, !email.isEmpty { all["email"] = email }
    return HTTPResponse(
      status: status,
      headers: [
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
      ],
      body: Array(services.pages.html(page, locale: locale, values: all).utf8))
  }
}

/// `2025-03-03T00:00:00Z`, as consent evidence records times.
func isoTime(_ seconds: Int64) -> String {
  Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
}
