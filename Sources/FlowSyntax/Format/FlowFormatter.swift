import FlowDiagnostics

/// The one canonical layout of a `.flow` file (`flowc fmt`); the layout rules
/// are listed under "Formatting" in Docs/language.md.
package enum FlowFormatter {
  /// `source` in the canonical layout, comments kept; or, when it has syntax
  /// errors, those errors (a file is only formatted when it parses cleanly,
  /// so nothing the parser skipped can be lost).
  package static func format(_ source: SourceFile) -> Result<String, SyntaxErrors> {
    let bytes = source.bytes
    let lexed = Lexer.tokenizeKeepingComments(bytes, file: 0)
    let (syntax, problems) = Parser.parseProblems(
      bytes, file: 0, tokens: lexed.tokens, lexProblems: lexed.problems)
    guard problems.isEmpty else { return .failure(SyntaxErrors(problems.map(\.diagnostic))) }
    var printer = Printer(bytes: bytes, tokens: lexed.tokens, comments: lexed.comments)
    printer.printFile(syntax)
    return .success(printer.text)
  }
}

/// Why a file was not formatted: its syntax errors, with spans in file 0.
package struct SyntaxErrors: Error {
  package let diagnostics: [Diagnostic]

  init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
