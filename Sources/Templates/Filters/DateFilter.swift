import Foundation

/// The `date` filter: parses a timestamp and formats it with strftime directives.
///
/// Calendar arithmetic is done by hand on epoch seconds (proleptic Gregorian); Foundation is
/// used only for the time zone's offset and abbreviation at that instant.
enum DateFilter {
  static func format(
    _ input: TemplateValue, _ formatArgument: TemplateValue, options: RenderOptions
  )
    throws(Failure) -> TemplateValue
  {
    if input == .null { return .null }
    guard case .string(let format) = formatArgument.stringValue, !format.isEmpty,
      formatArgument != .null
    else { return input }
    guard let epoch = timestamp(input, options: options) else { return input }
    return .string(strftime(format, epoch: epoch, timeZone: options.timeZone))
  }

  /// Epoch seconds for an int, "now"/"today", a digit string, or a date string.
  static func timestamp(_ input: TemplateValue, options: RenderOptions) -> Int64? {
    switch input {
    case .int(let i): return Int64(i)
    case .double(let d): return d.isFinite && Swift.abs(d) < 9e15 ? Int64(d.rounded(.down)) : nil
    case .string(let s):
      let trimmed = String(s.trimmingSpaces)
      if trimmed.utf8.count <= 5 {
        switch trimmed.lowercased() {
        case "now", "today": return options.now
        default: break
        }
      }
      if !trimmed.isEmpty, trimmed.utf8.allSatisfy(ExpressionLexer.isDigit) {
        return Int64(trimmed)
      }
      var parser = DateParser(trimmed)
      return parser.parse(timeZone: options.timeZone)
    default: return nil
    }
  }

  /// Seconds east of UTC for `timeZone` at `epoch`.
  static func offset(_ timeZone: TimeZone, at epoch: Int64) -> Int {
    timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch)))
  }

  // MARK: Calendar

  /// A broken-down local time.
  struct Civil {
    var year: Int, month: Int, day: Int
    var hour: Int, minute: Int, second: Int
    var weekday: Int  // 0 = Sunday
    var dayOfYear: Int  // 1-based
  }

  /// Days since 1970-01-01 for a Gregorian date (era-based, valid for any year).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = (month + 9) % 12  // March = 0
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func civil(_ localSeconds: Int64) -> Civil {
    let secondsPerDay: Int64 = 86_400
    var dayCount = localSeconds / secondsPerDay
    var secondOfDay = localSeconds % secondsPerDay
    if secondOfDay < 0 {
      secondOfDay += secondsPerDay
      dayCount -= 1
    }
    let z = Int(dayCount) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfShiftedYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfShiftedYear + 2) / 153
    let day = dayOfShiftedYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    let weekday = ((Int(dayCount) % 7) + 11) % 7  // 1970-01-01 was a Thursday
    let dayOfYear = Int(dayCount) - days(year: year, month: 1, day: 1) + 1
    let s = Int(secondOfDay)
    return Civil(
      year: year, month: month, day: day, hour: s / 3600, minute: s / 60 % 60, second: s % 60,
      weekday: weekday, dayOfYear: dayOfYear)
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  static let dayNames = [
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  ]

  // MARK: Formatting

  static func strftime(_ format: String, epoch: Int64, timeZone: TimeZone) -> String {
    let offset = offset(timeZone, at: epoch)
    let t = civil(epoch + Int64(offset))
    var out = ""
    var scalars = format.unicodeScalars.makeIterator()
    while let c = scalars.next() {
      guard c == "%" else {
        out.unicodeScalars.append(c)
        continue
      }
      // Flags: `-` no padding, `_` space padding, `0` zero padding, `^` upper case.
      var padding: Character? = nil
      var upper = false
      var directive = scalars.next()
      while let d = directive, d == "-" || d == "_" || d == "0" || d == "^" {
        switch d {
        case "-": padding = "\u{0}"  // NUL marks "no padding"
        case "_": padding = " "
        case "0": padding = "0"
        default: upper = true
        }
        directive = scalars.next()
      }
      guard let d = directive else {
        out += "%"
        break
      }
      func number(_ n: Int, _ width: Int, _ pad: Character) {
        let digits = String(n)
        let fill = padding ?? pad
        if fill != "\u{0}" && digits.count < width {
          out += String(repeating: fill, count: width - digits.count)
        }
        out += digits
      }
      func word(_ s: String) { out += upper ? s.uppercased() : s }
      let hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12
      switch d {
      case "Y": number(t.year, 1, "0")
      case "C": number(t.year / 100, 2, "0")
      case "y": number(((t.year % 100) + 100) % 100, 2, "0")
      case "m": number(t.month, 2, "0")
      case "d": number(t.day, 2, "0")
      case "e": number(t.day, 2, " ")
      case "j": number(t.dayOfYear, 3, "0")
      case "H": number(t.hour, 2, "0")
      case "k": number(t.hour, 2, " ")
      case "I": number(hour12, 2, "0")
      case "l": number(hour12, 2, " ")
      case "M": number(t.minute, 2, "0")
      case "S": number(t.second, 2, "0")
      case "L": out += "000"
      case "p": word(t.hour < 12 ? "AM" : "PM")
      case "P": word(t.hour < 12 ? "am" : "pm")
      case "b", "h": word(String(monthNames[t.month - 1].prefix(3)))
      case "B": word(monthNames[t.month - 1])
      case "a": word(String(dayNames[t.weekday].prefix(3)))
      case "A": word(dayNames[t.weekday])
      case "u": number(t.weekday == 0 ? 7 : t.weekday, 1, "0")
      case "w": number(t.weekday, 1, "0")
      case "s": out += String(epoch)
      case "z":
        let magnitude = abs(offset)
        out += offset < 0 ? "-" : "+"
        number(magnitude / 3600, 2, "0")
        number(magnitude / 60 % 60, 2, "0")
      case "Z":
        word(TimeZoneAbbreviation.name(timeZone, at: epoch))
      case "D": out += strftime("%m/%d/%y", epoch: epoch, timeZone: timeZone)
      case "F": out += strftime("%Y-%m-%d", epoch: epoch, timeZone: timeZone)
      case "T": out += strftime("%H:%M:%S", epoch: epoch, timeZone: timeZone)
      case "R": out += strftime("%H:%M", epoch: epoch, timeZone: timeZone)
      case "r": out += strftime("%I:%M:%S %p", epoch: epoch, timeZone: timeZone)
      case "c": out += strftime("%a %b %e %H:%M:%S %Y", epoch: epoch, timeZone: timeZone)
      case "x": out += strftime("%m/%d/%y", epoch: epoch, timeZone: timeZone)
      case "X": out += strftime("%H:%M:%S", epoch: epoch, timeZone: timeZone)
      case "n": out += "\n"
      case "t": out += "\t"
      case "%": out += "%"
      default:
        out += "%"
        out.unicodeScalars.append(d)
      }
    }
    return out
  }
}

/// Parses the date strings templates meet: ISO 8601 (`1997-01-12`, `1997-01-12T12:00:00Z`,
/// with `+05:00` offsets or a space instead of `T`) and English forms like "March 14, 2016".
/// A string without an offset is local time in the render's time zone. Works on UTF-8 bytes:
/// everything it accepts is ASCII, and it runs on every render of a template using `date`.
struct DateParser {
  private var bytes: [UInt8]
  private var i = 0

  init(_ text: String) { bytes = Array(text.utf8) }

  mutating func parse(timeZone: TimeZone) -> Int64? {
    guard let (year, month, day) = parseDate() else { return nil }
    var seconds = 0
    var offset: Int? = nil
    skip { $0 == ascii(" ") || $0 == ascii("T") || $0 == ascii("t") || $0 == ascii(",") }
    if let hour = number(maxDigits: 2) {
      guard accept(":"), let minute = number(maxDigits: 2) else { return nil }
      var second = 0
      if accept(":") {
        guard let s = number(maxDigits: 2) else { return nil }
        second = s
        if accept(".") { _ = number(maxDigits: 9) }
      }
      seconds = hour * 3600 + minute * 60 + second
      skip { $0 == ascii(" ") }
      if accept("p") || accept("P") {
        if hour < 12 { seconds += 12 * 3600 }
        _ = accept("m") || accept("M")
      } else if accept("a") || accept("A") {
        if hour == 12 { seconds -= 12 * 3600 }
        _ = accept("m") || accept("M")
      }
      skip { $0 == ascii(" ") }
    }
    if accept("Z") || accept("z") {
      offset = 0
    } else if i < bytes.count, bytes[i] == ascii("+") || bytes[i] == ascii("-") {
      let sign = bytes[i] == ascii("-") ? -1 : 1
      i += 1
      guard let hours = number(maxDigits: 2) else { return nil }
      _ = accept(":")
      let minutes = number(maxDigits: 2) ?? 0
      offset = sign * (hours * 3600 + minutes * 60)
    } else if matchWord("UTC") || matchWord("GMT") {
      offset = 0
    }
    skip { $0 == ascii(" ") }
    guard i == bytes.count, (1...12).contains(month), (1...31).contains(day) else { return nil }
    let local = Int64(DateFilter.days(year: year, month: month, day: day)) * 86_400 + Int64(seconds)
    if let offset { return local - Int64(offset) }
    // Local time: take the zone's offset near that instant, then correct once for a DST edge.
    let guess = local - Int64(DateFilter.offset(timeZone, at: local))
    return local - Int64(DateFilter.offset(timeZone, at: guess))
  }

  /// `YYYY-MM-DD`, `Month DD, YYYY`, `DD Month YYYY` or `YYYY/MM/DD`.
  private mutating func parseDate() -> (Int, Int, Int)? {
    if let first = number(maxDigits: 4) {
      if accept("-") || accept("/") {
        guard let month = number(maxDigits: 2), accept("-") || accept("/"),
          let day = number(maxDigits: 2)
        else { return nil }
        return (first, month, day)
      }
      skip { $0 == ascii(" ") }
      guard let month = monthName() else { return nil }
      skip { $0 == ascii(" ") || $0 == ascii(",") }
      guard let year = number(maxDigits: 4) else { return nil }
      return (year, month, first)
    }
    // A leading weekday name ("Monday, March 14, 2016") is skipped.
    let start = i
    if monthName() != nil {
      i = start
    } else {
      while i < bytes.count && isLetter(bytes[i]) { i += 1 }
      skip { $0 == ascii(" ") || $0 == ascii(",") }
    }
    guard let month = monthName() else { return nil }
    skip { $0 == ascii(" ") }
    guard let day = number(maxDigits: 2) else { return nil }
    skip { $0 == ascii(" ") || $0 == ascii(",") }
    guard let year = number(maxDigits: 4) else { return nil }
    return (year, month, day)
  }

  /// A month name or an abbreviation of at least three letters, any case.
  private mutating func monthName() -> Int? {
    let start = i
    while i < bytes.count && isLetter(bytes[i]) { i += 1 }
    let word = bytes[start..<i].map { $0 | 0x20 }
    if word.count >= 3 {
      for (index, name) in DateFilter.monthNames.enumerated() {
        let lower = name.utf8.map { $0 | 0x20 }
        if lower.starts(with: word) { return index + 1 }
      }
    }
    i = start
    return nil
  }

  private mutating func matchWord(_ word: String) -> Bool {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, bytes[i..<i + w.count].elementsEqual(w) else { return false }
    i += w.count
    return true
  }

  private mutating func number(maxDigits: Int) -> Int? {
    var value = 0
    var count = 0
    while i < bytes.count, count < maxDigits, ExpressionLexer.isDigit(bytes[i]) {
      value = value * 10 + Int(bytes[i] - 0x30)
      count += 1
      i += 1
    }
    return count > 0 ? value : nil
  }

  private mutating func accept(_ c: Unicode.Scalar) -> Bool {
    guard i < bytes.count, bytes[i] == UInt8(ascii: c) else { return false }
    i += 1
    return true
  }

  private mutating func skip(_ predicate: (UInt8) -> Bool) {
    while i < bytes.count && predicate(bytes[i]) { i += 1 }
  }

  private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}

private func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }
