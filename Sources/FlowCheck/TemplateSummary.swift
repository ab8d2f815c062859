import FlowDiagnostics
import Templates

/// What the checker needs to know about one template (`welcome.html.liquid`
/// and, if present, `welcome.txt.liquid`), computed once per template by the
/// host that parsed them, not once per `send`.
public struct TemplateSummary: Sendable {
  /// A variable the template reads, at its place in the template's own file.
  public struct Read: Sendable, Hashable {
    /// `member` for `member.first_name`.
    public var root: String
    /// `["first_name"]`: the named steps after the root.
    public var path: [String]
    /// Where `root.path` is written; `span.file` indexes the file list the host renders
    /// diagnostics with, where template files follow the `.flow` files.
    public var span: Span

    /// Creates a read.
    public init(root: String, path: [String], span: Span) {
      self.root = root
      self.path = path
      self.span = span
    }
  }

  /// Every free variable read of the html and text templates, in source order.
  public var reads: [Read]
  /// Whether the html template references `unsubscribe_url`.
  public var hasUnsubscribeLink: Bool

  /// Creates a summary.
  public init(reads: [Read], hasUnsubscribeLink: Bool) {
    self.reads = reads
    self.hasUnsubscribeLink = hasUnsubscribeLink
  }

  /// Summarizes parsed templates; `htmlFile` and `textFile` are the indexes
  /// of their source files in the diagnostics' file list.
  public init(html: Template, htmlFile: Int, text: (template: Template, file: Int)?) {
    let htmlReads = html.freeVariables
    reads = htmlReads.map { Self.read($0, file: htmlFile, base: 0) }
    if let text {
      reads += text.template.freeVariables.map { Self.read($0, file: text.file, base: 0) }
    }
    hasUnsubscribeLink = htmlReads.contains { $0.root == "unsubscribe_url" }
  }

  /// A template known only by name, or one whose syntax error is reported
  /// already: nothing more to check.
  public static let unchecked = TemplateSummary(reads: [], hasUnsubscribeLink: true)

  /// A read located `base` bytes into `file`, where the template's text starts.
  static func read(_ reference: VariableReference, file: Int, base: UInt32) -> Read {
    // Paths are nearly always written `root.a.b`, so the span covers that text.
    let start = base + UInt32(clamping: reference.offset)
    let length = ([reference.root] + reference.path).joined(separator: ".").utf8.count
    return Read(
      root: reference.root, path: reference.path,
      span: Span(file: file, start: start, end: start + UInt32(clamping: length)))
  }
}
