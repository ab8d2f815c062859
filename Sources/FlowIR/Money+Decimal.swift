extension Money {
  /// Parses an optionally signed decimal with at most two places ("12.3" is
  /// 1230 cents) exactly, without floating point; nil for anything else.
  public init?(decimal text: some StringProtocol, currency: String) {
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII),
      let whole = Int64(parts[0])
    else { return nil }
    var fraction: Int64 = 0
    if parts.count == 2 {
      let decimals = parts[1]
      guard (1...2).contains(decimals.count), decimals.allSatisfy(\.isASCII),
        let value = Int64(decimals), value >= 0
      else { return nil }
      fraction = decimals.count == 1 ? value * 10 : value
    }
    let total = whole * 100 + fraction
    self.init(cents: negative ? -total : total, currency: currency)
  }

  /// The amount as a decimal with two places: `"-12.30"`.
  public var decimalString: String {
    let absolute = cents.magnitude
    let fraction = absolute % 100
    return "\(cents < 0 ? "-" : "")\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}
