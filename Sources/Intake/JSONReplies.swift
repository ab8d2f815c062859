import Foundation
import HTTPTypes

/// A request refused with a status and a reason, answered as `{"error": reason}`.
struct Refusal: Error {
  var status: Int
  var reason: String

  init(_ status: Int, _ reason: String) {
    self.status = status
    self.reason = reason
  }

  var response: HTTPResponse { .error(status: status, reason) }
}

extension HTTPResponse {
  /// `value` as JSON with sorted keys.
  static func json(_ status: Int, _ value: [String: Any]) -> HTTPResponse {
    let data =
      (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
    return .json(status: status, String(decoding: data, as: UTF8.self))
  }
}

/// A request body that must be one JSON object, read field by field with
/// errors that name the field.
struct JSONBody {
  let object: [String: Any]

  init(_ bytes: [UInt8]) throws(Refusal) {
    guard let value = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
      throw Refusal(400, "the body is not valid JSON")
    }
    guard let object = value as? [String: Any] else {
      throw Refusal(400, "the body must be a JSON object")
    }
    self.object = object
  }

  /// A string field, trimmed; absent, null or blank reads as nil. NUL and
  /// other control characters (line breaks and tabs aside) are refused: no
  /// name, id or address holds one, and some tools cut text at a NUL.
  func string(_ key: String) throws(Refusal) -> String? {
    switch object[key] {
    case nil, is NSNull: return nil
    case let text as String:
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.hasControlCharacter(besidesLineBreaks: true) {
        throw Refusal(400, "'\(key)' contains a control character")
      }
      return trimmed.isEmpty ? nil : trimmed
    default: throw Refusal(400, "'\(key)' must be a string")
    }
  }

  /// An object field; absent or null reads as nil.
  func object(_ key: String) throws(Refusal) -> [String: Any]? {
    switch object[key] {
    case nil, is NSNull: return nil
    case let value as [String: Any]: return value
    default: throw Refusal(400, "'\(key)' must be an object")
    }
  }
}
