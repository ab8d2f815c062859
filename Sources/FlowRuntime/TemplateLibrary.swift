import Templates

/// Parsed email templates by base name: `welcome` is `welcome.html.liquid`
/// plus, when present, `welcome.txt.liquid` for the text part.
public struct TemplateLibrary: Sendable {
  struct Entry: Sendable {
    var html: Template
    var text: Template?
  }

  private(set) var entries: [String: Entry] = [:]

  /// Parses every template source given by file name. Throws the first
  /// Liquid syntax error, with its file, line and column.
  public init(files: [String: String]) throws {
    var parsed: [String: Template] = [:]
    for (file, source) in files.sorted(by: { $0.key < $1.key }) {
      parsed[file] = try Template(source: source, name: file)
    }
    self.init(parsed: parsed)
  }

  /// Groups templates already parsed, by file name, into HTML and text parts.
  public init(parsed: [String: Template]) {
    for (file, html) in parsed where file.hasSuffix(".html.liquid") {
      let name = String(file.dropLast(".html.liquid".count))
      entries[name] = Entry(html: html, text: parsed["\(name).txt.liquid"])
    }
  }

  /// Base names of the templates that exist, for the checker.
  public var names: Set<String> { Set(entries.keys) }
}
