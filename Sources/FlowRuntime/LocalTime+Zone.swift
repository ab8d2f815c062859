import FlowIR
import Foundation

/// Calendar arithmetic in one time zone, as the language defines it: days and
/// weeks keep the local wall-clock time across DST changes; minutes and hours
/// are elapsed time. All instants are epoch seconds in UTC.
/// Public so a deploy re-times a wait exactly as the engine timed it.
public struct ZonedCalendar {
  let zone: TimeZone
  /// Zones without DST (UTC, most of Asia) take the fast path: fixed offset.
  private let fixedOffset: Int64?

  public init(zone: TimeZone) {
    self.zone = zone
    let probes: [Double] = [0, 15_552_000, 1_700_000_000, 1_715_000_000]
    let offsets = Set(probes.map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) })
    let hasTransitions =
      zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: 0))
      != nil
    fixedOffset = offsets.count == 1 && !hasTransitions ? Int64(offsets.first ?? 0) : nil
  }

  /// `instant + duration` with the language's calendar rules.
  public func add(_ duration: FlowIR.Duration, to instant: Int64) -> Int64 {
    switch duration.unit {
    case .minutes: return instant + Int64(duration.amount) * 60
    case .hours: return instant + Int64(duration.amount) * 3600
    case .days: return addDays(duration.amount, to: instant)
    case .weeks: return addDays(duration.amount * 7, to: instant)
    }
  }

  private func addDays(_ days: Int, to instant: Int64) -> Int64 {
    if fixedOffset != nil { return instant + Int64(days) * 86_400 }
    let local = wallClock(instant)
    let target = local.date.adding(days: days)
    return self.instant(date: target, hour: local.hour, minute: local.minute, second: local.second)
  }

  /// The local date and time of an instant.
  func wallClock(_ instant: Int64) -> (date: CalendarDate, hour: Int, minute: Int, second: Int) {
    let offset =
      fixedOffset ?? Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    let local = instant + offset
    let days = Int(floorDiv(local, 86_400))
    let secondOfDay = Int(local - Int64(days) * 86_400)
    return (
      CalendarDate(daysSinceEpoch: days), secondOfDay / 3600, secondOfDay / 60 % 60,
      secondOfDay % 60
    )
  }

  /// The instant of a local date and time. A time skipped by a DST change moves
  /// forward by the gap; a time that occurs twice resolves to its first occurrence.
  func instant(date: CalendarDate, hour: Int, minute: Int, second: Int = 0) -> Int64 {
    let naive =
      Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    if let fixedOffset { return naive - fixedOffset }
    // Try the offsets in force a day either side; keep the earliest that maps back exactly.
    let candidates = [naive - 86_400, naive, naive + 86_400].map {
      Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0))))
    }
    let exact = Set(candidates).map { naive - $0 }.filter { instantOffset($0) == naive - $0 }
    if let first = exact.min() { return first }
    // In a gap: the next valid minute is the moment the clocks jump.
    let beforeGap = naive - (candidates.max() ?? 0)
    let jump = zone.nextDaylightSavingTimeTransition(
      after: Date(timeIntervalSince1970: Double(beforeGap)))
    return jump.map { Int64($0.timeIntervalSince1970) } ?? naive - candidates[0]
  }

  private func instantOffset(_ instant: Int64) -> Int64 {
    Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
  }

  /// The first instant strictly after `after` at `time` on the yearly date
  /// (month, day). February 29 falls on February 28 in common years.
  func nextAnniversary(month: Int, day: Int, at time: LocalTime, after: Int64) -> Int64 {
    var year = wallClock(after).date.year - 1
    while true {
      let fitsYear = !(month == 2 && day == 29 && !CalendarDate.isLeap(year))
      let date = CalendarDate(year: year, month: month, day: fitsYear ? day : 28)
      let candidate = instant(date: date, hour: time.hour, minute: time.minute)
      if candidate > after { return candidate }
      year += 1
    }
  }

  /// Whether `instant` falls inside a local window (which may wrap past midnight),
  /// and if so when the window ends.
  func quietWindowEnd(_ window: QuietHours, at instant: Int64) -> Int64? {
    let local = wallClock(instant)
    let minute = local.hour * 60 + local.minute
    let start = window.start.hour * 60 + window.start.minute
    let end = window.end.hour * 60 + window.end.minute
    let wraps = start > end
    let inside = wraps ? (minute >= start || minute < end) : (minute >= start && minute < end)
    guard inside else { return nil }
    let endsTomorrow = wraps && minute >= start
    let endDate = endsTomorrow ? local.date.adding(days: 1) : local.date
    return self.instant(date: endDate, hour: window.end.hour, minute: window.end.minute)
  }

  /// The earliest instant at or after `now` on one of `wait.weekdays` (any
  /// day if empty) at `wait.time` (the start of the day if nil; `now` itself
  /// when today qualifies). A week and a day of look-ahead always finds one.
  public func nextMoment(_ wait: WaitUntil, atOrAfter now: Int64) -> Int64 {
    let today = wallClock(now).date
    for offset in 0...8 {
      let date = today.adding(days: offset)
      guard wait.weekdays.isEmpty || wait.weekdays.contains(date.isoWeekday) else { continue }
      guard let time = wait.time else { return offset == 0 ? now : startOfDay(date) }
      let candidate = instant(date: date, hour: time.hour, minute: time.minute)
      if candidate >= now { return candidate }
    }
    return now
  }

  /// The instant a date begins (local midnight).
  public func startOfDay(_ date: CalendarDate) -> Int64 { instant(date: date, hour: 0, minute: 0) }

  /// Whether the zone never changes offset, so a day is always 86,400 seconds.
  public var hasFixedOffset: Bool { fixedOffset != nil }
}

// Civil-calendar conversions (proleptic Gregorian), exact integer arithmetic.

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  a >= 0 ? a / b : -((-a + b - 1) / b)
}
