import FlowDiagnostics

/// A command's declared options: those that take a value and plain flags.
struct OptionSpec {
  var name: String
  var valueName: String?
  var help: String

  static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, valueName: valueName, help: help)
  }

  static func flag(_ name: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, valueName: nil, help: help)
  }
}

/// A mistake in how the command was called: exit code 2 with usage.
struct UsageError: Error {
  var message: String
}

/// Parsed command-line arguments: `--name value`, `--name=value`, `--flag`,
/// and positionals (everything after `--` is positional).
struct Arguments {
  private(set) var positionals: [String] = []
  private var values: [String: String] = [:]
  /// Every value given for each option, in order, for repeatable options.
  private var allValues: [String: [String]] = [:]
  private var flags: Set<String> = []

  init(_ words: ArraySlice<String>, options: [OptionSpec]) throws {
    let specs = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var iterator = words.makeIterator()
    var onlyPositionals = false
    while let word = iterator.next() {
      guard !onlyPositionals, word.hasPrefix("-"), word != "-" else {
        positionals.append(word)
        continue
      }
      if word == "--" {
        onlyPositionals = true
        continue
      }
      var name = String(word.drop { $0 == "-" })
      var inlineValue: String?
      if let equals = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      guard let spec = specs[name] else {
        let hint = Suggestion.closest(to: name, among: specs.keys).map {
          "; did you mean '--\($0)'?"
        }
        throw UsageError(message: "unknown option '\(word)'\(hint ?? "")")
      }
      if spec.valueName == nil {
        if inlineValue != nil { throw UsageError(message: "option '--\(name)' takes no value") }
        flags.insert(name)
      } else if let value = inlineValue ?? iterator.next() {
        values[name] = value
        allValues[name, default: []].append(value)
      } else {
        throw UsageError(message: "option '--\(name)' needs a value")
      }
    }
  }

  /// Fails on positional arguments, for commands that take none.
  func expectNoPositionals() throws {
    if let stray = positionals.first {
      throw UsageError(message: "unexpected argument '\(stray)'")
    }
  }

  func value(_ name: String) -> String? { values[name] }
  /// All values of a repeatable option (`--map a=b --map c=d`).
  func values(_ name: String) -> [String] { allValues[name] ?? [] }
  func has(_ name: String) -> Bool { flags.contains(name) }

  /// A required option's value.
  func required(_ name: String) throws -> String {
    guard let value = values[name] else { throw UsageError(message: "missing '--\(name)'") }
    return value
  }

  /// `--format text|json`, text by default.
  func outputFormat() throws -> OutputFormat { try format(default: .text) }

  /// `--format` as one of `F`'s cases (e.g. `DiagnosticFormat` for `check`);
  /// an unknown name is a usage error listing the valid ones.
  func format<F: CaseIterable & RawRepresentable>(default fallback: F) throws -> F
  where F.RawValue == String {
    guard let raw = values["format"] else { return fallback }
    guard let format = F(rawValue: raw) else {
      let names = F.allCases.map { "'\($0.rawValue)'" }
      let list = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
      throw UsageError(message: "unknown format '\(raw)'; use \(list)")
    }
    return format
  }
}

/// How a command prints its data.
enum OutputFormat: String, CaseIterable {
  case text
  case json
}

/// How `flowc check` prints diagnostics: the common formats plus GitHub
/// Actions workflow commands and SARIF 2.1.0.
enum DiagnosticFormat: String, CaseIterable {
  case text
  case json
  case github
  case sarif
}
