/// The pages the intake shows people in a browser (not JSON callers).
public enum IntakePage: String, Sendable, CaseIterable {
  /// After a signup form is posted: check your inbox for the confirmation link.
  case subscribed
  /// The confirmation link worked: the address is confirmed.
  case confirmed
  /// `GET /u/TOKEN`: one button that unsubscribes (a GET never does, since
  /// mail scanners follow links).
  case unsubscribe
  /// After the unsubscribe button or a one-click POST.
  case unsubscribed
  /// A link whose token is altered, unknown or expired.
  case invalidLink = "invalid_link"
}

/// Renders intake pages as whole HTML documents. The host supplies one that
/// reads the shop's templates (in the member's language when one exists).
public protocol IntakePages: Sendable {
  /// `values` holds what the page shows: always `shop_name`; `email` when a
  /// member is known; `action_url` for the unsubscribe button's form.
  func html(_ page: IntakePage, locale: String?, values: [String: String]) -> String
}
