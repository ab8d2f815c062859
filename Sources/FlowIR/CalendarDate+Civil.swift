/// Proleptic Gregorian conversions with exact integer arithmetic (no Foundation,
/// so they are cheap enough for the runtime's hot paths).
extension CalendarDate {
  /// Days from 1970-01-01 to this date (negative before).
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date `days` after 1970-01-01.
  public init(daysSinceEpoch days: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  /// ISO day of the week: 1 Monday ... 7 Sunday (1970-01-01 was a Thursday).
  public var isoWeekday: Int {
    let fromThursday = daysSinceEpoch % 7
    return (fromThursday + 10) % 7 + 1
  }

  /// The date `days` later (or earlier, for a negative count).
  public func adding(days: Int) -> CalendarDate {
    CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
  }

  /// Whether the date exists (month 1-12, day within the month).
  public var isValid: Bool {
    guard (1...12).contains(month), day >= 1 else { return false }
    let lengths = [31, Self.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]
  }

  public static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }
}

extension CalendarDate {
  /// The UTC calendar date of an instant (seconds since 1970-01-01T00:00:00Z).
  public init(utcDayOf instant: Int64) {
    let secondOfDay = ((instant % 86_400) + 86_400) % 86_400
    self.init(daysSinceEpoch: Int((instant - secondOfDay) / 86_400))
  }

  /// `YYYY-MM-DD`, as the language writes date literals and ISO 8601 does.
  public var isoText: String {
    let year = String(year)
    return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-"
      + Self.twoDigits(month) + "-" + Self.twoDigits(day)
  }

  /// A number below 100 with a leading zero: `7` is `07`.
  public static func twoDigits(_ number: Int) -> String {
    number < 10 ? "0\(number)" : "\(number)"
  }
}
