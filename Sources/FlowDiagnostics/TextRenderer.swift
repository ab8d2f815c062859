/// Renders diagnostics as human-readable text with the offending source line.
///
/// ```
/// Flows/welcome.flow:3:26: error[FL2003]: unknown segment 'lapsng'
///   |
/// 3 |   trigger enters segment lapsng
///   |                          ^^^^^^ not defined
///   = help: did you mean 'lapsing'?
/// ```
/// Diagnostics are separated by a blank line. The summary line ("2 errors")
/// is the caller's business.
public struct TextRenderer: Sendable {
  /// Wrap the header and carets in ANSI colors (off for goldens, pipes, NO_COLOR).
  public var colored: Bool
  /// Longest source excerpt shown; longer lines are windowed around the span.
  public var maxLineWidth: Int = 120

  /// Creates a renderer.
  public init(colored: Bool = false) {
    self.colored = colored
  }

  /// Renders all diagnostics; `files` must be the list the spans index into.
  public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    var maps: [Int: LineMap] = [:]
    var out = ""
    for (index, diagnostic) in diagnostics.enumerated() {
      if index > 0 { out += "\n" }
      render(diagnostic, files: files, maps: &maps, into: &out)
    }
    return out
  }

  private func render(
    _ d: Diagnostic, files: [SourceFile], maps: inout [Int: LineMap], into out: inout String
  ) {
    guard files.indices.contains(d.span.file) else {
      out += "\(paint(d.severity.rawValue, d.severity))[\(d.code.rawValue)]: \(d.message)\n"
      return
    }
    let map = lineMap(d.span.file, files, &maps)
    let start = map.position(of: Int(d.span.start))
    let path = files[d.span.file].path
    out += "\(path):\(start.line):\(start.column): "
    out += paint("\(d.severity.rawValue)[\(d.code.rawValue)]", d.severity)
    out += ": \(d.message)\n"

    let lineIndex = start.line - 1
    let gutter = String(start.line).count
    let pad = String(repeating: " ", count: gutter)
    let lineBytes = map.line(lineIndex)
    let lineStart = lineBytes.startIndex
    // Underline only the part of the span on its first line.
    // A span may start past the shown line's end (a trailing "\r" is not part
    // of the line): clamp it to the line so slicing stays in range.
    let spanStart = min(max(Int(d.span.start), lineStart), lineBytes.endIndex)
    let spanEnd = min(max(Int(d.span.end), spanStart), lineBytes.endIndex)
    var caretColumn = LineMap.columns(lineBytes[lineStart..<spanStart])
    let caretWidth = max(1, LineMap.columns(lineBytes[spanStart..<spanEnd]))

    // Window very long lines so the span stays visible.
    var shown = lineBytes
    if LineMap.hasMoreColumns(lineBytes, than: maxLineWidth) {
      var from = lineStart
      var skipped = 0
      while skipped < caretColumn - 20, from < lineBytes.endIndex {
        from += 1
        if from == lineBytes.endIndex || lineBytes[from] & 0xC0 != 0x80 { skipped += 1 }
      }
      var to = from
      var width = 0
      while to < lineBytes.endIndex, width < maxLineWidth {
        to += 1
        if to == lineBytes.endIndex || lineBytes[to] & 0xC0 != 0x80 { width += 1 }
      }
      shown = lineBytes[from..<to]
      caretColumn -= skipped
    }

    out += "\(pad) |\n"
    out += "\(start.line) | \(Self.printable(shown))\n"
    out += "\(pad) | " + String(repeating: " ", count: caretColumn)
    out += paint(String(repeating: "^", count: min(caretWidth, maxLineWidth)), d.severity)
    if !d.label.isEmpty { out += " \(d.label)" }
    out += "\n"
    for note in d.notes {
      out += "\(pad) = note: "
      if let span = note.span, files.indices.contains(span.file) {
        let noteMap = lineMap(span.file, files, &maps)
        let position = noteMap.position(of: Int(span.start))
        out += "\(files[span.file].path):\(position.line):\(position.column): "
      }
      out += "\(note.message)\n"
    }
    if let help = d.help { out += "\(pad) = help: \(help)\n" }
  }

  private func lineMap(_ file: Int, _ files: [SourceFile], _ maps: inout [Int: LineMap])
    -> LineMap
  {
    if let map = maps[file] { return map }
    let map = LineMap(files[file])
    maps[file] = map
    return map
  }

  /// Source text safe for a terminal: control bytes (tabs, NUL) become spaces
  /// so carets stay aligned; invalid UTF-8 becomes U+FFFD.
  private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
  }

  private func paint(_ text: String, _ severity: Severity) -> String {
    guard colored else { return text }
    let color =
      switch severity {
      case .error: "\u{1B}[1;31m"
      case .warning: "\u{1B}[1;33m"
      case .note: "\u{1B}[1;36m"
      }
    return color + text + "\u{1B}[0m"
  }
}
