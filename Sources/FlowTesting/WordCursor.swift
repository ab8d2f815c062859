import FlowDiagnostics

/// A mistake in a scenario file at one place; becomes an FL8001 diagnostic.
struct ScenarioProblem: Error {
  var message: String
  var span: Span
  var help: String?

  var diagnostic: Diagnostic { Diagnostic(.invalidScenario, message, at: span, help: help) }
}

/// Reads one line's words left to right, failing with a message that says
/// what was expected where.
struct WordCursor {
  private let line: WordLine
  private var index = 0

  init(_ line: WordLine) { self.line = line }

  var peek: Word? { index < line.words.count ? line.words[index] : nil }

  /// The next word, whatever it is; `what` names it in the error at the line's end.
  mutating func next(_ what: String) throws -> Word {
    guard let word = peek else {
      throw ScenarioProblem(message: "expected \(what)", span: line.end)
    }
    index += 1
    return word
  }

  /// The next word as a bare name (not a quoted string).
  mutating func name(_ what: String) throws -> Located<String> {
    let word = try next(what)
    guard !word.isQuoted else {
      throw ScenarioProblem(message: "expected \(what), not a quoted string", span: word.span)
    }
    return Located(value: word.text, span: word.span)
  }

  /// The next word as a quoted string.
  mutating func string(_ what: String) throws -> Located<String> {
    let word = try next(what)
    guard word.isQuoted else {
      throw ScenarioProblem(
        message: "expected \(what) in double quotes", span: word.span,
        help: "write \"\(word.text)\"")
    }
    return Located(value: word.text, span: word.span)
  }

  /// Consumes `keyword` or fails.
  mutating func expect(_ keyword: String) throws {
    let word = try next("'\(keyword)'")
    guard !word.isQuoted, word.text == keyword else {
      throw ScenarioProblem(message: "expected '\(keyword)', found '\(word.text)'", span: word.span)
    }
  }

  /// Consumes `keyword` when it is next.
  mutating func take(_ keyword: String) -> Bool {
    guard let word = peek, !word.isQuoted, word.text == keyword else { return false }
    index += 1
    return true
  }

  /// Fails if words are left over.
  func finish() throws {
    if let extra = peek {
      throw ScenarioProblem(
        message: "unexpected '\(extra.text)' at the end of the line", span: extra.span)
    }
  }
}
