import FlowDiagnostics
import Foundation
import Testing

/// Two diagnostics in one small file: an error with help, a warning without.
private enum Sample {
  static let file = SourceFile(
    path: "Flows/welcome.flow",
    text: "flow winback {\n\n  trigger enters segment lapsng\n}\n")

  static let diagnostics = [
    Diagnostic(
      .unknownSegment, "unknown segment 'lapsng'", at: Span(file: 0, start: 41, end: 47),
      label: "not defined", help: "did you mean 'lapsing'?"),
    Diagnostic(
      .badSplitWeights, "weights add up to 90%, not 100%", at: Span(file: 0, start: 5, end: 12),
      severity: .warning),
  ]
}

@Suite struct GitHubRendererTests {
  @Test func oneWorkflowCommandPerDiagnostic() {
    #expect(
      GitHubRenderer().render(Sample.diagnostics, files: [Sample.file]) == """
        ::error file=Flows/welcome.flow,line=3,col=26,endLine=3,endColumn=32,title=FL2003::\
        unknown segment 'lapsng' (help: did you mean 'lapsing'?)
        ::warning file=Flows/welcome.flow,line=1,col=6,endLine=1,endColumn=13,title=FL4006::\
        weights add up to 90%25, not 100%25

        """)
  }

  @Test func notesAreNoticesAndPropertiesEscapeColonsAndCommas() {
    let file = SourceFile(path: "C:/a,b.flow", text: "flow x {}\n")
    let note = Diagnostic(
      .unknownEvent, "first line\r\nsecond: 5%", at: Span(file: 0, start: 0, end: 4),
      severity: .note)
    #expect(
      GitHubRenderer().render([note], files: [file])
        == "::notice file=C%3A/a%2Cb.flow,line=1,col=1,endLine=1,endColumn=5,title=FL2002::"
        + "first line%0D%0Asecond: 5%25\n")
  }

  @Test func aSpanOutsideTheFilesGetsOnlyATitle() {
    let stray = Diagnostic(.internalError, "lost", at: Span(file: 3, start: 0, end: 1))
    #expect(GitHubRenderer().render([stray], files: []) == "::error title=FL9001::lost\n")
  }
}

@Suite struct SARIFRendererTests {
  @Test func logHasStableKeysRulesAndRegions() {
    let expected =
      #"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","#
      + #""runs":[{"tool":{"driver":{"name":"flowc","#
      + #""rules":["#
      + #"{"id":"FL2003","name":"UnknownSegment","shortDescription":{"text":"Unknown segment"}},"#
      + #"{"id":"FL4006","name":"BadSplitWeights","#
      + #""shortDescription":{"text":"Bad split weights"}}]}},"results":["#
      + #"{"ruleId":"FL2003","ruleIndex":0,"level":"error","#
      + #""message":{"text":"unknown segment 'lapsng' (help: did you mean 'lapsing'?)"},"#
      + #""locations":[{"physicalLocation":{"artifactLocation":{"uri":"Flows/welcome.flow"},"#
      + #""region":{"startLine":3,"startColumn":26,"endLine":3,"endColumn":32}}}]},"#
      + #"{"ruleId":"FL4006","ruleIndex":1,"level":"warning","#
      + #""message":{"text":"weights add up to 90%, not 100%"},"#
      + #""locations":[{"physicalLocation":{"artifactLocation":{"uri":"Flows/welcome.flow"},"#
      + #""region":{"startLine":1,"startColumn":6,"endLine":1,"endColumn":13}}}]}]}]}"#
    #expect(SARIFRenderer().render(Sample.diagnostics, files: [Sample.file]) == expected)
  }

  @Test func logParsesAsJSONWithTheExpectedResults() throws {
    let text = SARIFRenderer().render(Sample.diagnostics, files: [Sample.file])
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.compactMap { $0["id"] as? String } == ["FL2003", "FL4006"])
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.compactMap { $0["ruleId"] as? String } == ["FL2003", "FL4006"])
    #expect(results.compactMap { $0["level"] as? String } == ["error", "warning"])
    let regions = results.compactMap { result -> [Int]? in
      let location = (result["locations"] as? [[String: Any]])?.first
      let physical = location?["physicalLocation"] as? [String: Any]
      guard let region = physical?["region"] as? [String: Int] else { return nil }
      return ["startLine", "startColumn", "endLine", "endColumn"].compactMap { region[$0] }
    }
    #expect(regions == [[3, 26, 3, 32], [1, 6, 1, 13]])
  }

  @Test func noDiagnosticsIsAnEmptyRun() {
    let text = SARIFRenderer(informationURI: "https://x.test/").render([], files: [])
    #expect(text.hasSuffix(#""informationUri":"https://x.test/","rules":[]}},"results":[]}]}"#))
  }
}
