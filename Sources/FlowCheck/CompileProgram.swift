import FlowDiagnostics
import FlowIR
import FlowSyntax

/// The result of compiling a program: the IR when there were no errors, and
/// every diagnostic, sorted by file path and then position.
public struct CompileResult: Sendable {
  /// The checked program; nil if any diagnostic is an error.
  public var program: Program?
  public var diagnostics: [Diagnostic]
  /// Time spent parsing and checking.
  public var timings = PhaseTimings()

  /// Creates a result.
  public init(program: Program?, diagnostics: [Diagnostic]) {
    self.program = program
    self.diagnostics = diagnostics
  }
}

/// Parses, checks and lowers all `.flow` files of a project.
///
/// Names are global to the program, so every file is parsed and every
/// declaration collected before anything is checked. `templates` holds what
/// the checker needs to know of each template that exists, by base name
/// (`"welcome"` for `Templates/welcome.html.liquid`); diagnostics about a
/// template's own text point past `files`, at the file indexes the summaries
/// carry. Never throws: problems come back as diagnostics, even for binary or
/// truncated input.
public func compileProgram(files: [SourceFile], templates: [String: TemplateSummary])
  -> CompileResult
{
  var timings = PhaseTimings()
  // Files parse independently, so on all cores; checking needs them all.
  var syntaxes: [FileSyntax] = []
  var diagnostics: [Diagnostic] = []
  timings.measure("parse") {
    let parsed = concurrentMap(Array(files.enumerated())) { index, file in
      Parser.parse(file, file: index)
    }
    for (syntax, found) in parsed {
      syntaxes.append(syntax)
      diagnostics += found
    }
  }
  var problems: [CheckProblem] = []
  let program = timings.measure("check") {
    ProgramChecker(templates: templates).check(syntaxes, &problems)
  }
  releaseInBackground(consume syntaxes)
  diagnostics += problems.map(\.diagnostic)
  diagnostics.sort { a, b in
    // Template files, beyond `files`, come after the flows in file order.
    let pathA = files.indices.contains(a.span.file) ? files[a.span.file].path : nil
    let pathB = files.indices.contains(b.span.file) ? files[b.span.file].path : nil
    if pathA != pathB {
      guard let pathA else { return false }
      guard let pathB else { return true }
      return pathA < pathB
    }
    if a.span.file != b.span.file { return a.span.file < b.span.file }
    if a.span.start != b.span.start { return a.span.start < b.span.start }
    if a.span.end != b.span.end { return a.span.end < b.span.end }
    return a.code < b.code
  }
  var result = CompileResult(
    program: diagnostics.containsErrors ? nil : program, diagnostics: diagnostics)
  result.timings = timings
  return result
}

/// Compiles with templates known only by name: their text is not checked.
public func compileProgram(files: [SourceFile], templates: Set<String>) -> CompileResult {
  compileProgram(
    files: files, templates: Dictionary(uniqueKeysWithValues: templates.map { ($0, .unchecked) }))
}
