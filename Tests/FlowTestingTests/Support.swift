import Foundation

@testable import FlowTesting

/// The package root, found from this file's path (`Tests/FlowTestingTests/`).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The repository's flows, templates and shop settings.
let repositoryProject = ScenarioSuite.Options(
  flows: packageRoot.appendingPathComponent("Flows").path,
  templates: packageRoot.appendingPathComponent("Templates").path,
  shop: packageRoot.appendingPathComponent("shop.json").path)

/// A `.flowtest` file in a fresh temporary folder, removed on deinit.
final class ScenarioFile {
  let path: String

  init(_ text: String) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("flowtest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    path = folder.appendingPathComponent("case.flowtest").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  deinit {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
  }

  /// Runs the file against the repository's flows.
  func run() throws -> ScenarioSuite.Outcome {
    try ScenarioSuite.run(paths: [path], options: repositoryProject)
  }
}
