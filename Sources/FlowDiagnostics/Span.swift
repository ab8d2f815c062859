/// A half-open byte range `start..<end` in one of the program's files.
public struct Span: Sendable, Hashable {
  /// Index of the file in the list handed to the compiler.
  public var file: Int
  /// Offset of the first byte.
  public var start: UInt32
  /// Offset one past the last byte.
  public var end: UInt32

  /// Creates a span; `end` is clamped so it is never before `start`.
  public init(file: Int, start: UInt32, end: UInt32) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// The smallest span covering both `self` and `other` (same file assumed).
  public func through(_ other: Span) -> Span {
    Span(file: file, start: min(start, other.start), end: max(end, other.end))
  }
}
