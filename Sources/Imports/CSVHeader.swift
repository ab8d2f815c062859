/// A CSV file's header row: column positions by name.
public struct CSVHeader: Sendable {
  public let names: [String]
  private let positions: [String: Int]

  public init(_ names: [String]) {
    self.names = names.map { $0.trimmingSpaces }
    var positions: [String: Int] = [:]
    for (index, name) in self.names.enumerated() where positions[name] == nil {
      positions[name] = index
    }
    self.positions = positions
  }

  public func column(_ name: String) -> Int? { positions[name] }

  /// The header as a readable list, for errors about a missing column.
  var listing: String { names.map { "'\($0)'" }.joined(separator: ", ") }
}

/// Why one row (or one JSON object) cannot be imported.
public struct RowError: Error, Sendable, Hashable {
  public var reason: String
  public init(_ reason: String) { self.reason = reason }
}

/// A file whose layout the chosen format cannot read (wrong header, bad mapping).
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

extension [String] {
  /// The trimmed field at `column`, nil when the column is absent or the field blank.
  func value(_ column: Int?) -> String? {
    guard let column, column < count else { return nil }
    let text = self[column].trimmingSpaces
    return text.isEmpty ? nil : text
  }
}

extension String {
  /// Shopify's CSV writes ids, phones and zips as `'02100` so spreadsheets keep them as text.
  var droppingApostrophe: String { hasPrefix("'") ? String(dropFirst()) : self }
}
