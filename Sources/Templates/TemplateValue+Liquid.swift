/// Ruby Liquid's semantics for values: truthiness, equality, ordering, size and text.
extension TemplateValue {
  /// Only nil and false are falsy in Liquid; `0` and `""` are truthy.
  var isTruthy: Bool {
    switch self {
    case .null, .bool(false): return false
    default: return true
    }
  }

  /// `x == empty`: an empty string, array or object.
  var isEmptyValue: Bool {
    switch self {
    case .string(let s): return s.isEmpty
    case .array(let a): return a.isEmpty
    case .object(let o): return o.isEmpty
    default: return false
    }
  }

  /// `x == blank`: nil, false, whitespace-only strings and empty collections.
  var isBlankValue: Bool {
    switch self {
    case .null, .bool(false): return true
    case .string(let s): return s.utf8.allSatisfy(Lexer.isSpace)
    case .array(let a): return a.isEmpty
    case .object(let o): return o.isEmpty
    default: return false
    }
  }

  /// Ruby `==`: numbers compare by value across int and float.
  func liquidEquals(_ other: TemplateValue) -> Bool {
    switch (self, other) {
    case (.int(let a), .double(let b)): return Double(a) == b
    case (.double(let a), .int(let b)): return a == Double(b)
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.liquidEquals($1) }
    default: return self == other
    }
  }

  /// Ruby `<=>` for numbers and strings; nil when the pair is not ordered (nil, arrays...).
  /// Throws for a number against a string, which Ruby rejects.
  func liquidCompare(_ other: TemplateValue) throws(Failure) -> Int? {
    switch (self, other) {
    case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
    case (.string(let a), .string(let b)):
      // Ruby compares strings bytewise.
      return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : (a == b ? 0 : 1)
    case (.int, .double), (.double, .int), (.double, .double):
      guard let a = numericDouble, let b = other.numericDouble else { return nil }
      return a < b ? -1 : (a == b ? 0 : 1)
    case (.int, .string), (.double, .string), (.string, .int), (.string, .double):
      throw Failure("cannot compare \(typeName) with \(other.typeName)")
    default: return nil
    }
  }

  var numericDouble: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }

  /// Name used in error messages.
  var typeName: String {
    switch self {
    case .null: return "nil"
    case .bool: return "boolean"
    case .int: return "integer"
    case .double: return "float"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// `.size`: characters of a string (Unicode scalars, like Ruby), items of a collection.
  var size: Int? {
    switch self {
    case .string(let s): return s.unicodeScalars.count
    case .array(let a): return a.count
    case .object(let o): return o.count
    default: return nil
    }
  }

  /// Ruby `to_s`, as output renders it: nil is "", arrays concatenate their items.
  var text: String {
    switch self {
    case .string(let s): return s
    default:
      var out = ""
      write(to: &out)
      return out
    }
  }

  /// Appends the rendered form to `out` without building intermediate strings.
  func write(to out: inout String) {
    switch self {
    case .null: break
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += TemplateValue.rubyFloat(d)
    case .string(let s): out += s
    case .array(let a): for item in a { item.write(to: &out) }
    case .object(let o):
      // Ruby's Hash#inspect; keys sorted because our objects are unordered.
      out += "{"
      for (n, key) in o.keys.sorted().enumerated() {
        if n > 0 { out += ", " }
        out += "\"" + key + "\"=>"
        o[key, default: .null].writeInspected(to: &out)
      }
      out += "}"
    }
  }

  private func writeInspected(to out: inout String) {
    switch self {
    case .null: out += "nil"
    case .string(let s): out += "\"" + s + "\""
    case .array(let a):
      out += "["
      for (n, item) in a.enumerated() {
        if n > 0 { out += ", " }
        item.writeInspected(to: &out)
      }
      out += "]"
    default: write(to: &out)
    }
  }

  /// Ruby's Float#to_s: shortest round-trip digits, always with a fraction (`2.0`, `1.0e+20`).
  static func rubyFloat(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    // Swift's description already picks the shortest digits and the same exponent range as
    // Ruby; it only omits ".0" in exponent form.
    let s = d.description
    guard let e = s.firstIndex(of: "e") else { return s }
    let mantissa = s[..<e]
    return mantissa.contains(".") ? s : mantissa + ".0" + s[e...]
  }
}
