/// Shopify's `money` filters: the input is an amount in cents (minor units).
enum MoneyFilter {
  enum Style { case symbol, symbolAndCode, amountOnly }

  /// Symbols for the currencies our members pay in; others print their ISO code.
  private static func symbol(_ currency: String) -> String? {
    switch currency {
    case "USD", "CAD", "AUD", "NZD", "MXN", "SGD", "HKD": return "$"
    case "EUR": return "€"
    case "GBP": return "£"
    case "JPY", "CNY": return "¥"
    default: return nil
    }
  }

  static func format(_ input: TemplateValue, currency: String, style: Style) -> TemplateValue {
    let cents: Int
    switch input {
    case .null: return .null
    case .int(let i): cents = i
    case .double(let d): cents = d.isFinite && Swift.abs(d) < 9e18 ? Int(d.rounded()) : 0
    default:
      switch MathFilters.number(input) {
      case .int(let i): cents = i
      case .double(let d): cents = Int(d.rounded())
      }
    }
    // Yen has no minor unit in practice: Shopify's default JPY format drops the decimals.
    let amount = amountText(cents, decimals: currency != "JPY")
    switch style {
    case .amountOnly:
      return .string(amount)
    case .symbol:
      return .string(prefix(cents, currency) + amount)
    case .symbolAndCode:
      if symbol(currency) == nil {
        return .string((cents < 0 ? "-" : "") + amount + " " + currency)
      }
      return .string(prefix(cents, currency) + amount + " " + currency)
    }
  }

  private static func prefix(_ cents: Int, _ currency: String) -> String {
    (cents < 0 ? "-" : "") + (symbol(currency) ?? currency + " ")
  }

  /// "1,234.50" from 123450, built by hand to avoid a NumberFormatter per call.
  private static func amountText(_ cents: Int, decimals: Bool) -> String {
    let magnitude = cents.magnitude
    var whole = magnitude / 100
    let fraction = magnitude % 100
    if !decimals && fraction >= 50 { whole += 1 }
    // Digits are written right to left into a fixed buffer: no intermediate strings.
    return String(unsafeUninitializedCapacity: 32) { buffer in
      var end = buffer.count
      func put(_ byte: UInt8) {
        end -= 1
        buffer[end] = byte
      }
      if decimals {
        put(UInt8(fraction % 10) + 0x30)
        put(UInt8(fraction / 10) + 0x30)
        put(UInt8(ascii: "."))
      }
      var rest = whole
      var written = 0
      repeat {
        if written > 0 && written % 3 == 0 { put(UInt8(ascii: ",")) }
        put(UInt8(rest % 10) + 0x30)
        rest /= 10
        written += 1
      } while rest > 0
      let length = buffer.count - end
      for k in 0..<length { buffer[k] = buffer[end + k] }
      return length
    }
  }
}
