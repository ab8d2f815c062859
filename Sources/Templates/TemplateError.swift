/// A parse or render failure, located at the start of the offending tag or output.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Name of the template, as given to `Template.init(source:name:)`.
  public var template: String
  /// 1-based line of the tag or output that failed.
  public var line: Int
  /// 1-based column (in characters) of the tag or output that failed.
  public var column: Int
  /// One lowercase clause, e.g. "unknown tag 'endfi'".
  public var message: String

  /// Creates an error at an explicit position.
  public init(template: String, line: Int, column: Int, message: String) {
    self.template = template
    self.line = line
    self.column = column
    self.message = message
  }

  /// "name:line:column: message", the format compilers use so editors can jump to it.
  public var description: String { "\(template):\(line):\(column): \(message)" }
}

/// An internal failure: a byte offset into the source and a message. Line and column are
/// computed only when it becomes a `TemplateError`, so the hot path carries just an Int.
struct Failure: Error {
  var offset: Int
  var message: String
  init(_ message: String, at offset: Int = -1) {
    self.offset = offset
    self.message = message
  }
}

extension TemplateError {
  /// Converts `failure` using `source` (UTF-8 bytes) to find its line and column.
  init(_ failure: Failure, source: [UInt8], name: String) {
    let (line, column) = Self.position(of: failure.offset, in: source)
    self.init(template: name, line: line, column: column, message: failure.message)
  }

  /// The 1-based line and column of a byte offset, clamped to the source.
  static func position(of offset: Int, in source: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    let end = min(max(offset, 0), source.count)
    var i = 0
    while i < end {
      if source[i] == UInt8(ascii: "\n") {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    // Count characters, not bytes, so that columns match what an editor shows.
    let column = String(decoding: source[lineStart..<end], as: UTF8.self).count + 1
    return (line, column)
  }
}
