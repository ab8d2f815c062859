import COpenSSL
import FlowCheck
import FlowDiagnostics
import FlowIR
import FlowRuntime
import Foundation
import Templates

/// A flow project on disk: `.flow` files and Liquid templates, compiled.
public struct Project {
  public var files: [SourceFile]
  public var diagnostics: [Diagnostic]
  public var program: Program?
  public var templates: TemplateLibrary?
  /// Where loading spent its time: read, templates, parse, check.
  public var timings = PhaseTimings()

  /// Reads every `.flow` file under the given paths (files or folders) and the
  /// templates folder, and compiles them. Throws only for I/O problems;
  /// mistakes in the flows are diagnostics.
  public static func load(paths: [String], templatesDirectory: String) throws -> Project {
    var timings = PhaseTimings()
    let files = try timings.measure("read") {
      try flowFiles(paths).map { path in
        guard let data = FileManager.default.contents(atPath: path) else {
          throw HostError("cannot read '\(path)'")
        }
        return SourceFile(path: path, bytes: Array(data))
      }
    }
    let templateSources = try timings.measure("read") { try readTemplates(templatesDirectory) }
    var allFiles = files
    var diagnostics: [Diagnostic] = []
    let (parsed, summaries) = timings.measure("templates") {
      parseTemplates(templateSources, in: templatesDirectory, &allFiles, &diagnostics)
    }
    let result = compileProgram(files: files, templates: summaries)
    diagnostics = result.diagnostics + diagnostics
    let templatesParse = parsed.count == templateSources.count
    var templates = templatesParse ? TemplateLibrary(parsed: parsed.mapValues(\.template)) : nil
    templates?.addImages(try readImages("\(templatesDirectory)/images"))
    let program = templatesParse ? result.program : nil
    timings.append(result.timings)
    var project = Project(
      files: allFiles, diagnostics: diagnostics, program: program, templates: templates)
    project.timings = timings
    return project
  }

  /// Parses every template once: a broken one is reported at its own line
  /// and column (its file joins `files`), the others are kept and summarized
  /// for the checker by template base name.
  private static func parseTemplates(
    _ sources: [String: String], in directory: String, _ files: inout [SourceFile],
    _ diagnostics: inout [Diagnostic]
  ) -> (parsed: [String: (template: Template, file: Int)], summaries: [String: TemplateSummary]) {
    var parsed: [String: (template: Template, file: Int)] = [:]
    for name in sources.keys.sorted() {
      guard let source = sources[name] else { continue }
      files.append(SourceFile(path: "\(directory)/\(name)", text: source))
      do {
        parsed[name] = (try Template(source: source, name: name), files.count - 1)
      } catch {
        let offset = UInt32(byteOffset(line: error.line, column: error.column, in: source))
        diagnostics.append(
          Diagnostic(
            .templateSyntax, "template '\(name)' is not valid Liquid",
            at: Span(file: files.count - 1, start: offset, end: offset + 1),
            label: error.message))
      }
    }
    var summaries: [String: TemplateSummary] = [:]
    for name in sources.keys {
      guard let base = TemplateLibrary.defaultName(ofFile: name) else { continue }
      summaries[base] =
        parsed[name].map {
          TemplateSummary(html: $0.template, htmlFile: $0.file, text: parsed["\(base).txt.liquid"])
        } ?? .unchecked
    }
    return (parsed, summaries)
  }

  /// The UTF-8 offset of a 1-based line and character column, clamped to the text.
  static func byteOffset(line: Int, column: Int, in text: String) -> Int {
    var offset = 0
    var currentLine = 1
    var characters = text.makeIterator()
    while currentLine < line, let character = characters.next() {
      offset += character.utf8.count
      if character.isNewline { currentLine += 1 }
    }
    var remaining = max(0, column - 1)
    while remaining > 0, let character = characters.next(), !character.isNewline {
      offset += character.utf8.count
      remaining -= 1
    }
    return offset
  }

  /// All `.flow` files named, or anywhere inside the named folders (hidden
  /// folders skipped), sorted by path.
  public static func flowFiles(_ paths: [String]) throws -> [String] {
    try files(paths, withExtension: "flow")
  }

  /// The files named, and those with the extension anywhere inside the named
  /// folders (hidden folders skipped), each folder's sorted by path; a folder
  /// without any is an error when `requireSome` is set.
  public static func files(
    _ paths: [String], withExtension pathExtension: String, requireSome: Bool = false
  ) throws -> [String] {
    var result: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw HostError("no such file or folder '\(path)'")
      }
      guard isDirectory.boolValue else {
        result.append(path)
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      let basePath = URL(fileURLWithPath: base).path
      let found = FileManager.default.enumerator(
        at: URL(fileURLWithPath: base), includingPropertiesForKeys: nil,
        options: [.skipsHiddenFiles])
      var inFolder: [String] = []
      while let url = found?.nextObject() as? URL {
        guard url.pathExtension == pathExtension else { continue }
        inFolder.append(base + url.path.dropFirst(basePath.count))
      }
      if requireSome, inFolder.isEmpty {
        throw HostError("no .\(pathExtension) files in '\(path)'")
      }
      result += inFolder.sorted()
    }
    return result
  }

  /// The files of the templates' images folder, by name (none if it is absent).
  private static func readImages(_ directory: String) throws -> [String: [UInt8]] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return [:]
    }
    var images: [String: [UInt8]] = [:]
    for name in names where !name.hasPrefix(".") {
      guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
        throw HostError("cannot read '\(directory)/\(name)'")
      }
      images[name] = Array(data)
    }
    return images
  }

  private static func readTemplates(_ directory: String) throws -> [String: String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return [:]
    }
    var sources: [String: String] = [:]
    for name in names where name.hasSuffix(".liquid") {
      guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
        throw HostError("cannot read '\(directory)/\(name)'")
      }
      sources[name] = String(decoding: data, as: UTF8.self)
    }
    return sources
  }

  /// The compiled program as canonical JSON (sorted keys), as the store keeps
  /// it, and its version: a hash of that text. Only running needs them, so
  /// `check` does not pay for encoding a large program.
  public func versionedIR() throws -> (ir: String, version: String) {
    guard let program else { throw HostError("the flows have errors") }
    let ir = try Self.canonicalJSON(program)
    return (ir, Self.version(of: ir))
  }

  /// Each flow's canonical JSON and version, by flow name. A flow's version
  /// depends on its own IR only, so editing one flow leaves the others' alone.
  public static func versionedFlows(of program: Program) throws -> [String: VersionedFlow] {
    var result: [String: VersionedFlow] = [:]
    for flow in program.flows {
      let ir = try Self.canonicalJSON(flow)
      result[flow.name] = VersionedFlow(ir: ir, version: Self.version(of: ir))
    }
    return result
  }

  static func canonicalJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// The first 16 hex digits of the SHA-256 of canonical JSON.
  static func version(of canonicalIR: String) -> String {
    let data = Array(canonicalIR.utf8)
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    data.withUnsafeBytes { buffer in
      _ = SHA256(buffer.bindMemory(to: UInt8.self).baseAddress, buffer.count, &digest)
    }
    return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
  }
}

/// A compiled flow as the store keeps it: canonical JSON and its hash.
public struct VersionedFlow: Sendable, Hashable {
  public var ir: String
  public var version: String
}
