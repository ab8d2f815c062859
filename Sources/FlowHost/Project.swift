import COpenSSL
import FlowCheck
import FlowDiagnostics
import FlowIR
import FlowRuntime
import Foundation

/// A flow project on disk: `.flow` files and Liquid templates, compiled.
public struct Project {
  public var files: [SourceFile]
  public var diagnostics: [Diagnostic]
  public var program: Program?
  public var templates: TemplateLibrary?
  /// A hash of the compiled program; instances record the version they entered.
  public var version: String

  /// Reads every `.flow` file under the given paths (files or folders) and the
  /// templates folder, and compiles them. Throws only for I/O problems;
  /// mistakes in the flows are diagnostics.
  public static func load(paths: [String], templatesDirectory: String) throws -> Project {
    let files = try flowFiles(paths).map { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw HostError("cannot read '\(path)'")
      }
      return SourceFile(path: path, bytes: Array(data))
    }
    let templateSources = try readTemplates(templatesDirectory)
    var templates: TemplateLibrary?
    var templateError: String?
    do {
      templates = try TemplateLibrary(files: templateSources)
    } catch {
      templateError = "\(templatesDirectory)/\(error)"
    }
    let available = Set(
      templateSources.keys.filter { $0.hasSuffix(".html.liquid") }
        .map { String($0.dropLast(".html.liquid".count)) })
    let result = compileProgram(files: files, templates: available)
    if let templateError { throw HostError(templateError) }
    return Project(
      files: files, diagnostics: result.diagnostics, program: result.program,
      templates: templates, version: result.program.map(Self.version) ?? "")
  }

  /// All `.flow` files named, or anywhere inside the named folders (hidden
  /// folders skipped), sorted by path.
  static func flowFiles(_ paths: [String]) throws -> [String] {
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
      let found = FileManager.default.enumerator(
        at: URL(fileURLWithPath: base), includingPropertiesForKeys: nil,
        options: [.skipsHiddenFiles])
      var inFolder: [String] = []
      while let url = found?.nextObject() as? URL {
        guard url.pathExtension == "flow" else { continue }
        let relative = url.path.dropFirst(URL(fileURLWithPath: base).path.count)
        inFolder.append(base + relative)
      }
      result += inFolder.sorted()
    }
    return result
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

  /// The first 16 hex digits of the SHA-256 of the program's canonical JSON.
  static func version(of program: Program) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(program)) ?? Data()
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    data.withUnsafeBytes { buffer in
      _ = SHA256(buffer.bindMemory(to: UInt8.self).baseAddress, buffer.count, &digest)
    }
    return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
  }
}
