import FlowCheck
import FlowDiagnostics
import FlowIR
import FlowSyntax
import Foundation
import Testing

/// `flowc fmt` is idempotent and keeps the meaning: every shipped flow, every
/// checker fixture that parses and every formatter golden input compiles to
/// the same program (or the same diagnostics) before and after formatting.
@Suite struct FormatRoundTripTests {
  static let shippedFlows = Fixtures.packageRoot.appendingPathComponent("Flows")
  static let formatterGoldens = Fixtures.packageRoot.appendingPathComponent(
    "Tests/FlowSyntaxTests/Fixtures/fmt")

  /// Fixture paths relative to `Fixtures.directory`.
  static let fixtures: [String] =
    Fixtures.names.map { "\($0).flow" } + ["valid/language.flow"]

  static func sources(in folder: URL) throws -> [SourceFile] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".flow") }.sorted()
      .map { name in
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return SourceFile(path: name, bytes: Array(data))
      }
  }

  /// The formatted file, after checking that formatting it again changes nothing.
  private func formatted(_ source: SourceFile) throws -> SourceFile {
    let text = try FlowFormatter.format(source).get()
    let again = try FlowFormatter.format(SourceFile(path: source.path, text: text)).get()
    #expect(again == text, "\(source.path) is not a fixed point after one format")
    return SourceFile(path: source.path, text: text)
  }

  /// Compiles both versions and compares programs and diagnostics (without
  /// spans); returns the program.
  @discardableResult
  private func expectSameMeaning(
    _ original: [SourceFile], _ formatted: [SourceFile],
    templates: Set<String> = Fixtures.templates
  ) -> Program? {
    let before = compileProgram(files: original, templates: templates)
    let after = compileProgram(files: formatted, templates: templates)
    #expect(before.program == after.program)
    let summary = { (result: [Diagnostic]) in result.map { "\($0.code) \($0.message)" } }
    #expect(summary(before.diagnostics) == summary(after.diagnostics))
    return before.program
  }

  @Test func shippedFlowsAreCanonicalAndKeepTheirProgram() throws {
    let originals = try Self.sources(in: Self.shippedFlows)
    #expect(originals.count == 6)
    let results = try originals.map(formatted)
    for (original, result) in zip(originals, results) {
      #expect(
        result.text == original.text, "\(original.path) is not formatted; run flowc fmt Flows")
    }
    let templates = try FileManager.default.contentsOfDirectory(
      atPath: Fixtures.packageRoot.appendingPathComponent("Templates").path
    ).filter { $0.hasSuffix(".html.liquid") }.map { String($0.dropLast(".html.liquid".count)) }
    #expect(expectSameMeaning(originals, results, templates: Set(templates)) != nil)
  }

  @Test(arguments: fixtures)
  func checkerFixture(_ path: String) throws {
    let source = try Fixtures.source(path)
    // A file with syntax errors is not formatted.
    guard case .success = FlowFormatter.format(source) else { return }
    expectSameMeaning([source], [try formatted(source)])
  }

  @Test func formatterGoldenInputs() throws {
    let inputs = try Self.sources(in: Self.formatterGoldens).filter { $0.path.contains(".input.") }
    #expect(inputs.count == 2)
    for input in inputs { expectSameMeaning([input], [try formatted(input)]) }
  }

  /// Guards the round trip against fixtures that would all be skipped.
  @Test func mostCheckerFixturesParse() {
    let parsing = Self.fixtures.filter { path in
      guard let source = try? Fixtures.source(path) else { return false }
      if case .success = FlowFormatter.format(source) { return true }
      return false
    }
    #expect(parsing.count >= 30)
  }
}
