import Foundation

/// Abbreviations for `%Z`. Foundation on Linux names zones "GMT-5" rather than "EST", which
/// reads badly in an email, so common zones get their conventional names here; others fall
/// back to Foundation's.
enum TimeZoneAbbreviation {
  /// Standard and daylight abbreviations by zone identifier.
  private static let names: [String: (standard: String, daylight: String)] = {
    var table: [String: (String, String)] = [
      // Foundation normalizes "UTC" to "GMT"; the default zone should print as UTC.
      "UTC": ("UTC", "UTC"), "Etc/UTC": ("UTC", "UTC"), "GMT": ("UTC", "UTC"),
      "America/New_York": ("EST", "EDT"), "America/Detroit": ("EST", "EDT"),
      "America/Toronto": ("EST", "EDT"), "America/Chicago": ("CST", "CDT"),
      "America/Winnipeg": ("CST", "CDT"), "America/Denver": ("MST", "MDT"),
      "America/Edmonton": ("MST", "MDT"), "America/Phoenix": ("MST", "MST"),
      "America/Los_Angeles": ("PST", "PDT"), "America/Vancouver": ("PST", "PDT"),
      "America/Anchorage": ("AKST", "AKDT"), "Pacific/Honolulu": ("HST", "HST"),
      "America/Halifax": ("AST", "ADT"), "America/St_Johns": ("NST", "NDT"),
      "Europe/London": ("GMT", "BST"), "Europe/Dublin": ("GMT", "IST"),
      "Europe/Lisbon": ("WET", "WEST"), "Asia/Tokyo": ("JST", "JST"),
      "Asia/Seoul": ("KST", "KST"), "Asia/Kolkata": ("IST", "IST"),
      "Asia/Shanghai": ("CST", "CST"), "Asia/Hong_Kong": ("HKT", "HKT"),
      "Australia/Sydney": ("AEST", "AEDT"), "Australia/Melbourne": ("AEST", "AEDT"),
      "Australia/Brisbane": ("AEST", "AEST"), "Australia/Adelaide": ("ACST", "ACDT"),
      "Australia/Perth": ("AWST", "AWST"), "Pacific/Auckland": ("NZST", "NZDT"),
    ]
    for city in [
      "Paris", "Berlin", "Madrid", "Rome", "Amsterdam", "Brussels", "Vienna", "Stockholm",
      "Oslo", "Copenhagen", "Zurich", "Prague", "Warsaw", "Budapest", "Luxembourg",
    ] {
      table["Europe/" + city] = ("CET", "CEST")
    }
    for city in ["Athens", "Helsinki", "Kiev", "Kyiv", "Bucharest", "Sofia", "Riga", "Vilnius"] {
      table["Europe/" + city] = ("EET", "EEST")
    }
    return table
  }()

  static func name(_ timeZone: TimeZone, at epoch: Int64) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(epoch))
    if let pair = names[timeZone.identifier] {
      return timeZone.isDaylightSavingTime(for: date) ? pair.daylight : pair.standard
    }
    return timeZone.abbreviation(for: date) ?? timeZone.identifier
  }
}
