import FlowDiagnostics
import FlowHost

/// `flowc check`: compile the flows and report every problem.
enum Check: Command {
  static let name = "check"
  static let summary = "Check .flow files for mistakes without running anything."
  static let synopsis =
    "flowc check [PATHS...] [--templates DIR] [--format text|json|github|sarif] [--timings]"
  static let discussion = """
    PATHS are .flow files or folders of them (default: Flows). All files form one
    program. Exits 0 when there are no errors, 1 when there are, 2 on a usage or
    I/O error. --format github prints GitHub Actions annotations
    (::error file=...::message); --format sarif prints a SARIF 2.1.0 log for
    code-scanning upload. --timings prints the time spent reading, on
    templates, parsing and checking, on stderr.
    """
  static let options: [OptionSpec] = [
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("format", "FORMAT", "text (default), json, github or sarif."),
    .flag("timings", "Print the time each phase took on stderr."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.format(default: DiagnosticFormat.text)
    let paths = arguments.positionals.isEmpty ? ["Flows"] : arguments.positionals
    let project = try Project.load(
      paths: paths, templatesDirectory: arguments.value("templates") ?? "Templates")
    let diagnostics = project.diagnostics
    switch format {
    case .json:
      let json = JSONRenderer().render(diagnostics, files: project.files)
      terminal.out(json.hasSuffix("\n") ? json : json + "\n")
    case .github:
      terminal.out(GitHubRenderer().render(diagnostics, files: project.files))
    case .sarif:
      terminal.out(SARIFRenderer().render(diagnostics, files: project.files) + "\n")
    case .text:
      let renderer = TextRenderer(colored: terminal.colorOnStandardError)
      if !diagnostics.isEmpty { terminal.out(renderer.render(diagnostics, files: project.files)) }
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.filter { $0.severity == .warning }.count
      let flowCount = project.files.filter { $0.path.hasSuffix(".flow") }.count
      let files = "\(flowCount) file\(flowCount == 1 ? "" : "s")"
      if errors + warnings == 0 {
        terminal.err("checked \(files): no problems\n")
      } else {
        terminal.err(
          "checked \(files): \(errors) error\(errors == 1 ? "" : "s"), "
            + "\(warnings) warning\(warnings == 1 ? "" : "s")\n")
      }
    }
    if arguments.has("timings") {
      let phases = project.timings.phases
      let total = phases.reduce(0) { $0 + $1.seconds }
      let parts = phases.map { "\($0.name) \(milliseconds($0.seconds))" }
      terminal.err("timings: \(parts.joined(separator: ", ")), total \(milliseconds(total))\n")
    }
    return diagnostics.contains { $0.severity == .error } ? 1 : 0
  }

  private static func milliseconds(_ seconds: Double) -> String {
    "\(Int((seconds * 1000).rounded())) ms"
  }
}
