import Templates

/// Free text inside a token (a step name, a URL, a visitor id): URL-safe
/// base64 without padding, so it holds no dots and stays in one path segment.
public enum TokenPart {
  public static func encode(_ text: String) -> String {
    Base64.encode(Array(text.utf8), urlSafe: true, padded: false)
  }

  /// Nil for anything `encode` could not have produced from UTF-8 text.
  public static func decode(_ part: String) -> String? {
    Base64.decode(part).flatMap { String(validating: $0, as: UTF8.self) }
  }
}
