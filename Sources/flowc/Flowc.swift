import FlowDiagnostics

/// The `flowc` command: dispatch to subcommands, help and exit codes.
enum Flowc {

  /// Every subcommand, in the order `flowc --help` lists them.
  static let commands: [any Command.Type] = [
    Check.self, Fmt.self, Form.self, Graph.self, Import.self, Members.self, Plan.self, Preview.self,
    Replay.self, Run.self, Test.self,
  ]

  static let version = "0.1.0"

  static func mainHelp() -> String {
    let width = commands.map { $0.name.count }.max() ?? 0
    let list = commands.map {
      "  " + $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.summary
    }
    return """
      flowc: compile and run email membership flows.

      usage: flowc COMMAND [options]

      commands:
      \(list.joined(separator: "\n"))

      Run 'flowc COMMAND --help' for a command's options.

      """
  }

  /// Runs one invocation and returns its exit code: 0 ok, 1 findings, 2 usage or I/O error
  /// (a command may choose another code for errors: `plan` uses 2 for "changes").
  static func run(_ words: [String], _ terminal: Terminal) -> Int32 {
    guard let first = words.first else {
      terminal.err(mainHelp())
      return 2
    }
    if first == "--help" || first == "-h" || first == "help" {
      guard first == "help", words.count > 1 else {
        terminal.out(mainHelp())
        return 0
      }
      guard let command = commands.first(where: { $0.name == words[1] }) else {
        terminal.err("flowc help: unknown command '\(words[1])'\n\n\(mainHelp())")
        return 2
      }
      terminal.out(command.help)
      return 0
    }
    if first == "--version" {
      terminal.out("flowc \(version)\n")
      return 0
    }
    guard let named = commands.first(where: { $0.name == first }) else {
      let hint = Suggestion.closest(to: first, among: commands.map { $0.name }).map {
        " (did you mean '\($0)'?)"
      }
      terminal.err("flowc: unknown command '\(first)'\(hint ?? "")\n\n\(mainHelp())")
      return 2
    }
    var command = named
    var label = named.name
    var rest = words.dropFirst()
    // `flowc members show ...`: the second word picks the subcommand.
    if command is Members.Type, let word = rest.first,
      let subcommand = Members.subcommands.first(where: { $0.name == word })
    {
      command = subcommand
      label += " " + word
      rest = rest.dropFirst()
    }
    if rest.contains("--help") || rest.contains("-h") {
      terminal.out(command.help)
      return 0
    }
    do {
      return try command.run(Arguments(rest, options: command.options), terminal)
    } catch let error as UsageError {
      terminal.err("flowc \(label): \(error.message)\nusage: \(command.synopsis)\n")
    } catch {
      terminal.err("flowc \(label): \(error)\n")
    }
    return command.errorExitCode
  }

}
