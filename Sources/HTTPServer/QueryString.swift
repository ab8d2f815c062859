import HTTPTypes

/// Splitting a request target into its path and decoded query.
enum QueryString {
  /// `/a/b?x=1&y` → (`/a/b`, [(x, 1), (y, "")]); the path stays as sent.
  static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
    guard let mark = target.firstIndex(of: "?") else { return (target, []) }
    let path = String(target[..<mark])
    return (path, FormURLEncoded.parse(target[target.index(after: mark)...].utf8))
  }
}
