import FlowCheck
import FlowDiagnostics
import Foundation
import Testing

/// Each `Fixtures/<name>.flow` compiles to exactly the diagnostics in
/// `<name>.expected` (text renderer, no color).
@Suite struct GoldenDiagnosticTests {
  @Test(arguments: Fixtures.names)
  func fixtureMatchesGolden(_ name: String) throws {
    let file = try Fixtures.source("\(name).flow")
    let result = compileProgram(files: [file], templates: Fixtures.templates)
    #expect(result.program == nil, "an error fixture must not compile")
    let text = TextRenderer().render(result.diagnostics, files: [file])
    if let mismatch = try Fixtures.compareGolden(text, "\(name).expected") {
      Issue.record(Comment(rawValue: mismatch))
    }
  }

  /// The JSON renderer has goldens for a couple of fixtures.
  @Test(arguments: ["FL2003-unknown-segment", "FL2006-duplicate-flow"])
  func jsonMatchesGolden(_ name: String) throws {
    let file = try Fixtures.source("\(name).flow")
    let result = compileProgram(files: [file], templates: Fixtures.templates)
    let json = JSONRenderer().render(result.diagnostics, files: [file]) + "\n"
    if let mismatch = try Fixtures.compareGolden(json, "\(name).json") {
      Issue.record(Comment(rawValue: mismatch))
    }
  }

  /// Every code (except internal ones) is provoked by a fixture named after
  /// it, and documented in Docs/errors.md.
  @Test func everyCodeHasFixtureAndDocs() throws {
    let docs = try String(
      contentsOf: Fixtures.packageRoot.appendingPathComponent("Docs/errors.md"), encoding: .utf8)
    for code in DiagnosticCode.allCases {
      #expect(docs.contains("## \(code.rawValue)"), "Docs/errors.md lacks \(code.rawValue)")
      // Template-file codes have their goldens in FlowcTests, where files are read.
      guard !code.isInternal, !code.isReportedByHost, !code.isRetired else { continue }
      let fixture = Fixtures.names.first { $0.hasPrefix(code.rawValue) }
      #expect(fixture != nil, "no fixture for \(code.rawValue)")
      if let fixture {
        let expected =
          (try? String(
            contentsOf: Fixtures.directory.appendingPathComponent("\(fixture).expected"),
            encoding: .utf8))
          ?? ""
        #expect(
          expected.contains("[\(code.rawValue)]"),
          "\(fixture).expected never shows \(code.rawValue)")
      }
    }
  }
}
