import FlowIR
import Foundation
import Testing

@testable import FlowRuntime

@Suite struct ZonedCalendarTests {
  private func calendar(_ zone: String) throws -> ZonedCalendar {
    ZonedCalendar(zone: try #require(TimeZone(identifier: zone)))
  }

  // MARK: wait 1d keeps the local time across DST

  @Test func oneDayAcrossBerlinSpringForwardKeepsTenOClock() throws {
    let berlin = try calendar("Europe/Berlin")
    // 2024-03-30 10:00 CET (UTC+1) -> 2024-03-31 10:00 CEST (UTC+2): a 23-hour day.
    let start = utc(2024, 3, 30, 9)
    let end = berlin.add(Duration(1, .days), to: start)
    #expect(end == utc(2024, 3, 31, 8))
    #expect(end - start == 23 * 3600)
    let local = berlin.wallClock(end)
    #expect(local.date == CalendarDate(year: 2024, month: 3, day: 31))
    #expect(local.hour == 10 && local.minute == 0 && local.second == 0)
  }

  @Test func oneDayAcrossBerlinFallBackKeepsTenOClock() throws {
    let berlin = try calendar("Europe/Berlin")
    // 2024-10-26 10:00 CEST -> 2024-10-27 10:00 CET: a 25-hour day.
    let start = utc(2024, 10, 26, 8)
    let end = berlin.add(Duration(1, .days), to: start)
    #expect(end == utc(2024, 10, 27, 9))
    #expect(end - start == 25 * 3600)
    #expect(berlin.wallClock(end).hour == 10)
  }

  @Test func oneDayAcrossNewYorkSpringForwardAndFallBack() throws {
    let newYork = try calendar("America/New_York")
    // 2024-03-09 10:00 EST (UTC-5) -> 2024-03-10 10:00 EDT (UTC-4).
    #expect(newYork.add(Duration(1, .days), to: utc(2024, 3, 9, 15)) == utc(2024, 3, 10, 14))
    // 2024-11-02 10:00 EDT -> 2024-11-03 10:00 EST.
    #expect(newYork.add(Duration(1, .days), to: utc(2024, 11, 2, 14)) == utc(2024, 11, 3, 15))
    // A week is seven calendar days: 2024-03-07 10:00 EST -> 2024-03-14 10:00 EDT.
    #expect(newYork.add(Duration(1, .weeks), to: utc(2024, 3, 7, 15)) == utc(2024, 3, 14, 14))
  }

  @Test func hoursAndMinutesAreElapsedTimeAcrossDST() throws {
    let berlin = try calendar("Europe/Berlin")
    let start = utc(2024, 3, 30, 9)
    #expect(berlin.add(Duration(36, .hours), to: start) - start == 129_600)
    #expect(berlin.add(Duration(36, .hours), to: start) == utc(2024, 3, 31, 21))
    #expect(
      berlin.add(Duration(90, .minutes), to: utc(2024, 10, 27, 0, 30)) == utc(2024, 10, 27, 2))
    let newYork = try calendar("America/New_York")
    #expect(newYork.add(Duration(36, .hours), to: utc(2024, 11, 2, 14)) == utc(2024, 11, 4, 2))
  }

  // MARK: Gaps and repeats

  @Test func skippedLocalTimeMovesToTheJump() throws {
    let berlin = try calendar("Europe/Berlin")
    // 02:30 does not exist on 2024-03-31 in Berlin: clocks jump 02:00 CET -> 03:00 CEST at 01:00 UTC.
    let instant = berlin.instant(
      date: CalendarDate(year: 2024, month: 3, day: 31), hour: 2, minute: 30)
    #expect(instant == utc(2024, 3, 31, 1))
    let local = berlin.wallClock(instant)
    #expect(local.hour == 3 && local.minute == 0)
    // New York jumps 02:00 EST -> 03:00 EDT at 07:00 UTC on 2024-03-10.
    let newYork = try calendar("America/New_York")
    #expect(
      newYork.instant(date: CalendarDate(year: 2024, month: 3, day: 10), hour: 2, minute: 30)
        == utc(2024, 3, 10, 7))
  }

  @Test func repeatedLocalTimeResolvesToFirstOccurrence() throws {
    let berlin = try calendar("Europe/Berlin")
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET) on 2024-10-27.
    #expect(
      berlin.instant(date: CalendarDate(year: 2024, month: 10, day: 27), hour: 2, minute: 30)
        == utc(2024, 10, 27, 0, 30))
    let newYork = try calendar("America/New_York")
    // 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST) on 2024-11-03.
    #expect(
      newYork.instant(date: CalendarDate(year: 2024, month: 11, day: 3), hour: 1, minute: 30)
        == utc(2024, 11, 3, 5, 30))
  }

  @Test func waitStartedBeforeAGapLandsOnTheJump() throws {
    let berlin = try calendar("Europe/Berlin")
    // 2024-03-30 02:30 CET + 1d: 02:30 is skipped on the 31st, so the wait ends at 03:00 CEST.
    #expect(berlin.add(Duration(1, .days), to: utc(2024, 3, 30, 1, 30)) == utc(2024, 3, 31, 1))
  }

  @Test func southernHemisphereAndHalfHourShifts() throws {
    let sydney = try calendar("Australia/Sydney")
    // 2024-10-06: 02:00 AEST (UTC+10) jumps to 03:00 AEDT at 16:00 UTC on the 5th.
    #expect(
      sydney.instant(date: CalendarDate(year: 2024, month: 10, day: 6), hour: 2, minute: 30)
        == utc(2024, 10, 5, 16))
    // 2024-04-07: 03:00 AEDT falls back to 02:00 AEST; 02:30 first happens at 15:30 UTC on the 6th.
    #expect(
      sydney.instant(date: CalendarDate(year: 2024, month: 4, day: 7), hour: 2, minute: 30)
        == utc(2024, 4, 6, 15, 30))
    // Lord Howe moves by 30 minutes: 02:00 (UTC+10:30) -> 02:30 (UTC+11) on 2024-10-06.
    let lordHowe = try calendar("Australia/Lord_Howe")
    #expect(
      lordHowe.instant(date: CalendarDate(year: 2024, month: 10, day: 6), hour: 2, minute: 15)
        == utc(2024, 10, 5, 15, 30))
    #expect(lordHowe.add(Duration(1, .days), to: utc(2024, 10, 4, 23, 30)) == utc(2024, 10, 5, 23))
  }

  @Test func midnightSkippedByDSTStartsTheDayAtTheJump() throws {
    // Santiago springs forward at 00:00 (UTC-4) -> 01:00 (UTC-3) on 2024-09-08, at 04:00 UTC.
    let santiago = try calendar("America/Santiago")
    #expect(santiago.startOfDay(CalendarDate(year: 2024, month: 9, day: 8)) == utc(2024, 9, 8, 4))
    #expect(santiago.startOfDay(CalendarDate(year: 2024, month: 9, day: 9)) == utc(2024, 9, 9, 3))
  }

  // MARK: Anniversaries

  @Test func february29FallsOnFebruary28InCommonYears() throws {
    let berlin = try calendar("Europe/Berlin")
    let nine = LocalTime(hour: 9, minute: 0)
    // 09:00 CET is 08:00 UTC.
    #expect(
      berlin.nextAnniversary(month: 2, day: 29, at: nine, after: utc(2025, 1, 1))
        == utc(2025, 2, 28, 8))
    #expect(
      berlin.nextAnniversary(month: 2, day: 29, at: nine, after: utc(2028, 1, 1))
        == utc(2028, 2, 29, 8))
    // Strictly after: from the 2025 firing itself, the next one is 2026-02-28.
    #expect(
      berlin.nextAnniversary(month: 2, day: 29, at: nine, after: utc(2025, 2, 28, 8))
        == utc(2026, 2, 28, 8))
    // From 2027-03-01 the next is the real Feb 29 of 2028.
    #expect(
      berlin.nextAnniversary(month: 2, day: 29, at: nine, after: utc(2027, 3, 1))
        == utc(2028, 2, 29, 8))
  }

  @Test func anniversaryLaterTodayAndInSummerTime() throws {
    let newYork = try calendar("America/New_York")
    let nine = LocalTime(hour: 9, minute: 0)
    // 2024-07-15 09:00 EDT is 13:00 UTC; asked at 08:59 EDT the same day.
    #expect(
      newYork.nextAnniversary(month: 7, day: 15, at: nine, after: utc(2024, 7, 15, 12, 59))
        == utc(2024, 7, 15, 13))
    #expect(
      newYork.nextAnniversary(month: 7, day: 15, at: nine, after: utc(2024, 7, 15, 13))
        == utc(2025, 7, 15, 13))
  }

  // MARK: Quiet hours

  @Test func quietWindowWrappingMidnight() throws {
    let berlin = try calendar("Europe/Berlin")
    let window = QuietHours(
      start: LocalTime(hour: 21, minute: 0), end: LocalTime(hour: 8, minute: 0))
    // 2024-01-10 23:00 CET (22:00 UTC): ends 2024-01-11 08:00 CET (07:00 UTC).
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 10, 22)) == utc(2024, 1, 11, 7))
    // 2024-01-11 07:00 CET: ends the same morning at 08:00.
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 11, 6)) == utc(2024, 1, 11, 7))
    // 12:00 CET is outside.
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 11, 11)) == nil)
    // Edges: 21:00 is inside, 08:00 is not.
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 11, 20)) == utc(2024, 1, 12, 7))
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 11, 7)) == nil)
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 1, 11, 6, 59)) == utc(2024, 1, 11, 7))
  }

  @Test func quietWindowWithinOneDay() throws {
    let utcCalendar = try calendar("UTC")
    let window = QuietHours(
      start: LocalTime(hour: 12, minute: 0), end: LocalTime(hour: 14, minute: 0))
    #expect(utcCalendar.quietWindowEnd(window, at: utc(2024, 5, 1, 13, 15)) == utc(2024, 5, 1, 14))
    #expect(utcCalendar.quietWindowEnd(window, at: utc(2024, 5, 1, 11, 59)) == nil)
    #expect(utcCalendar.quietWindowEnd(window, at: utc(2024, 5, 1, 14)) == nil)
  }

  @Test func quietWindowEndingOnASpringForwardNight() throws {
    let berlin = try calendar("Europe/Berlin")
    let window = QuietHours(
      start: LocalTime(hour: 21, minute: 0), end: LocalTime(hour: 8, minute: 0))
    // 2024-03-30 23:00 CET (22:00 UTC): ends 2024-03-31 08:00 CEST (06:00 UTC).
    #expect(berlin.quietWindowEnd(window, at: utc(2024, 3, 30, 22)) == utc(2024, 3, 31, 6))
  }

  // MARK: Fast path

  /// Deterministic instants from 1901 to 2100.
  private func sampleInstants() -> [Int64] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var result: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 4_102_444_799]
    for _ in 0..<500 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      result.append(Int64(state >> 33) % 6_311_433_600 - 2_177_452_800)
    }
    return result
  }

  @Test func utcFastPathMatchesFoundationCalendar() throws {
    let fast = try calendar("UTC")
    var gregorian = Calendar(identifier: .gregorian)
    gregorian.timeZone = try #require(TimeZone(identifier: "UTC"))
    for instant in sampleInstants() {
      let date = Date(timeIntervalSince1970: Double(instant))
      let parts = gregorian.dateComponents(
        [.year, .month, .day, .hour, .minute, .second], from: date)
      let local = fast.wallClock(instant)
      #expect(
        [local.date.year, local.date.month, local.date.day, local.hour, local.minute, local.second]
          == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map {
            $0 ?? -1
          }, "instant \(instant)")
      #expect(
        fast.instant(date: local.date, hour: local.hour, minute: local.minute, second: local.second)
          == instant)
      let threeDays = try #require(gregorian.date(byAdding: .day, value: 3, to: date))
      #expect(fast.add(Duration(3, .days), to: instant) == Int64(threeDays.timeIntervalSince1970))
    }
  }

  @Test func utcFastPathMatchesGeneralPathInLondonWinter() throws {
    // Europe/London has DST, so it takes the general path; in winter its offset is 0,
    // so for instants well away from a change both must agree exactly.
    let fast = try calendar("UTC")
    let general = try calendar("Europe/London")
    for year in [1999, 2010, 2024, 2037] {
      for (month, dayOfMonth) in [(11, 20), (12, 1), (12, 31), (1, 1), (1, 15), (2, 10)] {
        for hour in [0, 1, 9, 12, 23] {
          let instant = utc(year, month, dayOfMonth, hour, 17, 42)
          let a = fast.wallClock(instant)
          let b = general.wallClock(instant)
          #expect(
            a.date == b.date && a.hour == b.hour && a.minute == b.minute && a.second == b.second)
          #expect(
            fast.instant(date: a.date, hour: a.hour, minute: a.minute, second: a.second)
              == general.instant(date: b.date, hour: b.hour, minute: b.minute, second: b.second))
          #expect(
            fast.add(Duration(2, .days), to: instant)
              == general.add(Duration(2, .days), to: instant))
          #expect(fast.startOfDay(a.date) == general.startOfDay(b.date))
        }
      }
    }
  }

  @Test func zoneWithoutDSTButWithAnOffsetChangeUsesTheRightOffset() throws {
    // Pyongyang used UTC+08:30 from 2015-08-15 to 2018-05-04, and UTC+9 before and after.
    let pyongyang = try calendar("Asia/Pyongyang")
    let local = pyongyang.wallClock(utc(2016, 6, 1, 0, 0))
    #expect(local.hour == 8 && local.minute == 30)
    #expect(pyongyang.wallClock(utc(2024, 6, 1, 0, 0)).hour == 9)
  }
}
