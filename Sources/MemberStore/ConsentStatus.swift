/// The consent statuses the store records, which allow marketing email, and
/// which records take effect over the ones before them.
public enum ConsentStatus {
  public static let optedIn = "opted_in"
  /// Double opt-in confirmed.
  public static let confirmed = "confirmed"
  public static let pending = "pending"
  public static let notSubscribed = "not_subscribed"
  public static let unsubscribed = "unsubscribed"
  public static let bounced = "bounced"
  public static let complained = "complained"

  /// Every status a consent record may carry.
  public static let all: Set<String> = [
    optedIn, confirmed, pending, notSubscribed, unsubscribed, bounced, complained,
  ]

  /// Only an explicit opt-in permits marketing mail.
  public static func allowsMarketing(_ status: String) -> Bool {
    status == optedIn || status == confirmed
  }

  /// A withdrawal: nothing but a confirmed double opt-in overrides it.
  public static func withdraws(_ status: String) -> Bool {
    status == unsubscribed || status == bounced || status == complained
  }

  /// Whether a record with `status` takes effect over the member's current
  /// effective status on that channel (nil: none yet). An imported or
  /// checkout opt-in never re-subscribes someone who left; a confirmed
  /// double opt-in does.
  public static func takesEffect(_ status: String, over current: String?) -> Bool {
    if withdraws(status) || status == confirmed { return true }
    if status == optedIn { return current.map { !withdraws($0) } ?? true }
    return current == nil || current == pending || current == notSubscribed
  }
}
