/// Renders diagnostics as GitHub Actions workflow commands, one line each:
/// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=FL2003::message`.
///
/// Errors become `::error`, warnings `::warning` and notes `::notice`. The help
/// text, when present, is appended to the message as ` (help: …)`. Values are
/// escaped as GitHub requires: `%`, CR and LF everywhere, plus `:` and `,` in
/// property values. A span outside `files` gets only the `title` property.
public struct GitHubRenderer: Sendable {
  /// Creates a renderer.
  public init() {}

  /// Renders all diagnostics, each line ending in a newline.
  public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    var maps: [Int: LineMap] = [:]
    var out = ""
    for d in diagnostics {
      var properties: [(String, String)] = []
      if files.indices.contains(d.span.file) {
        let map = maps[d.span.file] ?? LineMap(files[d.span.file])
        maps[d.span.file] = map
        let start = map.position(of: Int(d.span.start))
        let end = map.position(of: Int(d.span.end))
        properties = [
          ("file", files[d.span.file].path), ("line", "\(start.line)"),
          ("col", "\(start.column)"), ("endLine", "\(end.line)"),
          ("endColumn", "\(end.column)"),
        ]
      }
      properties.append(("title", d.code.rawValue))
      let list = properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }
      let message = d.message + (d.help.map { " (help: \($0))" } ?? "")
      out += "::\(Self.command(d.severity)) \(list.joined(separator: ","))::"
      out += Self.escapeData(message) + "\n"
    }
    return out
  }

  /// The workflow command for a severity.
  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .note: "notice"
    }
  }

  /// Escapes a command's message: `%`, CR and LF.
  static func escapeData(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case "\r": out += "%0D"
      case "\n": out += "%0A"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Escapes a property value: as `escapeData`, plus `:` and `,`.
  static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
  }
}
