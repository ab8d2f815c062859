import Foundation

/// Standard output and error, and whether to use color on them.
struct Terminal {
  /// Color only on a terminal, and never when NO_COLOR is set (no-color.org).
  let colorOnStandardError: Bool
  let standardErrorIsTerminal: Bool

  init() {
    let environment = ProcessInfo.processInfo.environment
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    standardErrorIsTerminal = isatty(STDERR_FILENO) == 1
    colorOnStandardError = !noColor && standardErrorIsTerminal
  }

  func out(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  func err(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// A progress line for long work; only on a terminal, overwritten in place.
  func progress(_ text: String) {
    guard standardErrorIsTerminal else { return }
    err("\r\u{1B}[2K" + text)
  }

  func endProgress() {
    guard standardErrorIsTerminal else { return }
    err("\r\u{1B}[2K")
  }
}
