import Templates

/// Parsed email templates by base name: `welcome` is `welcome.html.liquid`
/// plus, when present, `welcome.txt.liquid` for the text part.
public struct TemplateLibrary: Sendable {
  struct Entry: Sendable {
    var html: Template
    var text: Template?
  }

  private(set) var entries: [String: Entry] = [:]

  /// Parses every `NAME.html.liquid` / `NAME.txt.liquid` source given by file
  /// name. Throws the first Liquid syntax error, with its file, line and column.
  public init(files: [String: String]) throws {
    for (file, source) in files.sorted(by: { $0.key < $1.key }) {
      guard file.hasSuffix(".html.liquid") else { continue }
      let name = String(file.dropLast(".html.liquid".count))
      let html = try Template(source: source, name: file)
      let textFile = "\(name).txt.liquid"
      let text = try files[textFile].map { try Template(source: $0, name: textFile) }
      entries[name] = Entry(html: html, text: text)
    }
  }

  /// Base names of the templates that exist, for the checker.
  public var names: Set<String> { Set(entries.keys) }
}
