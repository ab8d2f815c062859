import FlowDiagnostics
import Testing

@Suite struct RendererTests {
  private let file = SourceFile(
    path: "Flows/welcome.flow",
    text: "flow winback {\n\n  trigger enters segment lapsng\n}\n")

  private var diagnostic: Diagnostic {
    Diagnostic(
      .unknownSegment, "unknown segment 'lapsng'", at: Span(file: 0, start: 41, end: 47),
      label: "not defined", help: "did you mean 'lapsing'?")
  }

  @Test func textMatchesTheSpecifiedLayout() {
    #expect(
      TextRenderer().render([diagnostic], files: [file]) == """
        Flows/welcome.flow:3:26: error[FL2003]: unknown segment 'lapsng'
          |
        3 |   trigger enters segment lapsng
          |                          ^^^^^^ not defined
          = help: did you mean 'lapsing'?

        """)
  }

  /// Found by `scripts/fuzz-compiler`: a file ending in a lone "\r" put the
  /// end-of-file diagnostic past its line, and the renderer sliced out of range.
  @Test func diagnosticAtEndOfFileAfterLoneCarriageReturn() throws {
    let source = SourceFile(path: "fuzz.flow", bytes: Array("flow\r".utf8))
    let atEnd = Diagnostic(
      .expectedToken, "expected a flow name, found end of file",
      at: Span(file: 0, start: 5, end: 5))
    #expect(
      TextRenderer().render([atEnd], files: [source]) == """
        fuzz.flow:1:6: error[FL1001]: expected a flow name, found end of file
          |
        1 | flow
          |     ^

        """)
  }

  @Test func colorWrapsHeaderAndCarets() {
    let text = TextRenderer(colored: true).render([diagnostic], files: [file])
    #expect(text.contains("\u{1B}[1;31merror[FL2003]\u{1B}[0m"))
    #expect(text.contains("\u{1B}[1;31m^^^^^^\u{1B}[0m"))
  }

  @Test func jsonHasStableKeysAndExclusiveEnd() {
    #expect(
      JSONRenderer().render([diagnostic], files: [file])
        == #"{"diagnostics":[{"code":"FL2003","severity":"error","message":"unknown segment 'lapsng'","file":"Flows/welcome.flow","line":3,"column":26,"endLine":3,"endColumn":32,"label":"not defined","help":"did you mean 'lapsing'?","notes":[]}]}"#
    )
  }

  @Test func columnsCountCharactersNotBytes() {
    let source = SourceFile(path: "a.flow", text: "tag \"é\" when x\n")
    let d = Diagnostic(
      .unknownSegment, "unknown segment 'x'", at: Span(file: 0, start: 14, end: 15))
    #expect(JSONRenderer().render([d], files: [source]).contains(#""line":1,"column":14,"#))
  }

  @Test func jsonEscapesControlCharacters() {
    let d = Diagnostic(.internalError, "a\"b\\c\n\u{1}", at: Span(file: 0, start: 0, end: 0))
    #expect(JSONRenderer().render([d], files: [file]).contains(#""message":"a\"b\\c\n\u0001""#))
  }
}
