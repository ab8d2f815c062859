/// The consent statuses the store records, and which allow marketing email.
public enum ConsentStatus {
  public static let optedIn = "opted_in"
  /// Double opt-in confirmed.
  public static let confirmed = "confirmed"
  public static let pending = "pending"
  public static let unsubscribed = "unsubscribed"
  public static let bounced = "bounced"
  public static let complained = "complained"

  /// Only an explicit opt-in permits marketing mail.
  public static func allowsMarketing(_ status: String) -> Bool {
    status == optedIn || status == confirmed
  }
}
