// The RFC 5322 Date header, computed from epoch seconds by hand: no
// DateFormatter, no locale, no time zone database, so the output is the same
// on every machine.

enum DateHeader {
  private static let weekdays: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  private static let months: [StaticString] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]
  /// 9999-12-31T23:59:59Z; later dates are clamped so the year keeps four digits.
  private static let latest: Int64 = 253_402_300_799
  /// 0000-01-01T00:00:00Z (proleptic Gregorian).
  private static let earliest: Int64 = -62_167_219_200

  /// A civil UTC date and time.
  struct Civil: Equatable {
    var year: Int, month: Int, day: Int, weekday: Int
    var hour: Int, minute: Int, second: Int
  }

  /// Splits epoch seconds into a proleptic Gregorian UTC date and time.
  static func civil(fromEpochSeconds seconds: Int64) -> Civil {
    let t = min(max(seconds, earliest), latest)
    var days = t / 86_400
    var secondOfDay = t % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    // 1970-01-01 was a Thursday (4, counting Sunday as 0).
    let weekday = Int(((days % 7) + 11) % 7)

    // Count from 0000-03-01 so that the leap day is the last day of a
    // "year"; then every 400-year cycle has exactly 146 097 days.
    let shifted = days + 719_468
    let cycle = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfCycle = shifted - cycle * 146_097  // 0...146096
    // Years into the cycle: remove the leap days that 4-, 100- and 400-year
    // rules add before this day, then divide by 365.
    let yearOfCycle =
      (dayOfCycle - dayOfCycle / 1_460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365
    let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
    // Months from March: lengths 31,30,31,30,31,31,30,31,30,31,31,28/29
    // follow the line (153 * m + 2) / 5.
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    let year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0)

    return Civil(
      year: Int(year), month: Int(month), day: Int(day), weekday: weekday,
      hour: Int(secondOfDay / 3_600), minute: Int(secondOfDay / 60 % 60),
      second: Int(secondOfDay % 60))
  }

  /// Appends e.g. `Sun, 12 Jan 1997 12:00:00 +0000`.
  static func append(epochSeconds: Int64, to out: inout [UInt8]) {
    let c = civil(fromEpochSeconds: epochSeconds)
    out.append(ascii: weekdays[c.weekday])
    out.append(ascii: ", ")
    out.append(decimal: c.day, width: 2)
    out.append(ASCII.space)
    out.append(ascii: months[c.month - 1])
    out.append(ASCII.space)
    out.append(decimal: c.year, width: 4)
    out.append(ASCII.space)
    out.append(decimal: c.hour, width: 2)
    out.append(UInt8(ascii: ":"))
    out.append(decimal: c.minute, width: 2)
    out.append(UInt8(ascii: ":"))
    out.append(decimal: c.second, width: 2)
    out.append(ascii: " +0000")
  }
}
