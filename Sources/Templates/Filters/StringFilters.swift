/// String filters. Lengths and positions count Unicode scalars, as Ruby counts characters.
enum StringFilters {
  static func capitalize(_ s: String) -> String {
    guard let first = s.first else { return s }
    return first.uppercased() + s.dropFirst().lowercased()
  }

  static func strip(_ s: String, leading: Bool, trailing: Bool) -> String {
    let scalars = s.unicodeScalars
    var lower = scalars.startIndex
    var upper = scalars.endIndex
    if leading {
      while lower < upper && scalars[lower].properties.isWhitespace {
        lower = scalars.index(after: lower)
      }
    }
    if trailing {
      while upper > lower && scalars[scalars.index(before: upper)].properties.isWhitespace {
        upper = scalars.index(before: upper)
      }
    }
    return String(scalars[lower..<upper])
  }

  static func stripNewlines(_ s: String) -> String {
    String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\n" && $0 != "\r" }))
  }

  static func newlineToBr(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    var previousCR = false
    for scalar in s.unicodeScalars {
      if scalar == "\n" {
        out.append(contentsOf: "<br />\n".unicodeScalars)
      } else {
        if previousCR { out.append("\r") }
        if scalar != "\r" { out.append(scalar) }
      }
      previousCR = scalar == "\r"
    }
    if previousCR { out.append("\r") }
    return String(out)
  }

  enum Occurrence { case all, first, last }

  /// Literal (not pattern) replacement on UTF-8 bytes.
  static func replace(_ s: String, _ target: String, _ replacement: String, _ which: Occurrence)
    -> String
  {
    let hay = Array(s.utf8)
    let needle = Array(target.utf8)
    if needle.isEmpty {
      // Ruby inserts around every character for gsub(""), and at the start for sub("").
      switch which {
      case .first: return replacement + s
      case .last: return s + replacement
      case .all:
        var out = replacement
        for c in s { out += String(c) + replacement }
        return out
      }
    }
    var matches: [Int] = []
    var i = 0
    while i + needle.count <= hay.count {
      if hay[i] == needle[0] && hay[i..<i + needle.count].elementsEqual(needle) {
        matches.append(i)
        i += needle.count
      } else {
        i += 1
      }
    }
    switch which {
    case .first: matches = Array(matches.prefix(1))
    case .last: matches = Array(matches.suffix(1))
    case .all: break
    }
    guard !matches.isEmpty else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(hay.count)
    var last = 0
    for m in matches {
      out.append(contentsOf: hay[last..<m])
      out.append(contentsOf: replacement.utf8)
      last = m + needle.count
    }
    out.append(contentsOf: hay[last...])
    return String(decoding: out, as: UTF8.self)
  }

  /// Ruby String#split: a single space splits on runs of whitespace, "" splits characters,
  /// and trailing empty strings are dropped.
  static func split(_ input: TemplateValue, _ separator: String) -> TemplateValue {
    if input == .null { return .array([]) }
    let s = input.text
    var parts: [String]
    if separator == " " {
      parts = s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    } else if separator.isEmpty {
      parts = s.unicodeScalars.map { String($0) }
    } else {
      parts = []
      var rest = Substring(s)
      while let r = rest.firstRange(of: separator) {
        parts.append(String(rest[..<r.lowerBound]))
        rest = rest[r.upperBound...]
      }
      parts.append(String(rest))
      while parts.last?.isEmpty == true { parts.removeLast() }
    }
    return .array(parts.map { .string($0) })
  }

  static func truncate(_ input: TemplateValue, _ a: FilterArguments) throws(Failure)
    -> TemplateValue
  {
    if input == .null { return .null }
    let length = a.has(0) && a[0] != .null ? try integerArgument(a[0]) : 50
    let ellipsis = a.has(1) ? a[1].text : "..."
    let scalars = input.text.unicodeScalars
    guard scalars.count > length else { return input.stringValue }
    let keep = max(0, length - ellipsis.unicodeScalars.count)
    return .string(String(String.UnicodeScalarView(scalars.prefix(keep))) + ellipsis)
  }

  static func truncateWords(_ input: TemplateValue, _ a: FilterArguments) throws(Failure)
    -> TemplateValue
  {
    if input == .null { return .null }
    var count = a.has(0) ? try integerArgument(a[0]) : 15
    count = max(1, count)
    let ellipsis = a.has(1) ? a[1].text : "..."
    let words = input.text.split(whereSeparator: { $0.isWhitespace })
    guard words.count > count else { return input.stringValue }
    return .string(words.prefix(count).joined(separator: " ") + ellipsis)
  }

  static func slice(_ input: TemplateValue, _ a: FilterArguments) throws(Failure) -> TemplateValue {
    let start = try integerArgument(a[0])
    let length = a.has(1) && a[1] != .null ? try integerArgument(a[1]) : 1
    func bounds(_ count: Int) -> Range<Int>? {
      let from = start < 0 ? count + start : start
      guard from >= 0, from <= count, length >= 0 else { return nil }
      return from..<min(count, from + length)
    }
    switch input {
    case .array(let items):
      guard let r = bounds(items.count) else { return .array([]) }
      return .array(Array(items[r]))
    case .null: return .null
    case .string(let s):
      let scalars = Array(s.unicodeScalars)
      guard let r = bounds(scalars.count) else { return .string("") }
      return .string(String(String.UnicodeScalarView(scalars[r])))
    default:
      return .string("")
    }
  }

  /// An argument that must be an integer (Ruby `Integer(x.to_s)`): ints and integer strings;
  /// floats are rejected, as in Ruby Liquid.
  static func integerArgument(_ value: TemplateValue) throws(Failure) -> Int {
    switch value {
    case .int(let i): return i
    case .string(let s):
      if let i = Int(s.trimmingSpaces) { return i }
    default: break
    }
    throw Failure("expected an integer, got \(value.typeName)")
  }
}

extension TemplateValue {
  /// The value itself when it is a string, otherwise its text.
  var stringValue: TemplateValue {
    if case .string = self { return self }
    return .string(text)
  }
}

extension String {
  var trimmingSpaces: Substring {
    let utf8 = self.utf8
    guard let first = utf8.firstIndex(where: { !Lexer.isSpace($0) }),
      let last = utf8.lastIndex(where: { !Lexer.isSpace($0) })
    else { return "" }
    return self[first...last]
  }
}
