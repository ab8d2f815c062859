import Testing
import Templates

@Suite struct ErrorTests {
  @Test func unknownTagHasPosition() {
    let error = renderError("<p>\n  Hello {% if x %}hi{% endfi %}", name: "welcome.html.liquid")
    #expect(error?.description == "welcome.html.liquid:2:21: unknown tag 'endfi'")
  }

  @Test func unclosedBlocksPointAtTheOpener() {
    #expect(
      renderError("a\n{% if x %}b")?.description == "test.liquid:2:1: 'if' tag was never closed")
    #expect(renderError("{% for x in y %}b")?.message == "'for' tag was never closed")
    #expect(renderError("{{ x ")?.message == "output '{{' was never closed with '}}'")
  }

  @Test func unknownFilterAndBadExpression() {
    let filter = renderError("ab\ncd {{ x | shout }}")
    #expect(filter?.message == "unknown filter 'shout'")
    #expect(filter?.line == 2)
    #expect(filter?.column == 11)
    #expect(renderError("{{ 1 + 2 }}")?.message == "unexpected character '+'")
    #expect(
      renderError("{% if a == %}{% endif %}")?.message
        == "expected an expression, found end of markup")
    #expect(
      renderError("{{ 'a' | truncate: 1, 2, 3 }}")?.message
        == "filter 'truncate' takes 0 to 2 arguments, got 3")
  }

  @Test func strictVariables() {
    let strict = RenderOptions(strictVariables: true)
    let error = renderError(
      "ok\n  {{ member.name }} {{ nobody }}", ["member": ["name": "A"]], options: strict)
    #expect(error?.description == "test.liquid:2:21: undefined variable 'nobody'")
    #expect(
      renderError("{{ member.nope }}", ["member": [:]], options: strict)?.message
        == "undefined property 'nope'")
    #expect(renderError("{{ nobody }}") == nil)
  }

  @Test func stepLimitStopsHugeLoops() {
    let error = renderError(
      "{% for i in (1..1000000000) %}{{ i }}{% endfor %}", options: RenderOptions(maxSteps: 10_000))
    #expect(error?.message == "render exceeded the limit of 10000 steps")
    #expect(
      renderError("{% for i in (1..100) %}x{% endfor %}", options: RenderOptions(maxSteps: 50))
        != nil)
    #expect(
      renderError("{% for i in (1..10) %}x{% endfor %}", options: RenderOptions(maxSteps: 50))
        == nil)
  }

  @Test func outputLimit() {
    let options = RenderOptions(maxOutputBytes: 100)
    let error = renderError("{% for i in (1..1000) %}0123456789{% endfor %}", options: options)
    #expect(error?.message == "render exceeded the output limit of 100 bytes")
    #expect(
      renderError("{{ (1..1000000000) | join }}")?.message == "range (1..1000000000) is too large")
  }
}
