import HTTPTypes
import Testing

@testable import HTTPServer

@Suite struct QueryStringTests {
  @Test func plusIsASpaceAndPercentIsAByte() {
    let pairs = FormURLEncoded.parse(Array("q=a+b%2Bc%20d&caf%C3%A9=%E2%82%AC".utf8))
    #expect(pairs.map(\.name) == ["q", "café"])
    #expect(pairs.map(\.value) == ["a b+c d", "€"])
  }

  @Test func aBrokenEscapeStaysAsSent() {
    let pairs = FormURLEncoded.parse(Array("p=100%&%zz=%4".utf8))
    #expect(pairs.map(\.name) == ["p", "%zz"])
    #expect(pairs.map(\.value) == ["100%", "%4"])
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
