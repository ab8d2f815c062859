import FlowIR
import Foundation

/// Dates and times as scenarios write them: `2026-03-29 09:00` is UTC,
/// `2026-03-29 09:00 Europe/Berlin` is local time in that IANA zone.
enum MomentSyntax {
  /// `DATE TIME [ZONE]`.
  static func moment(_ cursor: inout WordCursor) throws -> Moment {
    let date = try self.date(cursor.next("a date (YYYY-MM-DD)"))
    let timeWord = try cursor.next("a time (HH:MM)")
    guard let time = time(timeWord.text), !timeWord.isQuoted else {
      throw ScenarioProblem(
        message: "'\(timeWord.text)' is not a time (HH:MM)", span: timeWord.span)
    }
    let zone = try self.zone(&cursor)
    return Moment(instant: instant(date, minuteOfDay: time, zone: zone), zone: zone?.identifier)
  }

  /// `DATE [TIME] [ZONE]`; a date alone means the end of that day.
  static func limit(_ cursor: inout WordCursor) throws -> Int64 {
    let date = try self.date(cursor.next("a date (YYYY-MM-DD)"))
    let time = cursor.peek.flatMap { $0.isQuoted ? nil : self.time($0.text) }
    if time != nil { _ = try cursor.next("a time") }
    let zone = try self.zone(&cursor)
    if let time { return instant(date, minuteOfDay: time, zone: zone) }
    return instant(date.adding(days: 1), minuteOfDay: 0, zone: zone) - 1
  }

  static func date(_ word: Word) throws -> CalendarDate {
    guard let date = date(word.text), !word.isQuoted else {
      throw ScenarioProblem(message: "'\(word.text)' is not a date (YYYY-MM-DD)", span: word.span)
    }
    return date
  }

  /// A valid `YYYY-MM-DD`, or nil.
  static func date(_ text: String) -> CalendarDate? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard text.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    let date = CalendarDate(year: year, month: month, day: day)
    return date.isValid ? date : nil
  }

  /// Minutes since midnight of a valid `HH:MM`, or nil.
  private static func time(_ text: String) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard text.count == 5, parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
      (0...23).contains(hour), (0...59).contains(minute)
    else { return nil }
    return hour * 60 + minute
  }

  /// An optional zone after a time: `UTC` or a name with a slash, so a zone
  /// never swallows the word that follows (`event`, `set`).
  private static func zone(_ cursor: inout WordCursor) throws -> TimeZone? {
    guard let word = cursor.peek, !word.isQuoted, word.text == "UTC" || word.text.contains("/")
    else { return nil }
    _ = try cursor.next("a time zone")
    guard let zone = TimeZone(identifier: word.text) else {
      throw ScenarioProblem(message: "unknown time zone '\(word.text)'", span: word.span)
    }
    return zone
  }

  /// The instant of a wall-clock time; nil zone is UTC. Foundation resolves a
  /// time skipped or repeated by a DST change; write such times in UTC.
  private static func instant(_ date: CalendarDate, minuteOfDay: Int, zone: TimeZone?) -> Int64 {
    let utc = Int64(date.daysSinceEpoch) * 86_400 + Int64(minuteOfDay) * 60
    guard let zone else { return utc }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let components = DateComponents(
      year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60,
      minute: minuteOfDay % 60)
    return calendar.date(from: components).map { Int64($0.timeIntervalSince1970) } ?? utc
  }

  /// `2026-03-01 15:00 UTC`, or in `zone` (`2026-03-29 09:00 Europe/Berlin`).
  static func text(_ instant: Int64, zone: String?) -> (date: String, time: String) {
    let offset =
      zone.flatMap { TimeZone(identifier: $0) }
      .map { Int64($0.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))) } ?? 0
    let local = instant + offset
    let minuteOfDay = Int(((local % 86_400) + 86_400) % 86_400) / 60
    let date = CalendarDate(utcDayOf: local).isoText
    let time =
      CalendarDate.twoDigits(minuteOfDay / 60) + ":" + CalendarDate.twoDigits(minuteOfDay % 60)
    return (date, time + " " + (zone ?? "UTC"))
  }
}
