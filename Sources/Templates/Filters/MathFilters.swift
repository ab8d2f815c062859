/// Arithmetic filters with Ruby Liquid's coercions.
///
/// Ruby Liquid does float arithmetic in BigDecimal, so `0.1 | plus: 0.2` is `0.3`. We mimic it
/// by doing float `plus`, `minus`, `times` and `round` exactly on decimal digits (the shortest
/// digits that round-trip each operand) and converting back, falling back to Double on overflow.
enum MathFilters {
  enum Number {
    case int(Int)
    case double(Double)

    var value: TemplateValue {
      switch self {
      case .int(let i): return .int(i)
      case .double(let d): return .double(d)
      }
    }
    var double: Double {
      switch self {
      case .int(let i): return Double(i)
      case .double(let d): return d
      }
    }
  }

  /// Ruby Liquid's `to_number`: numbers as they are, `"1.5"` as a float, other strings by
  /// their leading integer, anything else 0.
  static func number(_ value: TemplateValue) -> Number {
    switch value {
    case .int(let i): return .int(i)
    case .double(let d): return .double(d)
    case .string(let s):
      let trimmed = s.trimmingSpaces
      if isDecimalLiteral(trimmed), let d = Double(trimmed) { return .double(d) }
      return .int(TemplateValue.leadingInteger(s) ?? 0)
    default: return .int(0)
    }
  }

  /// Matches `-?\d+\.\d+`.
  private static func isDecimalLiteral(_ s: Substring) -> Bool {
    var bytes = s.utf8[...]
    if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return false }
    let whole = bytes[..<dot]
    let fraction = bytes[bytes.index(after: dot)...]
    return !whole.isEmpty && !fraction.isEmpty && whole.allSatisfy(ExpressionLexer.isDigit)
      && fraction.allSatisfy(ExpressionLexer.isDigit)
  }

  static func arithmetic(_ filter: Filter, _ lhs: TemplateValue, _ rhs: TemplateValue)
    throws(Failure) -> TemplateValue
  {
    let a = number(lhs)
    let b = number(rhs)
    if case .int(let x) = a, case .int(let y) = b {
      let result: (Int, Bool)
      switch filter {
      case .plus: result = x.addingReportingOverflow(y)
      case .minus: result = x.subtractingReportingOverflow(y)
      case .times: result = x.multipliedReportingOverflow(by: y)
      case .dividedBy, .modulo:
        guard y != 0 else { throw Failure("divided by 0") }
        // Ruby's integer division and modulo round toward negative infinity.
        var q = x / y
        var r = x % y
        if r != 0 && (r < 0) != (y < 0) {
          q -= 1
          r += y
        }
        return .int(filter == .dividedBy ? q : r)
      default: result = (0, true)
      }
      if !result.1 { return .int(result.0) }
    }
    let x = a.double
    let y = b.double
    switch filter {
    case .plus:
      return .double(
        Decimal(x).flatMap { p in Decimal(y).flatMap { p.adding($0) } }?.double ?? x + y)
    case .minus:
      return .double(
        Decimal(x).flatMap { p in Decimal(-y).flatMap { p.adding($0) } }?.double ?? x - y)
    case .times:
      return .double(
        Decimal(x).flatMap { p in Decimal(y).flatMap { p.multiplying($0) } }?.double ?? x * y)
    case .dividedBy:
      guard y != 0 else { throw Failure("divided by 0") }
      return .double(x / y)
    default:
      guard y != 0 else { throw Failure("divided by 0") }
      if let p = Decimal(x), let q = Decimal(y) {
        let e = min(p.exponent, q.exponent)
        if let a = p.scaled(to: e), let b = q.scaled(to: e) {
          var r = a % b
          if r != 0 && (r < 0) != (b < 0) { r += b }
          return .double(Decimal(mantissa: r, exponent: e).double)
        }
      }
      let r = x.truncatingRemainder(dividingBy: y)
      return .double(r != 0 && (r < 0) != (y < 0) ? r + y : r)
    }
  }

  /// Ruby's round: half away from zero; zero or negative digits give an integer.
  static func round(_ input: TemplateValue, _ digitsArgument: TemplateValue) -> TemplateValue {
    let digits = digitsArgument.integerValue
    switch number(input) {
    case .int(let i):
      guard digits < 0 else { return .int(i) }
      let scale = pow10(-digits) ?? Int.max
      let rounded = (Swift.abs(i) + scale / 2) / scale * scale
      return .int(i < 0 ? -rounded : rounded)
    case .double(let d):
      guard d.isFinite else { return .double(d) }
      if digits <= 0 {
        let scale = Double(pow10(-digits) ?? 1)
        let r = (d / scale).rounded(.toNearestOrAwayFromZero) * scale
        return Swift.abs(r) < 9e18 ? .int(Int(r)) : .double(r)
      }
      if let decimal = Decimal(d)?.rounded(toFractionDigits: digits) {
        return .double(decimal.double)
      }
      return .double(d)
    }
  }

  static func ceilFloor(_ input: TemplateValue, up: Bool) -> TemplateValue {
    switch number(input) {
    case .int(let i): return .int(i)
    case .double(let d):
      let r = up ? d.rounded(.up) : d.rounded(.down)
      return r.isFinite && Swift.abs(r) < 9e18 ? .int(Int(r)) : .double(r)
    }
  }

  static func abs(_ input: TemplateValue) -> TemplateValue {
    switch number(input) {
    case .int(let i): return i == .min ? .double(-Double(i)) : .int(Swift.abs(i))
    case .double(let d): return .double(Swift.abs(d))
    }
  }

  static func clamp(_ input: TemplateValue, _ bound: TemplateValue, atLeast: Bool) -> TemplateValue
  {
    let a = number(input)
    let b = number(bound)
    let pickBound = atLeast ? a.double < b.double : a.double > b.double
    return pickBound ? b.value : a.value
  }

  static func pow10(_ n: Int) -> Int? {
    guard n >= 0, n <= 18 else { return nil }
    var r = 1
    for _ in 0..<n { r *= 10 }
    return r
  }

  /// An exact decimal `mantissa × 10^exponent`, for BigDecimal-like float arithmetic.
  struct Decimal {
    var mantissa: Int
    var exponent: Int

    init(mantissa: Int, exponent: Int) {
      self.mantissa = mantissa
      self.exponent = exponent
    }

    /// The shortest decimal that round-trips `d`, read from Swift's description.
    init?(_ d: Double) {
      guard d.isFinite else { return nil }
      var digits = 0
      var exponent = 0
      var fractionDigits = 0
      var inFraction = false
      var negative = false
      var count = 0
      var utf8 = d.description.utf8[...]
      if utf8.first == UInt8(ascii: "-") {
        negative = true
        utf8 = utf8.dropFirst()
      }
      while let b = utf8.first {
        utf8 = utf8.dropFirst()
        if b == UInt8(ascii: ".") {
          inFraction = true
        } else if b == UInt8(ascii: "e") {
          guard let e = Int(String(decoding: utf8, as: UTF8.self)) else { return nil }
          exponent = e
          break
        } else {
          count += 1
          guard count <= 18 else { return nil }
          digits = digits * 10 + Int(b - 0x30)
          if inFraction { fractionDigits += 1 }
        }
      }
      self.init(mantissa: negative ? -digits : digits, exponent: exponent - fractionDigits)
    }

    var double: Double { Double("\(mantissa)e\(exponent)") ?? 0 }

    /// The mantissa scaled to a lower exponent, or nil on overflow.
    func scaled(to e: Int) -> Int? {
      guard let factor = MathFilters.pow10(exponent - e) else { return nil }
      let (m, overflow) = mantissa.multipliedReportingOverflow(by: factor)
      return overflow ? nil : m
    }

    func adding(_ other: Decimal) -> Decimal? {
      let e = min(exponent, other.exponent)
      guard let a = scaled(to: e), let b = other.scaled(to: e) else { return nil }
      let (sum, overflow) = a.addingReportingOverflow(b)
      return overflow ? nil : Decimal(mantissa: sum, exponent: e)
    }

    func multiplying(_ other: Decimal) -> Decimal? {
      let (m, overflow) = mantissa.multipliedReportingOverflow(by: other.mantissa)
      return overflow ? nil : Decimal(mantissa: m, exponent: exponent + other.exponent)
    }

    /// Rounds half away from zero to `digits` places after the point.
    func rounded(toFractionDigits digits: Int) -> Decimal? {
      guard exponent < -digits else { return self }
      guard let scale = MathFilters.pow10(-digits - exponent) else {
        return Decimal(mantissa: 0, exponent: -digits)
      }
      let magnitude = (Swift.abs(mantissa) + scale / 2) / scale
      return Decimal(mantissa: mantissa < 0 ? -magnitude : magnitude, exponent: -digits)
    }
  }
}
