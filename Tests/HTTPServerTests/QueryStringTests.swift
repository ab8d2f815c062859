import Testing

@testable import HTTPServer

@Suite struct QueryStringTests {
  @Test func plusIsASpaceAndPercentIsAByte() {
    #expect(QueryString.decode("a+b%2Bc%20d") == "a b+c d")
    #expect(QueryString.decode("caf%C3%A9") == "café")
  }

  @Test func aBrokenEscapeStaysAsSent() {
    #expect(QueryString.decode("100%") == "100%")
    #expect(QueryString.decode("%zz%4") == "%zz%4")
  }

  @Test func targetSplitsIntoPathAndOrderedPairs() {
    let (path, query) = QueryString.split(target: "/p%20q?b=2&a=1&&a=3&empty=&bare")
    #expect(path == "/p%20q")
    #expect(query.map(\.name) == ["b", "a", "a", "empty", "bare"])
    #expect(query.map(\.value) == ["2", "1", "3", "", ""])
  }

  @Test func noQueryMeansNoPairs() {
    let (path, query) = QueryString.split(target: "/healthz")
    #expect(path == "/healthz")
    #expect(query.isEmpty)
  }
}
