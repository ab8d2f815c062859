/// One input file: its path as the user should see it, and its raw bytes.
///
/// The compiler works on bytes, not characters: spans are byte offsets, and
/// line/column numbers are computed only when a diagnostic is rendered.
public struct SourceFile: Sendable, Hashable {
  /// The path shown in diagnostics (usually relative to the project folder).
  public let path: String
  /// The file's contents, UTF-8 expected but not required.
  public let bytes: [UInt8]

  /// Creates a source file from text.
  public init(path: String, text: String) {
    self.path = path
    self.bytes = Array(text.utf8)
  }

  /// Creates a source file from raw bytes, which need not be valid UTF-8.
  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
  }

  /// The contents decoded as UTF-8 (invalid sequences become U+FFFD).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
