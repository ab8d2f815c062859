import Testing

@testable import Templates

/// Templates written to exhaust the stack or memory fail with an error instead.
@Suite struct HostileTemplateTests {
  @Test func deeplyNestedBlocksAreRefused() {
    let source =
      String(repeating: "{% if true %}", count: 10_000) + "x"
      + String(repeating: "{% endif %}", count: 10_000)
    let error = renderError(source)
    #expect(error?.message == "blocks are nested more than 100 deep")
    #expect(error?.line == 1)
    #expect(error?.column == 1 + 13 * 100)
  }

  @Test func nestingAtTheLimitStillWorks() throws {
    let source =
      String(repeating: "{% if true %}", count: 100) + "x"
      + String(repeating: "{% endif %}", count: 100)
    #expect(try render(source) == "x")
  }

  @Test func hugeConditionsAreRefused() {
    let source =
      "{% if " + Array(repeating: "true", count: 100_000).joined(separator: " or ")
      + " %}x{% endif %}"
    #expect(renderError(source)?.message == "a condition has more than 500 'and'/'or'")
  }

  @Test func longConditionsBelowTheCapKeepLiquidsRightFold() throws {
    // Liquid folds right: false and (false or true) is false.
    #expect(try render("{% if false and false or true %}y{% else %}n{% endif %}") == "n")
    #expect(try render("{% if true or false and false %}y{% else %}n{% endif %}") == "y")
  }

  @Test func doublingAStringInALoopStopsAtTheLimit() {
    let source =
      "{% assign s = \"aaaaaaaaaa\" %}{% for i in (1..30) %}{% assign s = s | append: s %}"
      + "{% endfor %}{{ s | size }}"
    var options = RenderOptions()
    options.maxOutputBytes = 1 << 16
    #expect(
      renderError(source, options: options)?.message
        == "append: value exceeds the limit of 65536 bytes")
  }
}
