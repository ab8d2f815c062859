import FlowDiagnostics

extension Parser {
  /// Consumes a duration token (`3d`), or reports and returns nil.
  mutating func parseDuration() -> DurationLiteral? {
    guard at(.duration) else {
      expected("a duration such as '3d', '36h', '15m' or '2w'")
      return nil
    }
    let token = advance()
    let unitByte = bytes[Int(token.end) - 1]
    let unit: DurationLiteral.Unit =
      switch unitByte {
      case UInt8(ascii: "m"): .minutes
      case UInt8(ascii: "h"): .hours
      case UInt8(ascii: "w"): .weeks
      default: .days
      }
    // Malformed durations (`3days`) were reported by the lexer; keep the digits.
    var end = token.start
    while end < token.end, isDigit(bytes[Int(end)]) { end += 1 }
    return DurationLiteral(amount: parseInteger(token.start, end), unit: unit, span: span(token))
  }

  /// Consumes a time token (`09:00`), or reports and returns nil.
  mutating func parseTime() -> TimeLiteral? {
    guard at(.time) else {
      expected("a time of day such as '09:00'")
      return nil
    }
    let token = advance()
    var colon = token.start
    while colon < token.end, bytes[Int(colon)] != UInt8(ascii: ":") { colon += 1 }
    var minuteEnd = colon + 1
    while minuteEnd < token.end, isDigit(bytes[Int(minuteEnd)]) { minuteEnd += 1 }
    return TimeLiteral(
      hour: parseInteger(token.start, colon), minute: parseInteger(colon + 1, minuteEnd),
      span: span(token))
  }

  /// Consumes a string token and decodes its escapes. Invalid escapes were
  /// reported by the lexer and are kept verbatim.
  mutating func parseString() -> StringLiteral {
    let token = advance()
    var out: [UInt8] = []
    var i = Int(token.start) + 1
    var end = Int(token.end)
    if end > i, bytes[end - 1] == UInt8(ascii: "\"") { end -= 1 }
    // Most strings have no escapes: decode the slice directly.
    if !bytes[i..<max(i, end)].contains(UInt8(ascii: "\\")) {
      return StringLiteral(
        value: String(decoding: bytes[i..<max(i, end)], as: UTF8.self), span: span(token))
    }
    while i < end {
      let c = bytes[i]
      guard c == UInt8(ascii: "\\"), i + 1 < end else {
        out.append(c)
        i += 1
        continue
      }
      switch bytes[i + 1] {
      case UInt8(ascii: "n"): out.append(0x0A); i += 2
      case UInt8(ascii: "t"): out.append(0x09); i += 2
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(bytes[i + 1]); i += 2
      case UInt8(ascii: "u"):
        var j = i + 3
        var value: UInt32 = 0
        while j < end, let digit = hexValue(bytes[j]), j - i < 12 {
          value = value &* 16 &+ digit
          j += 1
        }
        if j < end, bytes[j] == UInt8(ascii: "}"), let scalar = Unicode.Scalar(value) {
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
          i = j + 1
        } else {
          out.append(c)
          i += 1
        }
      default:
        out.append(c)
        i += 1
      }
    }
    return StringLiteral(value: String(decoding: out, as: UTF8.self), span: span(token))
  }

  /// The decimal digits in `start..<end`, saturating at `Int.max` (absurd
  /// values are reported by the checker, not as overflow crashes).
  func parseInteger(_ start: UInt32, _ end: UInt32) -> Int {
    var value = 0
    var i = Int(start)
    while i < Int(end), i < bytes.count, isDigit(bytes[i]) {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int(bytes[i] - 48))
      if o1 || o2 { return Int.max }
      value = sum
      i += 1
    }
    return value
  }

  /// Exact minor units of a money amount, read from the digits (no floating
  /// point). More than two decimals, or an amount that overflows, is reported.
  mutating func parseCents(_ token: Token) -> Int64 {
    var cents: Int64 = 0
    var fractionDigits = -1
    var overflow = false
    for i in Int(token.start)..<Int(token.end) {
      let c = bytes[i]
      if c == UInt8(ascii: ".") {
        fractionDigits = 0
        continue
      }
      if fractionDigits >= 0 { fractionDigits += 1 }
      let (times, o1) = cents.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int64(c - 48))
      overflow = overflow || o1 || o2
      cents = sum
    }
    if fractionDigits > 2 {
      report(.malformedNumber(.moneyPrecision, span(token)))
      return 0
    }
    for _ in 0..<(2 - max(0, fractionDigits)) {
      let (times, o) = cents.multipliedReportingOverflow(by: 10)
      overflow = overflow || o
      cents = times
    }
    if overflow {
      report(.malformedNumber(.tooLarge, span(token)))
      return 0
    }
    return cents
  }
}
