/// A setup problem (unreadable key, unusable SMTP settings), worded for the
/// person at the terminal.
public struct DeliveryError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String

  public init(_ description: String) { self.description = description }
}
