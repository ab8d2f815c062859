import FlowIR
import Foundation
import MemberStore
import Testing

@testable import FlowHost
@testable import FlowRuntime

/// Replays a slice of the real CDNOW purchase log through the product and
/// checks every cell of the step summary against counts worked out here,
/// from the raw lines, with nothing but plain Swift.
@Suite struct CDNOWCountTests {
  static let dataLines = 4000
  static let day: Int64 = 86_400
  /// The end of 1998-06-30, UTC.
  static let end: Int64 = 899_251_199

  static let program = """
    segment vip = member.total_spent >= 500 USD and member.order_count >= 3
    segment lapsing = member.order_count >= 1 and member.last_order_at before 90d ago

    flow welcome {
      trigger member_joined
      only if member.consent.email
      exit when event order_placed where member.order_count >= 2
      send welcome_email { template "t" subject "Welcome" }
      wait 14d
      send second_order_offer { template "t" subject "A thank-you for your next order" }
    }

    flow vip_upgrade {
      trigger enters segment vip
      send vip_welcome { template "t" subject "You are a VIP" }
    }

    flow winback {
      trigger enters segment lapsing
      reentry after 180d
      exit when event order_placed
      send winback_email { template "t" subject "We miss you" }
      wait 30d
      send winback_reminder { template "t" subject "Still thinking it over?" }
    }
    """

  /// The header and the first `dataLines` purchases, exactly as in the file (CRLF).
  static func slice() throws -> String {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../scripts/demo-data/cdnow/CDNOW_master.txt").standardized.path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // The file has CRLF line ends, and "\r\n" is one Character: split on newlines.
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .prefix(dataLines + 1)
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  // MARK: The independent model

  /// Epoch seconds of 12:00 UTC on a YYYYMMDD date (days from civil, Howard Hinnant's algorithm).
  static func noon(_ yyyymmdd: String) -> Int64 {
    let n = Int(yyyymmdd)!
    var y = n / 10_000
    let m = n / 100 % 100
    let d = n % 100
    y -= m <= 2 ? 1 : 0
    let era = y / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int64(era * 146_097 + doe - 719_468) * day + 12 * 3600
  }

  /// "11.77" -> 1177, "12.5" -> 1250, "0" -> 0.
  static func cents(_ dollars: String) -> Int64 {
    let parts = dollars.split(separator: ".", omittingEmptySubsequences: false)
    var fraction = parts.count > 1 ? String(parts[1]) : "0"
    while fraction.count < 2 { fraction += "0" }
    return Int64(parts[0])! * 100 + Int64(fraction)!
  }

  struct Expected: Equatable, CustomStringConvertible {
    var members = 0
    var welcomeExited = 0
    var offers = 0
    var vips = 0
    var winbackEntries = 0
    var winbackExited = 0
    var reminders = 0

    var description: String {
      "members \(members), welcome exited \(welcomeExited), offers \(offers), vips \(vips), "
        + "winback entries \(winbackEntries), exited \(winbackExited), reminders \(reminders)"
    }
  }

  static func expected(_ text: String) -> Expected {
    var orders: [Int: [(time: Int64, cents: Int64)]] = [:]
    for raw in text.split(whereSeparator: \.isNewline) {
      let columns = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard columns.count == 4, let customer = Int(columns[0]) else { continue }  // header
      orders[customer, default: []].append((noon(String(columns[1])), cents(String(columns[3]))))
    }
    var result = Expected()
    for (_, list) in orders {
      let sorted = list.sorted { $0.time < $1.time }
      let times = sorted.map(\.time)
      result.members += 1
      let joined = times[0] - 1

      // welcome: exits on the second order if it comes before the wait ends.
      if times.count >= 2 && times[1] < joined + 14 * day {
        result.welcomeExited += 1
      } else if joined + 14 * day <= end {
        result.offers += 1
      }

      // vip: 500 USD over at least three orders (all orders are before the end).
      if times.count >= 3 && sorted.map(\.cents).reduce(0, +) >= 50_000 { result.vips += 1 }

      // winback: lapses 90 days after an order with no order in between.
      let distinct = Array(Set(times)).sorted()
      var lastEntry: Int64?
      for (i, t) in distinct.enumerated() {
        let lapse = t + 90 * day
        guard lapse <= end else { continue }
        if i + 1 < distinct.count && distinct[i + 1] < lapse { continue }
        if let last = lastEntry, lapse < last + 180 * day { continue }
        lastEntry = lapse
        result.winbackEntries += 1
        if distinct.contains(where: { $0 >= lapse && $0 < lapse + 30 * day }) {
          result.winbackExited += 1
        } else if lapse + 30 * day <= end {
          result.reminders += 1
        }
      }
    }
    return result
  }

  static func rows(_ e: Expected) -> [StepSummary.Row] {
    func row(_ flow: String, _ step: String, entered: Int, sent: Int = 0, exited: Int = 0)
      -> StepSummary.Row
    {
      var r = StepSummary.Row(flow: flow, step: step)
      r.entered = entered
      r.sent = sent
      r.exited = exited
      return r
    }
    return [
      row("welcome", "welcome_email", entered: e.members, sent: e.members),
      row("welcome", "wait_1", entered: e.members, exited: e.welcomeExited),
      row("welcome", "second_order_offer", entered: e.offers, sent: e.offers),
      row("vip_upgrade", "vip_welcome", entered: e.vips, sent: e.vips),
      row("winback", "winback_email", entered: e.winbackEntries, sent: e.winbackEntries),
      row("winback", "wait_1", entered: e.winbackEntries, exited: e.winbackExited),
      row("winback", "winback_reminder", entered: e.reminders, sent: e.reminders),
    ]
  }

  // MARK: The test

  @Test func endIsTheLastSecondOfJune1998() {
    #expect(Self.end == utc(1998, 7, 1) - 1)
    #expect(Self.noon("19970101") == utc(1997, 1, 1, 12))
    #expect(Self.noon("19980630") == utc(1998, 6, 30, 12))
    #expect(Self.cents("11.77") == 1177 && Self.cents("12.5") == 1250 && Self.cents("0") == 0)
  }

  @Test func summaryMatchesIndependentCounts() throws {
    let text = try Self.slice()
    let expected = Self.expected(text)
    // The model's own figures for this slice, so a change in either side shows.
    #expect(
      expected
        == Expected(
          members: 1242, welcomeExited: 122, offers: 1120, vips: 40, winbackEntries: 1522,
          winbackExited: 132, reminders: 1364))

    let database = temporaryPath(".sqlite")
    let outbox = temporaryPath("-outbox")
    defer {
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: database + suffix)
      }
      try? FileManager.default.removeItem(atPath: outbox)
    }
    let templates = try TemplateLibrary(files: ["t.html.liquid": "<p>Hi {{ member.email }}</p>"])
    let program = try compileFlow(Self.program, templates: templates.names)
    let project = Project(
      files: [], diagnostics: [], program: program, templates: templates)
    let shop = ShopSettings(
      name: "CDNOW", url: "https://cdnow.example.com", fromEmail: "hello@cdnow.example.com",
      timezone: "UTC", currency: "USD")
    let service = try FlowService(
      databasePath: database, project: project, shop: shop, outboxDirectory: outbox,
      now: utc(2024, 1, 1))

    let report = try CDNOWImporter(consent: ConsentStatus.optedIn, importedAt: utc(2024, 1, 1))
      .importLog(text, into: service.store)
    #expect(report.members == 1242)
    #expect(report.orders == Self.dataLines)

    let drain = try service.replay(until: Self.end, deliveredAt: utc(2024, 1, 1))
    #expect(drain.events == 1242 + Self.dataLines)

    let summary = try service.summary()
    let want = Self.rows(expected)
    #expect(summary.rows.count == want.count)
    for (got, wanted) in zip(summary.rows, want) {
      #expect(got == wanted, "\(expected)")
    }
    let direct = StepSummary(program: program, counts: try service.store.stepCounts())
    #expect(direct == summary)

    // Every sent message was delivered to the folder, once.
    let files = try FileManager.default.contentsOfDirectory(atPath: outbox).filter {
      $0.hasSuffix(".eml")
    }
    #expect(files.count == want.map(\.sent).reduce(0, +))
    #expect(try service.store.pendingOutbox(limit: 10).isEmpty)
  }
}

@Suite struct CDNOWImportFormatTests {
  @Test func byteOrderMarkBeforeTheHeaderIsIgnored() {
    let text =
      "\u{FEFF} customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n"
    let parsed = CDNOWImporter.parse(text)
    #expect(parsed.errors.isEmpty)
    #expect(parsed.purchases.map(\.cents) == [1177])
  }
}
