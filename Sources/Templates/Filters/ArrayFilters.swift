/// Array filters. Like Ruby Liquid's InputIterator, a nested array input is flattened, an
/// object is a one-item array, nil is empty and any other value is a one-item array.
enum ArrayFilters {
  static func items(_ value: TemplateValue) -> [TemplateValue] {
    switch value {
    case .array(let a):
      guard a.contains(where: { if case .array = $0 { return true } else { return false } })
      else { return a }
      return a.flatMap { items($0) }
    case .null: return []
    default: return [value]
    }
  }

  /// `item[property]` for objects; nil for anything else.
  static func property(_ item: TemplateValue, _ key: TemplateValue) -> TemplateValue {
    if case .object(let o) = item, case .string(let k) = key { return o[k] ?? .null }
    if case .object(let o) = item { return o[key.text] ?? .null }
    return .null
  }

  static func join(_ input: TemplateValue, _ glue: TemplateValue) -> TemplateValue {
    let separator = glue.text
    var out = ""
    for (n, item) in items(input).enumerated() {
      if n > 0 { out += separator }
      item.write(to: &out)
    }
    return .string(out)
  }

  static func first(_ input: TemplateValue) -> TemplateValue {
    if case .array(let a) = input { return a.first ?? .null }
    return .null
  }

  static func last(_ input: TemplateValue) -> TemplateValue {
    if case .array(let a) = input { return a.last ?? .null }
    return .null
  }

  static func reverse(_ input: TemplateValue) -> TemplateValue {
    .array(items(input).reversed())
  }

  /// Ruby's `nil_safe_compare`: nil sorts last; unordered pairs are an error.
  static func sort(_ input: TemplateValue, _ key: TemplateValue, natural: Bool) throws(Failure)
    -> TemplateValue
  {
    if case .array = input {} else if input == .null { return .null } else { return input }
    let list = items(input)
    var failure: Failure?
    func sortKey(_ item: TemplateValue) -> TemplateValue {
      let value = key == .null ? item : property(item, key)
      if natural, value != .null { return .string(value.text.lowercased()) }
      return value
    }
    let keyed = list.map { (sortKey($0), $0) }
    let sorted = keyed.sorted { a, b in
      if a.0 == .null || b.0 == .null { return a.0 != .null && b.0 == .null }
      do throws(Failure) {
        if let order = try a.0.liquidCompare(b.0) { return order < 0 }
        failure = Failure("cannot sort \(a.0.typeName) with \(b.0.typeName)")
      } catch {
        failure = error
      }
      return false
    }
    if let failure { throw failure }
    return .array(sorted.map { $0.1 })
  }

  static func uniq(_ input: TemplateValue, _ key: TemplateValue) -> TemplateValue {
    var seen: Set<TemplateValue> = []
    var out: [TemplateValue] = []
    for item in items(input) {
      let identity = key == .null ? item : property(item, key)
      if seen.insert(identity).inserted { out.append(item) }
    }
    return .array(out)
  }

  static func compact(_ input: TemplateValue, _ key: TemplateValue) -> TemplateValue {
    .array(items(input).filter { (key == .null ? $0 : property($0, key)) != .null })
  }

  static func concat(_ input: TemplateValue, _ other: TemplateValue) throws(Failure)
    -> TemplateValue
  {
    guard case .array(let extra) = other else {
      throw Failure("expected an array argument, got \(other.typeName)")
    }
    return .array(items(input) + extra)
  }

  static func map(_ input: TemplateValue, _ key: TemplateValue) throws(Failure) -> TemplateValue {
    var out: [TemplateValue] = []
    for item in items(input) {
      switch item {
      case .object: out.append(property(item, key))
      case .null: out.append(.null)
      default: throw Failure("cannot map '\(key.text)' over \(item.typeName)")
      }
    }
    return .array(out)
  }

  /// Whether `item` matches `where`/`reject`/`find`: its property equals the value, or is
  /// truthy when no value is given.
  private static func matches(_ item: TemplateValue, _ a: FilterArguments) -> Bool {
    let value: TemplateValue
    switch item {
    case .object: value = property(item, a[0])
    case .string(let s): return a[1] == .null && s.contains(a[0].text)
    default: return false
    }
    if a.has(1) && a[1] != .null { return value.liquidEquals(a[1]) }
    return value.isTruthy
  }

  static func filter(_ input: TemplateValue, _ a: FilterArguments, keep: Bool) -> TemplateValue {
    .array(items(input).filter { matches($0, a) == keep })
  }

  static func find(_ input: TemplateValue, _ a: FilterArguments) -> TemplateValue {
    items(input).first { matches($0, a) } ?? .null
  }

  static func findIndex(_ input: TemplateValue, _ a: FilterArguments) -> TemplateValue {
    items(input).firstIndex { matches($0, a) }.map { .int($0) } ?? .null
  }

  static func has(_ input: TemplateValue, _ a: FilterArguments) -> TemplateValue {
    .bool(items(input).contains { matches($0, a) })
  }

  static func sum(_ input: TemplateValue, _ key: TemplateValue) throws(Failure) -> TemplateValue {
    var total: TemplateValue = .int(0)
    for item in items(input) {
      if key != .null, case .object = item {
      } else if key != .null {
        throw Failure("cannot read '\(key.text)' of \(item.typeName)")
      }
      let value = key == .null ? item : property(item, key)
      let addend: TemplateValue
      switch value {
      case .int, .double: addend = value
      case .string: addend = MathFilters.number(value).value
      default: continue
      }
      total = try MathFilters.arithmetic(.plus, total, addend)
    }
    return total
  }
}
