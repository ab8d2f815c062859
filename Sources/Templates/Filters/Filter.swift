/// The standard filters (plus Shopify's `money` family), resolved by name at parse time so an
/// unknown filter is reported with its position and rendering switches on an enum.
enum Filter: String, CaseIterable, Sendable {
  // Strings
  case append, prepend, capitalize, upcase, downcase, strip, lstrip, rstrip
  case stripNewlines = "strip_newlines", newlineToBr = "newline_to_br"
  case replace, replaceFirst = "replace_first", replaceLast = "replace_last"
  case remove, removeFirst = "remove_first", removeLast = "remove_last"
  case split, truncate, truncatewords, slice, size
  // HTML and encodings
  case escape, h, escapeOnce = "escape_once", stripHtml = "strip_html"
  case urlEncode = "url_encode", urlDecode = "url_decode"
  case base64Encode = "base64_encode", base64Decode = "base64_decode"
  case base64UrlSafeEncode = "base64_url_safe_encode"
  case base64UrlSafeDecode = "base64_url_safe_decode"
  // Numbers
  case plus, minus, times, dividedBy = "divided_by", modulo, round, ceil, floor, abs
  case atLeast = "at_least", atMost = "at_most"
  // Arrays
  case join, first, last, reverse, sort, sortNatural = "sort_natural", uniq, compact, concat
  case map, `where`, reject, find, findIndex = "find_index", has, sum
  // Other
  case `default`, date, money, moneyWithCurrency = "money_with_currency"
  case moneyWithoutCurrency = "money_without_currency"

  /// Minimum and maximum number of positional arguments, as Ruby Liquid's method signatures.
  var arity: ClosedRange<Int> {
    switch self {
    case .capitalize, .upcase, .downcase, .strip, .lstrip, .rstrip, .stripNewlines,
      .newlineToBr, .size, .escape, .h, .escapeOnce, .stripHtml, .urlEncode, .urlDecode,
      .base64Encode, .base64Decode, .base64UrlSafeEncode, .base64UrlSafeDecode, .ceil, .floor,
      .abs, .first, .last, .reverse, .money, .moneyWithCurrency, .moneyWithoutCurrency:
      return 0...0
    case .append, .prepend, .remove, .removeFirst, .removeLast, .split, .plus, .minus, .times,
      .dividedBy, .modulo, .atLeast, .atMost, .concat, .map, .date:
      return 1...1
    case .replace, .replaceFirst, .slice:
      return 1...2
    case .replaceLast:
      return 2...2
    case .truncate, .truncatewords:
      return 0...2
    case .round, .join, .sort, .sortNatural, .uniq, .compact, .sum, .default:
      return 0...1
    case .where, .reject, .find, .findIndex, .has:
      return 1...2
    }
  }

  /// Keyword arguments the filter accepts.
  var keywords: Set<String> { self == .default ? ["allow_false"] : [] }
}

/// Arguments of one filter call, evaluated.
struct FilterArguments {
  var positional: [TemplateValue]
  var keywords: [String: TemplateValue]

  subscript(_ i: Int) -> TemplateValue { i < positional.count ? positional[i] : .null }
  /// Whether argument `i` was written (even if it evaluated to nil).
  func has(_ i: Int) -> Bool { i < positional.count }
}

extension Renderer {
  /// Evaluates the arguments of `call` and applies it to `input`.
  mutating func apply(_ call: FilterCall, to input: TemplateValue) throws(Failure) -> TemplateValue
  {
    var arguments = FilterArguments(positional: [], keywords: [:])
    arguments.positional.reserveCapacity(call.arguments.count)
    for argument in call.arguments { arguments.positional.append(try evaluate(argument)) }
    for argument in call.keywordArguments {
      arguments.keywords[argument.name] = try evaluate(argument.value)
    }
    let result: TemplateValue
    do {
      result = try run(call.filter, input, arguments)
    } catch {
      throw Failure("\(call.filter.rawValue): \(error.message)", at: currentOffset)
    }
    // Intermediate values are bounded like the output, so repeated `append`
    // or `concat` in a loop cannot grow without limit before anything is printed.
    let size: Int
    switch result {
    case .string(let text): size = text.utf8.count
    case .array(let items): size = items.count
    default: size = 0
    }
    guard size <= options.maxOutputBytes else {
      throw Failure(
        "\(call.filter.rawValue): value exceeds the limit of \(options.maxOutputBytes) bytes",
        at: currentOffset)
    }
    return result
  }

  private func run(_ filter: Filter, _ input: TemplateValue, _ a: FilterArguments) throws(Failure)
    -> TemplateValue
  {
    switch filter {
    case .append: return .string(input.text + a[0].text)
    case .prepend: return .string(a[0].text + input.text)
    case .capitalize: return .string(StringFilters.capitalize(input.text))
    case .upcase: return .string(input.text.uppercased())
    case .downcase: return .string(input.text.lowercased())
    case .strip: return .string(StringFilters.strip(input.text, leading: true, trailing: true))
    case .lstrip: return .string(StringFilters.strip(input.text, leading: true, trailing: false))
    case .rstrip: return .string(StringFilters.strip(input.text, leading: false, trailing: true))
    case .stripNewlines: return .string(StringFilters.stripNewlines(input.text))
    case .newlineToBr: return .string(StringFilters.newlineToBr(input.text))
    case .replace:
      return .string(StringFilters.replace(input.text, a[0].text, a[1].text, .all))
    case .replaceFirst:
      return .string(StringFilters.replace(input.text, a[0].text, a[1].text, .first))
    case .replaceLast:
      return .string(StringFilters.replace(input.text, a[0].text, a[1].text, .last))
    case .remove: return .string(StringFilters.replace(input.text, a[0].text, "", .all))
    case .removeFirst: return .string(StringFilters.replace(input.text, a[0].text, "", .first))
    case .removeLast: return .string(StringFilters.replace(input.text, a[0].text, "", .last))
    case .split: return StringFilters.split(input, a[0].text)
    case .truncate: return try StringFilters.truncate(input, a)
    case .truncatewords: return try StringFilters.truncateWords(input, a)
    case .slice: return try StringFilters.slice(input, a)
    case .size: return .int(input.size ?? 0)
    case .escape, .h:
      return input == .null ? .null : .string(HTMLFilters.escape(input.text, once: false))
    case .escapeOnce: return .string(HTMLFilters.escape(input.text, once: true))
    case .stripHtml: return .string(HTMLFilters.stripHTML(input.text))
    case .urlEncode: return input == .null ? .null : .string(HTMLFilters.urlEncode(input.text))
    case .urlDecode: return input == .null ? .null : .string(HTMLFilters.urlDecode(input.text))
    case .base64Encode: return .string(Base64.encode(Array(input.text.utf8), urlSafe: false))
    case .base64UrlSafeEncode: return .string(Base64.encode(Array(input.text.utf8), urlSafe: true))
    case .base64Decode, .base64UrlSafeDecode:
      guard let bytes = Base64.decode(input.text) else { throw Failure("invalid base64") }
      return .string(String(decoding: bytes, as: UTF8.self))
    case .plus, .minus, .times, .dividedBy, .modulo:
      return try MathFilters.arithmetic(filter, input, a[0])
    case .round: return MathFilters.round(input, a[0])
    case .ceil: return MathFilters.ceilFloor(input, up: true)
    case .floor: return MathFilters.ceilFloor(input, up: false)
    case .abs: return MathFilters.abs(input)
    case .atLeast: return MathFilters.clamp(input, a[0], atLeast: true)
    case .atMost: return MathFilters.clamp(input, a[0], atLeast: false)
    case .join: return ArrayFilters.join(input, a.has(0) ? a[0] : .string(" "))
    case .first: return ArrayFilters.first(input)
    case .last: return ArrayFilters.last(input)
    case .reverse: return ArrayFilters.reverse(input)
    case .sort: return try ArrayFilters.sort(input, a[0], natural: false)
    case .sortNatural: return try ArrayFilters.sort(input, a[0], natural: true)
    case .uniq: return ArrayFilters.uniq(input, a[0])
    case .compact: return ArrayFilters.compact(input, a[0])
    case .concat: return try ArrayFilters.concat(input, a[0])
    case .map: return try ArrayFilters.map(input, a[0])
    case .where: return ArrayFilters.filter(input, a, keep: true)
    case .reject: return ArrayFilters.filter(input, a, keep: false)
    case .find: return ArrayFilters.find(input, a)
    case .findIndex: return ArrayFilters.findIndex(input, a)
    case .has: return ArrayFilters.has(input, a)
    case .sum: return try ArrayFilters.sum(input, a[0])
    case .default:
      let allowFalse = a.keywords["allow_false"]?.isTruthy ?? false
      if input == .bool(false) && allowFalse { return input }
      return input.isTruthy && !input.isEmptyValue ? input : a[0]
    case .date:
      return try DateFilter.format(input, a[0], options: options)
    case .money: return MoneyFilter.format(input, currency: options.currency, style: .symbol)
    case .moneyWithCurrency:
      return MoneyFilter.format(input, currency: options.currency, style: .symbolAndCode)
    case .moneyWithoutCurrency:
      return MoneyFilter.format(input, currency: options.currency, style: .amountOnly)
    }
  }
}
