import FlowHost
import FlowIR
import FlowRuntime
import Foundation

/// `flowc replay`: run the stored history through the flows on a virtual clock.
enum Replay: Command {
  static let name = "replay"
  static let summary = "Replay stored events through the flows on a virtual clock."
  static let synopsis =
    "flowc replay --db DB (--outbox DIR | --transport smtp) [--flows DIR] [--templates DIR] "
    + "[--shop FILE] [--until DATE] [--format text|json]"
  static let discussion = """
    Events are applied in time order and timers fire as the clock passes them;
    conditions see each member as of the virtual time. Emails go to the outbox
    folder as .eml files, or with --transport smtp to the shop's SMTP server.
    Interrupted and started again, a replay continues where it stopped: no
    email is sent twice and none is lost. DATE is
    YYYY-MM-DD (end of that day in the shop's zone) or an ISO 8601 time;
    the default is the last stored event. Unlike 'flowc run', replay moves no
    member when the flows changed (see 'flowc plan'): a member at a removed step
    leaves when their timer fires, and a wait keeps the time it was given.
    """
  static let options: [OptionSpec] =
    RuntimeOptions.specs + [
      .value("until", "DATE", "Stop the clock here."),
      .value("format", "FORMAT", "text (default) or json."),
    ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    try arguments.expectNoPositionals()
    let format = try arguments.outputFormat()
    StopSignal.install()
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let until = try arguments.value("until").map { try parseMoment($0, zone: shop.timezone) }
    guard let service = try RuntimeOptions.openService(arguments, terminal, shop: shop) else {
      return 1
    }
    if let until, let clock = try service.replayClock(), clock > until {
      terminal.err(
        "note: this store was already replayed to \(Replay.day(clock)), past --until; "
          + "the clock never runs backwards, so there is nothing to do\n")
    }
    let report = try service.replay(
      until: until, deliveredAt: systemNow(),
      progress: { report in
        terminal.progress(
          "replaying: \(report.events) events, \(report.timers) timers, clock at "
            + Replay.day(report.clock))
      }, shouldStop: { StopSignal.received != nil })
    terminal.endProgress()
    if let signal = StopSignal.received {
      terminal.err(
        "replay stopped at \(Replay.day(report.clock)) with everything so far committed; "
          + "run the same command again to continue\n")
      return 128 + signal
    }
    terminal.err("replayed \(report.events) events and \(report.timers) timers\n")
    for skip in try service.skippedSends() where skip.reason != "no consent" {
      terminal.err(
        "warning: \(skip.count) send\(skip.count == 1 ? "" : "s") skipped at "
          + "\(skip.flow).\(skip.step): \(skip.reason)\n")
    }
    let summary = try service.summary()
    terminal.out(format == .json ? summary.json : summary.table)
    return 0
  }

  /// The UTC date of an instant, for progress lines.
  static func day(_ instant: Int64) -> String {
    CalendarDate(utcDayOf: instant).isoText
  }

  /// `1998-06-30` (the end of that day in `zone`) or an ISO 8601 instant.
  static func parseMoment(_ text: String, zone: String) throws -> Int64 {
    if let instant = ISO8601DateFormatter().date(from: text) {
      return Int64(instant.timeIntervalSince1970)
    }
    let parts = text.split(separator: "-").compactMap { Int($0) }
    let date = parts.count == 3 ? CalendarDate(year: parts[0], month: parts[1], day: parts[2]) : nil
    guard let date, date.isValid, text.count == 10 else {
      throw UsageError(message: "'\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 time")
    }
    let nextDay = date.adding(days: 1)
    var components = DateComponents()
    (components.year, components.month, components.day) = (nextDay.year, nextDay.month, nextDay.day)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
    guard let start = calendar.date(from: components) else {
      throw UsageError(message: "'\(text)' is out of range")
    }
    return Int64(start.timeIntervalSince1970) - 1
  }
}
