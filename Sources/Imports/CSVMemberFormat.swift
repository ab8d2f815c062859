import Identity

/// Reads the rows of one CSV layout as members.
public protocol CSVMemberFormat {
  /// The member a row describes; `fields` has one entry per header column.
  func member(_ fields: [String]) throws(RowError) -> MemberInput
}

/// Splits a tag list such as `VIP, newsletter`, dropping blanks.
func splitTags(_ text: String?, separator: Character = ",") -> [String] {
  guard let text else { return [] }
  return text.split(separator: separator).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
}
