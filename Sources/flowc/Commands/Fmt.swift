import FlowDiagnostics
import FlowHost
import FlowSyntax
import Foundation

/// `flowc fmt`: rewrite `.flow` files in the one canonical layout.
enum Fmt: Command {
  static let name = "fmt"
  static let summary = "Rewrite .flow files in the canonical layout, keeping comments."
  static let synopsis = "flowc fmt [--check] PATHS... | flowc fmt [--check] -"
  static let discussion = """
    PATHS are .flow files or folders (every .flow file below them). Files whose
    layout changes are rewritten in place and listed on standard output. With
    --check nothing is written: the files that would change are listed, and the
    exit code is 1 if there are any. '-' (or --stdin) formats standard input to
    standard output. A file with syntax errors is left untouched; its errors are
    reported on standard error as by 'flowc check', and the exit code is 1.
    Exits 2 on a usage or I/O error. The layout is described in
    Docs/language.md under "Formatting".
    """
  static let options: [OptionSpec] = [
    .flag("check", "Change nothing; list the files that are not formatted, exit 1 if any."),
    .flag("stdin", "Format standard input to standard output (same as '-')."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let check = arguments.has("check")
    if arguments.has("stdin") || arguments.positionals == ["-"] {
      if arguments.has("stdin") { try arguments.expectNoPositionals() }
      return formatStandardInput(check: check, terminal)
    }
    if arguments.positionals.isEmpty {
      throw UsageError(message: "missing PATHS (.flow files or folders, or '-' for standard input)")
    }
    if arguments.positionals.contains("-") {
      throw UsageError(message: "'-' cannot be combined with other paths")
    }
    var exitCode: Int32 = 0
    for path in try Project.flowFiles(arguments.positionals) {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw HostError("cannot read '\(path)'")
      }
      let source = SourceFile(path: path, bytes: Array(data))
      switch FlowFormatter.format(source) {
      case .failure(let errors):
        report(errors, in: source, terminal)
        exitCode = 1
      case .success(let formatted) where Array(formatted.utf8) != source.bytes:
        if check {
          exitCode = 1
        } else {
          try replaceContents(of: path, with: formatted)
        }
        terminal.out(path + "\n")
      case .success:
        break
      }
    }
    return exitCode
  }

  private static func formatStandardInput(check: Bool, _ terminal: Terminal) -> Int32 {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    let source = SourceFile(path: "<stdin>", bytes: Array(data))
    switch FlowFormatter.format(source) {
    case .failure(let errors):
      report(errors, in: source, terminal)
      return 1
    case .success(let formatted):
      guard check else {
        terminal.out(formatted)
        return 0
      }
      guard Array(formatted.utf8) != source.bytes else { return 0 }
      terminal.out(source.path + "\n")
      return 1
    }
  }

  private static func report(_ errors: SyntaxErrors, in source: SourceFile, _ terminal: Terminal) {
    let renderer = TextRenderer(colored: terminal.colorOnStandardError)
    terminal.err(renderer.render(errors.diagnostics, files: [source]))
  }

  /// Writes a temporary file beside `path` with the same permissions and
  /// renames it over `path`, so a crash never leaves a half-written file.
  private static func replaceContents(of path: String, with text: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).fmt-\(getpid())").path
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
      throw HostError("cannot write '\(temporary)'")
    }
    if let permissions = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
    {
      try? FileManager.default.setAttributes(
        [.posixPermissions: permissions], ofItemAtPath: temporary)
    }
    guard rename(temporary, path) == 0 else {
      try? FileManager.default.removeItem(atPath: temporary)
      throw HostError("cannot replace '\(path)': \(String(cString: strerror(errno)))")
    }
  }
}
