import FlowDiagnostics
import Foundation
import Testing

@testable import FlowSyntax

/// `flowc fmt`'s layout: goldens in `Fixtures/fmt` (`NAME.input.flow` formats
/// to `NAME.expected.flow`, which is a fixed point), and the edge cases.
@Suite struct FormatterTests {
  static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/fmt")

  private func format(_ text: String) -> String? {
    try? FlowFormatter.format(SourceFile(path: "t.flow", text: text)).get()
  }

  @Test(arguments: ["declarations", "flows"])
  func golden(_ name: String) throws {
    let input = try String(
      contentsOf: Self.goldens.appendingPathComponent("\(name).input.flow"), encoding: .utf8)
    let expected = try String(
      contentsOf: Self.goldens.appendingPathComponent("\(name).expected.flow"), encoding: .utf8)
    #expect(format(input) == expected)
    #expect(format(expected) == expected)
  }

  @Test func lexerReportsCommentsBesideTheTokens() {
    let bytes = Array("a // one\r\n// two\nb".utf8)
    let lexed = Lexer.tokenizeKeepingComments(bytes, file: 0)
    #expect(lexed.comments == [2..<9, 10..<16])
    #expect(lexed.tokens == Lexer.tokenize(bytes, file: 0).tokens)
  }

  @Test func syntaxErrorsAreReportedNotFormatted() {
    let result = FlowFormatter.format(SourceFile(path: "t.flow", text: "flow f {\n  wait 3days\n"))
    guard case .failure(let errors) = result else {
      Issue.record("formatted a file with syntax errors")
      return
    }
    #expect(errors.diagnostics.map(\.code) == [.malformedDuration, .expectedToken])
  }

  @Test func emptyAndBlankFilesFormatToNothing() {
    #expect(format("") == "")
    #expect(format(" \n\n\t\n") == "")
  }

  @Test func byteOrderMarkAndCarriageReturnsGo() {
    #expect(
      format("\u{FEFF}field a: date\r\n\r\n\r\nfield b: date  // why\r\n")
        == "field a: date\n\nfield b: date // why\n")
  }

  @Test func blankLinesAtBlockEdgesGo() {
    #expect(
      format("flow f {\n\n  trigger member_joined\n\n\n  wait 1d\n\n}\n")
        == "flow f {\n  trigger member_joined\n\n  wait 1d\n}\n")
  }

  @Test func parenthesesOnlyWherePrecedenceNeedsThem() {
    #expect(format("field x: number = (5)") == "field x: number = 5\n")
    #expect(format("segment s = ((not (a)) and (b or c))") == "segment s = not a and (b or c)\n")
    #expect(format("segment s = not (a and b) == c") == "segment s = not (a and b) == c\n")
    #expect(
      format("segment s = (a before 3d ago) == (b has \"x\")")
        == "segment s = (a before 3d ago) == (b has \"x\")\n")
  }

  @Test func deepestAcceptedNestingFormats() {
    let depth = Parser.maxDepth
    let parens = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
    #expect(format("segment s = \(parens)") == "segment s = a\n")
    let chain = "segment s = a" + String(repeating: " and a", count: Parser.maxOperators) + "\n"
    #expect(format(chain) == chain)
    let ifs =
      String(repeating: "if a {\n", count: depth - 1) + String(repeating: "}\n", count: depth - 1)
    let formatted = format("flow f {\ntrigger member_joined\n\(ifs)}")
    #expect(formatted?.contains("\n" + String(repeating: "  ", count: depth - 1) + "}\n") == true)
    #expect(formatted.flatMap(format) == formatted)
  }

  @Test func stringsAreEscapedCanonically() {
    #expect(
      format("tag \"a\\u{41}\\u{9}\\u{A}\\u{D}\" when s") == "tag \"aA\\t\\n\\u{D}\" when s\n")
  }
}
