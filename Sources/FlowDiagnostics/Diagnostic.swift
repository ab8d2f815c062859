/// A problem found in the program, with everything a renderer needs.
///
/// The message is one lower-case clause; longer explanations go in `notes`,
/// remedies in `help`. Text and JSON output both come from this value.
public struct Diagnostic: Sendable, Hashable {
  /// A secondary remark, optionally pointing at another place in the sources.
  public struct Note: Sendable, Hashable {
    public var message: String
    public var span: Span?

    public init(_ message: String, at span: Span? = nil) {
      self.message = message
      self.span = span
    }
  }

  public var code: DiagnosticCode
  public var severity: Severity
  public var message: String
  /// The tight range that is wrong.
  public var span: Span
  /// Short text printed under the carets (may be empty).
  public var label: String
  public var notes: [Note]
  /// A suggested remedy such as "did you mean 'lapsing'?".
  public var help: String?

  /// Creates a diagnostic; the severity defaults to the code's own.
  public init(
    _ code: DiagnosticCode, _ message: String, at span: Span, label: String = "",
    severity: Severity? = nil, notes: [Note] = [], help: String? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = message
    self.span = span
    self.label = label
    self.notes = notes
    self.help = help
  }
}

extension Array where Element == Diagnostic {
  /// True when any diagnostic is an error.
  public var containsErrors: Bool { contains { $0.severity == .error } }
}
