/// One `flowc` subcommand.
protocol Command: Sendable {
  static var name: String { get }
  /// One line for `flowc --help`.
  static var summary: String { get }
  /// The synopsis: `flowc check [PATHS...] [options]`.
  static var synopsis: String { get }
  /// More lines for `flowc NAME --help`.
  static var discussion: String { get }
  static var options: [OptionSpec] { get }
  /// Runs the command; returns the exit code (0 ok, 1 findings).
  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32
  /// The exit code for a usage or I/O error.
  static var errorExitCode: Int32 { get }
}

extension Command {
  static var discussion: String { "" }
  static var errorExitCode: Int32 { 2 }

  /// The text `--help` prints.
  static var help: String {
    var lines = ["\(summary)", "", "usage: \(synopsis)"]
    if !discussion.isEmpty { lines += ["", discussion] }
    let all = options + [.flag("help", "Show this help.")]
    let labels = all.map { "--\($0.name)" + ($0.valueName.map { " \($0)" } ?? "") }
    let width = labels.map(\.count).max() ?? 0
    lines += ["", "options:"]
    for (label, option) in zip(labels, all) {
      lines.append(
        "  " + label + String(repeating: " ", count: width - label.count + 2) + option.help)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
