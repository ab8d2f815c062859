/// Evaluation of expressions, filters and conditions.
extension Renderer {
  mutating func evaluate(_ expression: FilteredExpression) throws(Failure) -> TemplateValue {
    var value = try evaluate(expression.base)
    for call in expression.filters {
      value = try apply(call, to: value)
    }
    return value
  }

  mutating func evaluate(_ expression: Expression) throws(Failure) -> TemplateValue {
    switch expression {
    case .literal(let value): return value
    // As values (not in comparisons) `empty` and `blank` are the empty string.
    case .empty, .blank: return .string("")
    case .lookup(let root, let path, _): return try lookup(root, path)
    case .range(let a, let b):
      let start = try evaluate(a).integerValue
      let end = try evaluate(b).integerValue
      guard start <= end else { return .array([]) }
      // A range used as a value is materialized, so charge it against the step budget.
      let (span, overflow) = end.subtractingReportingOverflow(start)
      guard !overflow, span < options.maxSteps else {
        throw Failure("range (\(start)..\(end)) is too large", at: currentOffset)
      }
      return .array((start...end).map { .int($0) })
    }
  }

  private mutating func lookup(_ root: PathSegment, _ path: [PathSegment]) throws(Failure)
    -> TemplateValue
  {
    let name: String
    switch root {
    case .name(let n): name = n
    case .index(let e): name = try evaluate(e).text
    }
    var value: TemplateValue
    if let found = variable(name) {
      value = found
    } else if name == "forloop" || name == "tablerowloop", !loops.isEmpty {
      return try forloopLookup(path)
    } else {
      if options.strictVariables {
        throw Failure("undefined variable '\(name)'", at: currentOffset)
      }
      return .null
    }
    for segment in path {
      switch segment {
      case .name(let key):
        value = try property(value, key)
      case .index(let e):
        let key = try evaluate(e)
        value = try index(value, key)
      }
    }
    return value
  }

  /// Innermost binding first: loop variables, then assigns, then the caller's data.
  private func variable(_ name: String) -> TemplateValue? {
    var i = locals.count - 1
    while i >= 0 {
      if locals[i].name == name { return locals[i].value }
      i -= 1
    }
    if let value = assigns[name] { return value }
    return environment[name]
  }

  /// `.name`: a key of an object, or `size`/`first`/`last` of a collection.
  private func property(_ value: TemplateValue, _ key: String) throws(Failure) -> TemplateValue {
    switch value {
    case .object(let o):
      if let found = o[key] { return found }
      if key == "size" { return .int(o.count) }
    case .array(let a):
      switch key {
      case "size": return .int(a.count)
      case "first": return a.first ?? .null
      case "last": return a.last ?? .null
      default: break
      }
    case .string(let s):
      if key == "size" { return .int(s.unicodeScalars.count) }
    default: break
    }
    if options.strictVariables && value != .null {
      throw Failure("undefined property '\(key)'", at: currentOffset)
    }
    return .null
  }

  /// `[key]`: an array index (negative counts from the end) or an object key.
  private func index(_ value: TemplateValue, _ key: TemplateValue) throws(Failure) -> TemplateValue
  {
    switch (value, key) {
    case (.array(let a), .int(let i)):
      let position = i < 0 ? a.count + i : i
      return a.indices.contains(position) ? a[position] : .null
    case (.object(let o), .string(let k)):
      if let found = o[k] { return found }
      if options.strictVariables { throw Failure("undefined property '\(k)'", at: currentOffset) }
      return .null
    default:
      return .null
    }
  }

  /// `forloop.index`, `forloop.parentloop.first` and friends, computed without building an
  /// object per iteration.
  private func forloopLookup(_ path: [PathSegment]) throws(Failure) -> TemplateValue {
    var level = loops.count - 1
    var rest = path[...]
    while case .name("parentloop") = rest.first {
      rest.removeFirst()
      level -= 1
      if level < 0 || loops[level].isPartialBoundary { return .null }
    }
    let loop = loops[level]
    guard case .name(let property) = rest.first else {
      return rest.isEmpty ? forloopObject(loop) : .null
    }
    rest.removeFirst()
    let col0 = loop.columns > 0 ? loop.index0 % loop.columns : 0
    let result: TemplateValue
    switch property {
    case "index": result = .int(loop.index0 + 1)
    case "index0": result = .int(loop.index0)
    case "rindex": result = .int(loop.length - loop.index0)
    case "rindex0": result = .int(loop.length - loop.index0 - 1)
    case "first": result = .bool(loop.index0 == 0)
    case "last": result = .bool(loop.index0 == loop.length - 1)
    case "length": result = .int(loop.length)
    case "name": result = .string(loop.name)
    case "col": result = .int(col0 + 1)
    case "col0": result = .int(col0)
    case "col_first": result = .bool(col0 == 0)
    case "col_last": result = .bool(col0 == loop.columns - 1 || loop.index0 == loop.length - 1)
    case "row": result = .int(loop.columns > 0 ? loop.index0 / loop.columns + 1 : 1)
    default: result = .null
    }
    return rest.isEmpty ? result : .null
  }

  private func forloopObject(_ loop: Loop) -> TemplateValue {
    .object([
      "index": .int(loop.index0 + 1), "index0": .int(loop.index0),
      "rindex": .int(loop.length - loop.index0), "rindex0": .int(loop.length - loop.index0 - 1),
      "first": .bool(loop.index0 == 0), "last": .bool(loop.index0 == loop.length - 1),
      "length": .int(loop.length),
    ])
  }

  // MARK: Conditions

  mutating func test(_ condition: Condition) throws(Failure) -> Bool {
    switch condition {
    case .value(let e):
      return try evaluate(e).isTruthy
    case .and(let l, let r):
      // Written out: `&&` takes an autoclosure, which loses the typed error.
      guard try test(l) else { return false }
      return try test(r)
    case .or(let l, let r):
      if try test(l) { return true }
      return try test(r)
    case .comparison(let l, let op, let r):
      let left = try evaluate(l)
      let right = try evaluate(r)
      switch op {
      case .equal: return equals(left, l, right, r)
      case .notEqual: return !equals(left, l, right, r)
      case .contains: return contains(left, right)
      case .lessThan, .greaterThan, .lessOrEqual, .greaterOrEqual:
        guard !l.isKeyword, !r.isKeyword else { return false }
        let order: Int?
        do {
          order = try left.liquidCompare(right)
        } catch {
          throw Failure(error.message, at: currentOffset)
        }
        guard let order else { return false }
        switch op {
        case .lessThan: return order < 0
        case .greaterThan: return order > 0
        case .lessOrEqual: return order <= 0
        default: return order >= 0
        }
      }
    }
  }

  /// `when` matching: like `==`, with the subject's expression to recognize `empty`/`blank`.
  mutating func equals(
    _ subject: TemplateValue, _ subjectExpression: Expression, _ candidate: Expression
  )
    throws(Failure) -> Bool
  {
    equals(subject, subjectExpression, try evaluate(candidate), candidate)
  }

  /// `==`, where the keywords `empty` and `blank` test the other side instead of comparing.
  private func equals(
    _ left: TemplateValue, _ l: Expression, _ right: TemplateValue, _ r: Expression
  )
    -> Bool
  {
    switch (l, r) {
    case (.empty, .empty), (.blank, .blank): return true
    case (.empty, .blank), (.blank, .empty): return false
    case (.empty, _): return right.isEmptyValue
    case (_, .empty): return left.isEmptyValue
    case (.blank, _): return right.isBlankValue
    case (_, .blank): return left.isBlankValue
    default: return left.liquidEquals(right)
    }
  }

  private func contains(_ left: TemplateValue, _ right: TemplateValue) -> Bool {
    switch left {
    case .string(let s):
      guard right != .null else { return false }
      return s.contains(right.text)
    case .array(let a): return right != .null && a.contains { $0.liquidEquals(right) }
    case .object(let o):
      if case .string(let key) = right { return o[key] != nil }
      return false
    default: return false
    }
  }
}

extension Expression {
  /// `empty` and `blank` are not ordered against anything.
  var isKeyword: Bool {
    switch self {
    case .empty, .blank: return true
    default: return false
    }
  }
}

extension TemplateValue {
  /// Ruby `to_i`-like coercion used for ranges, `limit:` and `offset:`: floats truncate,
  /// strings read their leading integer, anything else is 0.
  var integerValue: Int {
    switch self {
    case .int(let i): return i
    case .double(let d): return d.isFinite ? Int(max(min(d, 9e18), -9e18)) : 0
    case .string(let s): return TemplateValue.leadingInteger(s) ?? 0
    default: return 0
    }
  }

  /// The integer at the start of `s`, after optional whitespace and sign, like Ruby `to_i`.
  static func leadingInteger(_ s: String) -> Int? {
    var value = 0
    var sawDigit = false
    var negative = false
    var iterator = s.utf8.drop { Lexer.isSpace($0) }.makeIterator()
    var next = iterator.next()
    if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
      negative = next == UInt8(ascii: "-")
      next = iterator.next()
    }
    while let b = next, ExpressionLexer.isDigit(b) {
      sawDigit = true
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int(b - 0x30))
      if o1 || o2 { return nil }
      value = a
      next = iterator.next()
    }
    guard sawDigit else { return nil }
    return negative ? -value : value
  }
}
