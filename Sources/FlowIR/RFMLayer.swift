/// The named layers of the RFM grid, from recency (R) and frequency (F)
/// scores of 1 to 5. Every (R, F) pair falls in exactly one layer.
public struct RFMLayer: Sendable, Hashable {
  public var name: String
  public var recency: ClosedRange<Int>
  public var frequency: ClosedRange<Int>

  /// The grid, as `member.rfm_layer` names it.
  public static let all: [RFMLayer] = [
    RFMLayer(name: "champions", recency: 4...5, frequency: 4...5),
    RFMLayer(name: "loyal", recency: 3...3, frequency: 4...5),
    RFMLayer(name: "potential_loyalist", recency: 4...5, frequency: 2...3),
    RFMLayer(name: "new_customers", recency: 5...5, frequency: 1...1),
    RFMLayer(name: "promising", recency: 4...4, frequency: 1...1),
    RFMLayer(name: "need_attention", recency: 3...3, frequency: 3...3),
    RFMLayer(name: "about_to_sleep", recency: 3...3, frequency: 1...2),
    RFMLayer(name: "at_risk", recency: 1...2, frequency: 3...4),
    RFMLayer(name: "cant_lose", recency: 1...2, frequency: 5...5),
    RFMLayer(name: "hibernating", recency: 2...2, frequency: 1...2),
    RFMLayer(name: "lost", recency: 1...1, frequency: 1...2),
  ]

  /// The layer of a pair of scores; nil outside 1...5.
  public static func named(recency: Int, frequency: Int) -> String? {
    all.first { $0.recency.contains(recency) && $0.frequency.contains(frequency) }?.name
  }
}
