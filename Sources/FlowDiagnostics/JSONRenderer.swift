/// Renders diagnostics as one JSON object with a stable key order:
/// `{"diagnostics":[{"code":…,"severity":…,"message":…,"file":…,"line":…,
/// "column":…,"endLine":…,"endColumn":…,"label":…,"help":…,"notes":[…]}]}`.
///
/// Hand-written rather than `JSONEncoder` so the key order is part of the
/// contract, not an encoder setting. Columns are 1-based; `endColumn` is
/// exclusive.
public struct JSONRenderer: Sendable {
  /// Creates a renderer.
  public init() {}

  /// Renders all diagnostics; `files` must be the list the spans index into.
  public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    var maps: [Int: LineMap] = [:]
    var items: [String] = []
    for d in diagnostics {
      var fields: [String] = [
        "\"code\":\(Self.quote(d.code.rawValue))",
        "\"severity\":\(Self.quote(d.severity.rawValue))",
        "\"message\":\(Self.quote(d.message))",
      ]
      fields += location(d.span, files, &maps, withEnd: true)
      fields.append("\"label\":\(Self.quote(d.label))")
      fields.append("\"help\":\(d.help.map(Self.quote) ?? "null")")
      let notes = d.notes.map { note in
        var noteFields = ["\"message\":\(Self.quote(note.message))"]
        if let span = note.span { noteFields += location(span, files, &maps, withEnd: false) }
        return "{" + noteFields.joined(separator: ",") + "}"
      }
      fields.append("\"notes\":[\(notes.joined(separator: ","))]")
      items.append("{" + fields.joined(separator: ",") + "}")
    }
    return "{\"diagnostics\":[" + items.joined(separator: ",") + "]}"
  }

  private func location(
    _ span: Span, _ files: [SourceFile], _ maps: inout [Int: LineMap], withEnd: Bool
  ) -> [String] {
    guard files.indices.contains(span.file) else { return [] }
    let map = maps[span.file] ?? LineMap(files[span.file])
    maps[span.file] = map
    let start = map.position(of: Int(span.start))
    var fields = [
      "\"file\":\(Self.quote(files[span.file].path))",
      "\"line\":\(start.line)", "\"column\":\(start.column)",
    ]
    if withEnd {
      let end = map.position(of: Int(span.end))
      fields += ["\"endLine\":\(end.line)", "\"endColumn\":\(end.column)"]
    }
    return fields
  }

  /// A JSON string literal; control characters are escaped as `\uXXXX`.
  package static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
