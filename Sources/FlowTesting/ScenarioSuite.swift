import FlowDiagnostics
import FlowHost
import Foundation

/// One scenario's result.
public struct ScenarioResult: Sendable {
  public var name: String
  /// The `scenario` line.
  public var origin: SourceLine
  public var failures: [ExpectationFailure]

  public var passed: Bool { failures.isEmpty }
}

/// Finds `.flowtest` files, loads the project each one tests, checks every
/// scenario, and runs them only when all of them are well formed.
public enum ScenarioSuite {
  /// Where the flows, templates and shop settings come from; nil means the
  /// default for each test file (see `flowsFolder(for:)`).
  public struct Options: Sendable {
    public var flows: String?
    public var templates: String?
    public var shop: String?

    public init(flows: String? = nil, templates: String? = nil, shop: String? = nil) {
      self.flows = flows
      self.templates = templates
      self.shop = shop
    }
  }

  public enum Outcome {
    /// Some scenario file is malformed or names what the program lacks; nothing ran.
    case invalid([Diagnostic], files: [SourceFile])
    /// The flows themselves do not compile; nothing ran.
    case flowErrors([Diagnostic], files: [SourceFile])
    case ran([ScenarioResult])
  }

  /// Runs the scenarios in `paths` (`.flowtest` files, or folders searched for them).
  /// Throws for I/O problems: a missing path, no scenario files, unreadable settings.
  public static func run(paths: [String], options: Options) throws -> Outcome {
    let paths = try scenarioFiles(paths)
    let files = try paths.map { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw HostError("cannot read '\(path)'")
      }
      return SourceFile(path: path, bytes: Array(data))
    }
    var diagnostics: [Diagnostic] = []
    var planned: [(Scenario, ScenarioProject)] = []
    var projects: [String: ScenarioProject] = [:]
    for (index, file) in files.enumerated() {
      let parsed = ScenarioParser.parse(file, fileIndex: index)
      diagnostics += parsed.diagnostics
      guard !parsed.scenarios.isEmpty else { continue }
      let folder = options.flows ?? flowsFolder(for: file.path)
      let project: ScenarioProject
      if let loaded = projects[folder] {
        project = loaded
      } else {
        switch try load(folder, options) {
        case .success(let loaded): project = loaded
        case .failure(let errors): return .flowErrors(errors.diagnostics, files: errors.files)
        }
        projects[folder] = project
      }
      let checker = ScenarioChecker(program: project.program)
      for scenario in parsed.scenarios {
        diagnostics += checker.check(scenario)
        planned.append((scenario, project))
      }
    }
    guard diagnostics.isEmpty else { return .invalid(diagnostics, files: files) }
    return .ran(
      try planned.map { scenario, project in
        let trace = try ScenarioRunner(project: project).run(scenario)
        let judge = ExpectationJudge(program: project.program, trace: trace)
        return ScenarioResult(
          name: scenario.name, origin: scenario.origin,
          failures: judge.failures(scenario.expectations))
      })
  }

  /// The flows a test file exercises: the folder above a `tests` folder
  /// (`Flows/tests/x.flowtest` tests `Flows`), else the file's own folder.
  static func flowsFolder(for path: String) -> String {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    let flows = folder.lastPathComponent == "tests" ? folder.deletingLastPathComponent() : folder
    return flows.path
  }

  /// All files named, and the `.flowtest` files anywhere in the named folders, sorted.
  static func scenarioFiles(_ paths: [String]) throws -> [String] {
    try Project.files(paths, withExtension: "flowtest", requireSome: true)
  }

  private struct FlowErrors: Error {
    var diagnostics: [Diagnostic]
    var files: [SourceFile]
  }

  /// The project in `folder`, with `Templates/` and `shop.json` beside it
  /// unless the options name others, as `flowc run --flows folder` loads it.
  private static func load(_ folder: String, _ options: Options) throws -> Result<
    ScenarioProject, FlowErrors
  > {
    let root = URL(fileURLWithPath: folder).deletingLastPathComponent()
    let project = try Project.load(
      paths: [folder],
      templatesDirectory: options.templates ?? root.appendingPathComponent("Templates").path)
    guard let program = project.program, let templates = project.templates else {
      return .failure(FlowErrors(diagnostics: project.diagnostics, files: project.files))
    }
    let shopPath = options.shop ?? root.appendingPathComponent("shop.json").path
    let shop =
      options.shop != nil || FileManager.default.fileExists(atPath: shopPath)
      ? try ShopConfig.load(path: shopPath) : ShopConfig.demo
    return .success(
      ScenarioProject(
        program: program, versions: try Project.versionedFlows(of: program).mapValues(\.version),
        templates: templates, shop: shop))
  }
}
