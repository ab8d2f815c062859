/// Renders diagnostics as a SARIF 2.1.0 log with one run, for code-scanning
/// tools such as GitHub's.
///
/// Hand-written JSON like `JSONRenderer`, so the key order is fixed. The
/// driver's `rules` are the distinct codes used, sorted; each result points at
/// its rule by `ruleId` and `ruleIndex`. Regions use 1-based lines and columns
/// with an exclusive `endColumn`, as SARIF specifies. A result whose span is
/// outside `files` has no `locations`.
public struct SARIFRenderer: Sendable {
  /// The `tool.driver.informationUri` written into every log; SARIF makes it
  /// optional, and it is left out until flowc has a public home page.
  public var informationURI: String?

  /// Creates a renderer.
  public init(informationURI: String? = nil) {
    self.informationURI = informationURI
  }

  /// Renders all diagnostics as one JSON object (no trailing newline).
  public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
    let codes = Array(Set(diagnostics.map(\.code))).sorted()
    let rules = codes.map { code in
      "{\"id\":\(q(code.rawValue)),\"name\":\(q(Self.ruleName(code))),"
        + "\"shortDescription\":{\"text\":\(q(Self.describe(code)))}}"
    }
    var maps: [Int: LineMap] = [:]
    let results = diagnostics.map { d in
      var fields = [
        "\"ruleId\":\(q(d.code.rawValue))",
        "\"ruleIndex\":\(codes.firstIndex(of: d.code) ?? 0)",
        "\"level\":\(q(d.severity.rawValue))",
        "\"message\":{\"text\":\(q(d.message + (d.help.map { " (help: \($0))" } ?? "")))}",
      ]
      if files.indices.contains(d.span.file) {
        let map = maps[d.span.file] ?? LineMap(files[d.span.file])
        maps[d.span.file] = map
        let start = map.position(of: Int(d.span.start))
        let end = map.position(of: Int(d.span.end))
        fields.append(
          "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
            + "\(q(files[d.span.file].path))},\"region\":{\"startLine\":\(start.line),"
            + "\"startColumn\":\(start.column),\"endLine\":\(end.line),"
            + "\"endColumn\":\(end.column)}}}]")
      }
      return "{" + fields.joined(separator: ",") + "}"
    }
    return "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
      + "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"flowc\","
      + (informationURI.map { "\"informationUri\":\(q($0))," } ?? "")
      + "\"rules\":[\(rules.joined(separator: ","))]}},"
      + "\"results\":[\(results.joined(separator: ","))]}]}"
  }

  private func q(_ text: String) -> String { JSONRenderer.quote(text) }

  /// The code's case name in PascalCase, e.g. `UnknownSegment` for FL2003.
  static func ruleName(_ code: DiagnosticCode) -> String {
    let name = String(describing: code)
    return name.prefix(1).uppercased() + name.dropFirst()
  }

  /// The case name as a sentence, e.g. `Unknown segment` for FL2003.
  static func describe(_ code: DiagnosticCode) -> String {
    var words = ""
    for character in ruleName(code) {
      if character.isUppercase, !words.isEmpty { words += " " }
      words += words.isEmpty ? String(character) : character.lowercased()
    }
    return words
  }
}
