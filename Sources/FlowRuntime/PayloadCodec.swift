import FlowIR
import Foundation

/// Reads the JSON stored for event payloads and custom member fields into typed
/// values, guided by the declared types.
///
/// Canonical JSON shapes: money `{"amount": "77.00", "currency": "USD"}`,
/// timestamps as epoch seconds or ISO 8601 (`1997-01-12T12:00:00Z`), dates as
/// `YYYY-MM-DD`. A value of the wrong shape reads as null rather than failing
/// the member's whole event.
public enum PayloadCodec {
  /// The JSON object in `text`, or an empty one.
  static func object(_ text: String) -> [String: Any] {
    guard text != "{}", let data = text.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }

  /// Typed values for the fields of a schema.
  static func values(_ object: [String: Any], schema: [EventField]) -> [String: Value] {
    var result: [String: Value] = [:]
    for field in schema {
      if let raw = object[field.name] { result[field.name] = value(raw, as: field.type) }
    }
    return result
  }

  static func value(_ raw: Any, as type: ValueType) -> Value {
    switch type {
    case .optional(let inner): return value(raw, as: inner)
    case .string: return (raw as? String).map(Value.string) ?? .null
    case .number:
      if let number = raw as? NSNumber, !isBoolean(raw) { return .number(number.doubleValue) }
      return .null
    case .bool: return isBoolean(raw) ? .bool((raw as? Bool) ?? false) : .null
    case .money: return money(raw).map(Value.money) ?? .null
    case .date: return (raw as? String).flatMap(date).map(Value.date) ?? .null
    case .timestamp: return timestamp(raw).map(Value.timestamp) ?? .null
    case .list(let element):
      guard let items = raw as? [Any] else { return .null }
      return .list(items.map { value($0, as: element) })
    case .duration, .record, .stringSet:
      if let strings = raw as? [String] { return .list(strings.map(Value.string)) }
      return .null
    }
  }

  /// `{"amount": "12.30", "currency": "USD"}` exactly, without floating point.
  public static func money(_ raw: Any) -> Money? {
    guard let object = raw as? [String: Any], let currency = object["currency"] as? String else {
      return nil
    }
    let amount: String
    if let text = object["amount"] as? String {
      amount = text
    } else if let number = object["amount"] as? NSNumber {
      amount = number.stringValue
    } else {
      return nil
    }
    return Money(decimal: amount, currency: currency.uppercased())
  }

  public static func date(_ text: String) -> CalendarDate? {
    let parts = text.prefix(10).split(separator: "-")
    guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
      (1...12).contains(m), (1...31).contains(d)
    else { return nil }
    return CalendarDate(year: y, month: m, day: d)
  }

  public static func timestamp(_ raw: Any) -> Int64? {
    if let number = raw as? NSNumber, !isBoolean(raw) { return number.int64Value }
    guard let text = raw as? String else { return nil }
    return ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970) }
  }

}

extension PayloadCodec {
  /// Whether a decoded JSON value was `true`/`false`. Foundation decodes both
  /// booleans and numbers as NSNumber, and `1 is Bool` holds, so ask the type code.
  public static func isBoolean(_ raw: Any) -> Bool {
    guard let number = raw as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
  }

  /// Canonical JSON for a money amount.
  public static func json(_ money: Money) -> String {
    "{\"amount\":\"\(money.decimalString)\",\"currency\":\"\(money.currency)\"}"
  }

  /// JSON text for a payload object (sorted keys, so equal payloads store equally).
  static func serialize(_ object: [String: Any]) -> String {
    guard !object.isEmpty,
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
