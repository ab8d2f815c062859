import FlowCheck
import FlowDiagnostics
import Foundation
import Templates

/// Locates and reads the golden fixtures beside this file.
enum Fixtures {
  /// `Tests/FlowCheckTests/Fixtures`, found from this source file's path.
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The repository root (for Docs/ and Grammar/).
  static let packageRoot = directory.deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Templates every fixture may use.
  static let templates: Set<String> = [
    "welcome", "welcome-offer", "birthday", "winback-a", "winback-b", "cart", "cart-offer",
  ]

  /// Base names of the error fixtures (`<name>.flow` directly in Fixtures/).
  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.hasSuffix(".flow") }.map { String($0.dropLast(5)) }.sorted()
  }()

  /// Compiles `<name>.flow` with the shared template names, plus the
  /// templates in a sibling `<name>.templates/` folder, which are parsed and
  /// checked. Returns the result and every file its diagnostics may name.
  static func compile(_ name: String) throws -> (CompileResult, [SourceFile]) {
    var files = [try source("\(name).flow")]
    var summaries = Dictionary(
      uniqueKeysWithValues: templates.map { ($0, TemplateSummary.unchecked) })
    let folder = "\(name).templates"
    let names =
      (try? FileManager.default.contentsOfDirectory(
        atPath: directory.appendingPathComponent(folder).path)) ?? []
    var parsed: [String: (template: Template, file: Int)] = [:]
    for fileName in names.sorted() where fileName.hasSuffix(".liquid") {
      let file = try source("\(folder)/\(fileName)")
      parsed[fileName] = (try Template(source: file.text, name: fileName), files.count)
      files.append(file)
    }
    for (fileName, html) in parsed where fileName.hasSuffix(".html.liquid") {
      let base = String(fileName.dropLast(".html.liquid".count))
      summaries[base] = TemplateSummary(
        html: html.template, htmlFile: html.file, text: parsed["\(base).txt.liquid"])
    }
    return (compileProgram(files: [files[0]], templates: summaries), files)
  }

  static func source(_ relativePath: String) throws -> SourceFile {
    let data = try Data(contentsOf: directory.appendingPathComponent(relativePath))
    return SourceFile(path: relativePath, bytes: Array(data))
  }

  /// Compares `actual` with the golden file, or rewrites it under
  /// `FLOW_UPDATE_GOLDENS=1`. Returns nil when they match.
  static func compareGolden(_ actual: String, _ goldenName: String) throws -> String? {
    let url = directory.appendingPathComponent(goldenName)
    if ProcessInfo.processInfo.environment["FLOW_UPDATE_GOLDENS"] == "1" {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return "missing golden \(goldenName); run with FLOW_UPDATE_GOLDENS=1"
    }
    return expected == actual
      ? nil : "golden \(goldenName) differs:\n--- expected\n\(expected)\n--- actual\n\(actual)"
  }
}
