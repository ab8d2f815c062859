import FlowDiagnostics
import FlowHost

/// `flowc graph`: print one flow as a Mermaid or Graphviz diagram.
enum Graph: Command {
  static let name = "graph"
  static let summary = "Print one flow as a diagram (Mermaid or Graphviz DOT)."
  static let synopsis = "flowc graph FLOW [PATHS...] [--templates DIR] [--format mermaid|dot]"
  static let discussion = """
    FLOW is the name of a flow in the program compiled from PATHS (.flow files or
    folders, default: Flows). Prints a start node with the trigger, a node per
    step and an end node. Exits 0 on success, 1 when the flows have errors
    (printed as by 'flowc check'), 2 on an unknown flow, format or I/O error.
    """
  static let options: [OptionSpec] = [
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("format", "FORMAT", "mermaid (default) or dot."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try graphFormat(arguments)
    guard let flowName = arguments.positionals.first else {
      throw UsageError(message: "missing the name of a flow")
    }
    let rest = Array(arguments.positionals.dropFirst())
    let project = try Project.load(
      paths: rest.isEmpty ? ["Flows"] : rest,
      templatesDirectory: arguments.value("templates") ?? "Templates")
    guard let program = project.program,
      !project.diagnostics.contains(where: { $0.severity == .error })
    else {
      let renderer = TextRenderer(colored: terminal.colorOnStandardError)
      terminal.out(renderer.render(project.diagnostics, files: project.files))
      let errors = project.diagnostics.filter { $0.severity == .error }.count
      terminal.err("flowc graph: \(errors) error\(errors == 1 ? "" : "s") in the flows\n")
      return 1
    }
    guard let flow = program.flows.first(where: { $0.name == flowName }) else {
      let names = program.flows.map(\.name)
      let hint = Suggestion.closest(to: flowName, among: names).map { " (did you mean '\($0)'?)" }
      terminal.err("flowc graph: unknown flow '\(flowName)'\(hint ?? "")\n")
      return 2
    }
    terminal.out(FlowGraph(flow: flow).render(format))
    return 0
  }

  /// `--format mermaid|dot`, mermaid by default.
  private static func graphFormat(_ arguments: Arguments) throws -> FlowGraph.Format {
    guard let raw = arguments.value("format") else { return .mermaid }
    guard let format = FlowGraph.Format(rawValue: raw) else {
      throw UsageError(message: "unknown format '\(raw)'; use 'mermaid' or 'dot'")
    }
    return format
  }
}
