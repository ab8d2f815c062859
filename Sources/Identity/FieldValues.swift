import FlowIR
import Foundation

/// Custom field text converted to the JSON the store keeps for the declared type.
enum FieldValues {
  typealias InputError = IdentityResolver.InputError

  /// JSON values by field name; every name must be declared.
  static func convert(_ fields: [String: String], declared: [String: FieldDecl]) throws(InputError)
    -> [String: Any]
  {
    var result: [String: Any] = [:]
    for name in fields.keys.sorted() {
      guard let decl = declared[name] else {
        throw InputError("field '\(name)' is not declared (add 'field \(name): ...' to the flows)")
      }
      let text = fields[name]!.trimmingSpaces
      guard let value = json(text, as: decl.type) else {
        throw InputError("field '\(name)': '\(text)' is not a \(typeName(decl.type))")
      }
      result[name] = value
    }
    return result
  }

  private static func json(_ text: String, as type: ValueType) -> Any? {
    switch type {
    case .optional(let inner): return json(text, as: inner)
    case .string: return text
    case .number: return Double(text).flatMap { $0.isFinite ? $0 : nil }
    case .bool:
      switch text.lowercased() {
      case "true", "yes", "1": return true
      case "false", "no", "0": return false
      default: return nil
      }
    case .date:
      let parts = text.split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
        CalendarDate(year: year, month: month, day: day).isValid
      else { return nil }
      return text
    case .money:
      let parts = text.split(separator: " ")
      guard parts.count == 2, parts[1].count == 3, parts[1].allSatisfy(\.isLetter),
        let money = Money(decimal: parts[0], currency: parts[1].uppercased())
      else { return nil }
      return ["amount": money.decimalString, "currency": money.currency]
    case .timestamp: return Int64(text)
    case .duration, .list, .record, .stringSet: return nil
    }
  }

  private static func typeName(_ type: ValueType) -> String {
    switch type {
    case .optional(let inner): return typeName(inner)
    case .string: return "string"
    case .number: return "number"
    case .bool: return "bool (true or false)"
    case .date: return "date (YYYY-MM-DD)"
    case .money: return "money (like 12.50 USD)"
    case .timestamp: return "timestamp (epoch seconds)"
    case .duration, .list, .record, .stringSet: return "value a source can set"
    }
  }
}
