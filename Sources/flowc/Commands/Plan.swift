import FlowDiagnostics
import FlowHost

/// `flowc plan`: what `flowc run` would do to members inside changed flows.
enum Plan: Command {
  static let name = "plan"
  static let summary = "Show what loading the flows would do to members already inside them."
  static let synopsis =
    "flowc plan --db DB [FLOWS_DIR] [--templates DIR] [--shop FILE] [--format text|json] "
    + "[--verbose]"
  static let discussion = """
    Compares the flows in FLOWS_DIR (default: Flows) with the versions the
    store's active flow instances entered. Per changed flow it counts members
    who resume where they are (their step still exists), move (their step is a
    wait whose timing changed; the resume time is recomputed from when they
    entered it) and leave (their step or flow is gone), and lists new flows with
    their triggers. 'flowc run' applies exactly this plan when it starts.
    --verbose lists every moved or leaving instance. Changes nothing.

    Exit status, as 'terraform plan -detailed-exitcode': 0 no changes,
    1 error (flow errors, usage, I/O), 2 changes.
    """
  static let options: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates)."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json when present)."),
    .value("format", "FORMAT", "text (default) or json."),
    .flag("verbose", "List each moved or leaving instance."),
  ]
  static let errorExitCode: Int32 = 1

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    let database = try arguments.required("db")
    guard arguments.positionals.count <= 1 else {
      throw UsageError(message: "unexpected argument '\(arguments.positionals[1])'")
    }
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let project = try Project.load(
      paths: [arguments.positionals.first ?? "Flows"],
      templatesDirectory: arguments.value("templates") ?? "Templates")
    guard project.program != nil else {
      terminal.err(
        TextRenderer(colored: terminal.colorOnStandardError).render(
          project.diagnostics, files: project.files))
      terminal.err("the flows have errors; nothing was planned\n")
      return 1
    }
    let plan = try DeployPlan.read(
      databasePath: database, project: project, shopZone: shop.timezone)
    let verbose = arguments.has("verbose")
    terminal.out(format == .json ? try plan.json(verbose: verbose) : plan.text(verbose: verbose))
    return plan.hasChanges ? 2 : 0
  }
}
