import HTTPTypes

extension IntakeRouter {
  /// `GET /o/TOKEN.gif`, `GET /c/TOKEN`, `GET` and `POST /u/TOKEN`; nil for other paths.
  func linkResponse(_ request: HTTPRequest) -> HTTPResponse? {
    nil
  }
}
