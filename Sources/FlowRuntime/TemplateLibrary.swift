import Templates

/// Parsed email templates by base name: `welcome` is `welcome.html.liquid`
/// plus, when present, `welcome.txt.liquid` for the text part. Translations
/// sit beside them with a language code before the part:
/// `welcome.fr.html.liquid`, `welcome.pt-BR.html.liquid`.
public struct TemplateLibrary: Sendable {
  /// The parts sent together: HTML, and a text part when one was written
  /// (otherwise the text part is derived from the HTML).
  public struct Entry: Sendable {
    public var html: Template
    public var text: Template?
  }

  /// Default-language entries by base name.
  private var entries: [String: Entry] = [:]
  /// Translations by base name, then lower-cased locale (`fr`, `pt-br`).
  private var translations: [String: [String: Entry]] = [:]
  /// Image files by path relative to the templates folder (`images/logo.png`).
  private(set) var images: [String: [UInt8]] = [:]

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
    // Keyed by normalised base and locale, so `pt-BR` and `pt_br` files pair up.
    var texts: [String: Template] = [:]
    for (file, text) in parsed {
      guard let name = TemplateFileName(file), name.part == .text else { continue }
      texts[name.key] = text
    }
    for (file, html) in parsed {
      guard let name = TemplateFileName(file), name.part == .html else { continue }
      let entry = Entry(html: html, text: texts[name.key])
      if let locale = name.locale {
        translations[name.base, default: [:]][locale] = entry
      } else {
        entries[name.base] = entry
      }
    }
  }

  /// Adds the images of `Templates/images/`, by file name; other files are ignored.
  public mutating func addImages(_ files: [String: [UInt8]]) {
    for (name, data) in files where InlineImages.isImage(name) {
      images[InlineImages.folder + name] = data
    }
  }

  /// Base names of the templates that exist in the default language, for the checker.
  public var names: Set<String> { Set(entries.keys) }

  /// The template a file is the default-language HTML of (`welcome` for
  /// `welcome.html.liquid`), or nil for a translation, a text part or another file.
  public static func defaultName(ofFile file: String) -> String? {
    guard let name = TemplateFileName(file), name.part == .html, name.locale == nil else {
      return nil
    }
    return name.base
  }

  /// The entry for a member's locale: `fr-CA` tries `fr-ca`, then `fr`, then
  /// the default language. A translation without its own text part gets
  /// one derived from its HTML, never the default language's text.
  public func entry(_ name: String, locale: String?) -> Entry? {
    if let locale, let byLocale = translations[name] {
      let wanted = locale.lowercased().replacingOccurrences(of: "_", with: "-")
      let language = wanted.split(separator: "-").first.map(String.init) ?? wanted
      if let entry = byLocale[wanted] ?? byLocale[language] { return entry }
    }
    return entries[name]
  }
}

/// A template file name taken apart: `welcome.fr.html.liquid` is base
/// `welcome`, locale `fr`, part HTML.
struct TemplateFileName {
  enum Part: String {
    case html = ".html.liquid"
    case text = ".txt.liquid"
  }

  var base: String
  /// Lower-cased, `-` between language and region; nil for the default language.
  var locale: String?
  var part: Part

  init?(_ file: String) {
    guard let part = [Part.html, .text].first(where: { file.hasSuffix($0.rawValue) }) else {
      return nil
    }
    self.part = part
    let stem = String(file.dropLast(part.rawValue.count))
    if let dot = stem.lastIndex(of: "."), let locale = Self.locale(stem[stem.index(after: dot)...])
    {
      base = String(stem[..<dot])
      self.locale = locale
    } else {
      base = stem
      locale = nil
    }
    guard !base.isEmpty else { return nil }
  }

  /// Base and locale together: the same for every part of one translation.
  var key: String { base + "." + (locale ?? "") }

  /// A two-letter language code, optionally with a region (`pt-BR`, `zh_TW`),
  /// normalised; nil when the text is not one (`welcome.v2` stays a base name).
  static func locale(_ text: Substring) -> String? {
    let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
      .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
    guard let language = pieces.first, language.count == 2, language.allSatisfy(\.isLetter),
      language.allSatisfy(\.isASCII), pieces.count <= 2
    else { return nil }
    if pieces.count == 2 {
      let region = pieces[1]
      guard (2...3).contains(region.count),
        region.allSatisfy({ $0.isASCII && $0.isLetter || $0.isNumber })
      else { return nil }
      return "\(language.lowercased())-\(region.lowercased())"
    }
    return language.lowercased()
  }
}
