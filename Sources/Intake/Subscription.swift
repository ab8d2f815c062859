import HTTPTypes

extension IntakeRouter {
  /// `POST /v1/subscribe` (and its CORS preflight) and `GET /v1/confirm/TOKEN`; nil for other paths.
  func subscriptionResponse(_ request: HTTPRequest) -> HTTPResponse? {
    nil
  }
}
