import FlowDiagnostics
import Testing

@Suite struct SuggestionTests {
  @Test func typosWithinTwoEdits() {
    #expect(Suggestion.closest(to: "lapsng", among: ["lapsing", "vip"]) == "lapsing")
    #expect(Suggestion.closest(to: "ordr_count", among: ["order_count", "email"]) == "order_count")
  }

  @Test func prefixesCountButRankLast() {
    #expect(
      Suggestion.closest(to: "consent", among: ["consent.email", "email"]) == "consent.email")
    #expect(Suggestion.closest(to: "vipx", among: ["vip", "vipxxxxx"]) == "vip")
  }

  @Test func nothingCloseMeansNoSuggestion() {
    #expect(Suggestion.closest(to: "xyz", among: ["abc", "welcome"]) == nil)
    #expect(Suggestion.closest(to: "a", among: [String]()) == nil)
  }

  @Test func tiesAreAlphabetical() {
    #expect(Suggestion.closest(to: "cat", among: ["bat", "hat", "eat"]) == "bat")
  }
}
