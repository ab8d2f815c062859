import FlowIR

/// Reads the timestamps store exports write, to Unix seconds:
/// `2025-03-02T10:20:11-05:00` (Shopify), `2025-03-02T15:20:11.000Z`,
/// `2025-03-02T16:20:11` (WooCommerce `_gmt`, UTC without a `Z`),
/// `2024-03-14 09:12:31` (Mailchimp, UTC) and a bare `2024-03-14` (midnight UTC).
public enum Timestamp {
  public static func parse(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[range] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
    else { return nil }
    let date = CalendarDate(year: year, month: month, day: day)
    guard date.isValid else { return nil }
    var seconds = Int64(date.daysSinceEpoch) * 86_400
    guard bytes.count > 10 else { return seconds }
    guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
      bytes.count >= 16, bytes[13] == UInt8(ascii: ":"),
      let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60
    else { return nil }
    seconds += Int64(hour * 3600 + minute * 60)
    var index = 16
    if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
      guard let second = number(17..<19), second < 61 else { return nil }
      seconds += Int64(second)
      index = 19
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"),
        bytes[index] <= UInt8(ascii: "9")
      {
        index += 1
      }
    }
    guard index < bytes.count else { return seconds }
    if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count { return seconds }
    // A UTC offset: +HH:MM or +HHMM; local time minus the offset is UTC.
    guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
      let offsetHours = number((index + 1)..<(index + 3))
    else { return nil }
    var minutesStart = index + 3
    if minutesStart < bytes.count, bytes[minutesStart] == UInt8(ascii: ":") { minutesStart += 1 }
    guard minutesStart + 2 == bytes.count,
      let offsetMinutes = number(minutesStart..<(minutesStart + 2))
    else { return nil }
    let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
    return bytes[index] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
  }
}
