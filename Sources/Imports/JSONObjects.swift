import FlowIR
import Foundation

/// The objects of a JSON import file: one object, an array of objects, or
/// JSON Lines (one object per line). Webhook bodies are small, so the file
/// is read whole.
public struct JSONObject {
  /// The line the object starts on (1 for a single object or an array).
  public var line: Int
  /// Its position (from 1) in a top-level array, which names it better than the line.
  public var item: Int?
  public var value: [String: Any]
  /// The object as one line of JSON, for a reject file.
  public var jsonLine: [UInt8]
}

enum JSONObjects {
  static func read(path: String) throws(FormatError) -> [Result<JSONObject, LineError>] {
    guard var data = FileManager.default.contents(atPath: path) else {
      throw FormatError("cannot read '\(path)'")
    }
    if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
    if let whole = try? JSONSerialization.jsonObject(with: data) {
      if let object = whole as? [String: Any] { return [.success(document(object, item: nil))] }
      guard let array = whole as? [Any] else {
        throw FormatError("\(path): expected a JSON object, an array of objects or JSON Lines")
      }
      return array.enumerated().map { index, element in
        guard let object = element as? [String: Any] else {
          return .failure(LineError(line: 1, reason: "array item \(index + 1) is not an object"))
        }
        return .success(document(object, item: index + 1))
      }
    }
    var results: [Result<JSONObject, LineError>] = []
    for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .enumerated()
    {
      let text = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
      guard text.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
        continue
      }
      guard let object = (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any]
      else {
        results.append(
          .failure(LineError(line: index + 1, reason: "not a JSON object", raw: Array(text))))
        continue
      }
      results.append(
        .success(JSONObject(line: index + 1, item: nil, value: object, jsonLine: Array(text))))
    }
    return results
  }

  private static func document(_ object: [String: Any], item: Int?) -> JSONObject {
    let compact =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return JSONObject(line: 1, item: item, value: object, jsonLine: Array(compact))
  }
}

/// A bad line or object, with the bytes to write to a reject file.
public struct LineError: Error {
  public var line: Int
  public var reason: String
  public var raw: [UInt8] = []
}

/// Typed reads from a decoded JSON object; `null` and blank strings read as absent.
extension [String: Any] {
  func text(_ key: String) -> String? {
    switch self[key] {
    case let string as String:
      let trimmed = string.trimmingSpaces
      return trimmed.isEmpty ? nil : trimmed
    case let number as NSNumber: return number.stringValue
    default: return nil
    }
  }

  func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
  func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }

  func flag(_ key: String) -> Bool? {
    guard let number = self[key] as? NSNumber, !(self[key] is String) else { return nil }
    return number.boolValue
  }

  /// A time at `key`; absent is nil, unreadable is an error naming the key.
  func time(_ key: String) throws(RowError) -> Int64? {
    guard let text = text(key) else { return nil }
    guard let time = Timestamp.parse(text) else {
      throw RowError("\(key) '\(text)' is not an ISO 8601 time")
    }
    return time
  }

  /// An amount written as a decimal string (`"68.18"`) or a number (`22.5`).
  func money(_ key: String, currency: String) throws(RowError) -> Money {
    guard let text = text(key) else { throw RowError("missing \(key)") }
    guard let money = Money(decimal: text, currency: currency) else {
      throw RowError("\(key) '\(text)' is not an amount with at most 2 decimals")
    }
    return money
  }

  /// An id written as a number or a string, required.
  func id(_ key: String) throws(RowError) -> String {
    guard let text = text(key) else { throw RowError("missing \(key)") }
    return text
  }
}
