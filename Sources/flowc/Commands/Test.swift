import FlowDiagnostics
import FlowTesting

/// `flowc test`: run `.flowtest` scenarios against the real interpreter.
enum Test: Command {
  static let name = "test"
  static let summary = "Run .flowtest scenarios against the flows on a virtual clock."
  static let synopsis =
    "flowc test [PATHS...] [--flows DIR] [--templates DIR] [--shop FILE] [--format text|json]"
  static let discussion = """
    PATHS are .flowtest files or folders of them (default: the tests folder of
    --flows, else Flows/tests). Each scenario runs on its own throwaway store:
    members join, events happen and the clock advances as the scenario says,
    then its expectations are checked.
    A file in a 'tests' folder tests the flows in the folder above it, with
    Templates/ and shop.json beside that (--flows, --templates and --shop
    override). Times are UTC unless followed by a zone (Europe/Berlin).
    Prints one PASS or FAIL line per scenario and 'N passed, M failed'. Exits 0
    when all pass, 1 when one fails or the flows have errors, 2 on a usage or
    I/O error or a malformed scenario file. See Docs/testing.md.
    """
  static let options: [OptionSpec] = [
    .value("flows", "DIR", "Folder of .flow files the scenarios test."),
    .value("templates", "DIR", "Liquid templates folder (default: Templates beside the flows)."),
    .value("shop", "FILE", "Shop settings JSON (default: shop.json beside the flows)."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    let flows = arguments.value("flows")
    let paths =
      arguments.positionals.isEmpty ? [(flows ?? "Flows") + "/tests"] : arguments.positionals
    let options = ScenarioSuite.Options(
      flows: flows, templates: arguments.value("templates"),
      shop: arguments.value("shop"))
    let renderer = TextRenderer(colored: terminal.colorOnStandardError)
    switch try ScenarioSuite.run(paths: paths, options: options) {
    case .invalid(let diagnostics, let files):
      if format == .json {
        terminal.out(JSONRenderer().render(diagnostics, files: files) + "\n")
      } else {
        terminal.err(renderer.render(diagnostics, files: files))
      }
      let count = diagnostics.count
      terminal.err("\(count) problem\(count == 1 ? "" : "s") in the scenarios; nothing was run\n")
      return 2
    case .flowErrors(let diagnostics, let files):
      terminal.err(renderer.render(diagnostics, files: files))
      terminal.err("the flows have errors; no scenario was run\n")
      return 1
    case .ran(let results):
      terminal.out(format == .json ? TestReport.json(results) : TestReport.text(results))
      return results.allSatisfy(\.passed) ? 0 : 1
    }
  }
}
