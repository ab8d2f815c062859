import Templates
import Testing

/// `Template.freeVariables`: what a template reads from its data, and where.
@Suite struct FreeVariableTests {
  /// "root.path@line:column" for each free read, in source order.
  private func reads(_ source: String) throws -> [String] {
    try Template(source: source, name: "t").freeVariables.map {
      ([$0.root] + $0.path).joined(separator: ".") + "@\($0.line):\($0.column)"
    }
  }

  @Test func pathsStopAtComputedIndexes() throws {
    #expect(
      try reads("Hi {{ member.first_name }}\n{{ trigger.items[0].title | default: shop.name }}")
        == ["member.first_name@1:7", "trigger.items@2:4", "shop.name@2:38"])
  }

  @Test func assignBindsFromThereOnEvenInsideABlock() throws {
    let source = """
      {{ greeting }}{% if member.vip %}{% assign greeting = member.name %}{% endif %}
      {{ greeting }}{% assign total = total | plus: 1 %}
      """
    #expect(
      try reads(source) == ["greeting@1:4", "member.vip@1:21", "member.name@1:55", "total@2:33"])
  }

  @Test func loopVariablesAreBoundOnlyInsideTheLoop() throws {
    let source = """
      {% for item in trigger.items limit: max %}{{ item.title }}{{ forloop.index }}{% else %}{{ item }}{% endfor %}
      {{ item.title }}{{ forloop.index }}
      """
    #expect(
      try reads(source) == [
        "trigger.items@1:16", "max@1:37", "item@1:91", "item.title@2:4", "forloop.index@2:20",
      ])
  }

  @Test func captureBindsAfterItsBody() throws {
    let source = "{% capture note %}{{ note }}{{ shop.url }}{% endcapture %}{{ note }}"
    #expect(try reads(source) == ["note@1:22", "shop.url@1:32"])
  }

  @Test func countersAndComputedRootsAndPartialArguments() throws {
    let source = """
      {% increment n %}{{ n }}{{ [key].x }}{% cycle 'a', odd %}
      {% render 'footer', link: unsubscribe_url %}
      """
    #expect(try reads(source) == ["key@1:29", "odd@1:52", "unsubscribe_url@2:27"])
  }

  @Test func liquidTagBodiesAndCaseBranchesAreRead() throws {
    let source =
      "{% liquid\nassign a = member.id\necho a\n%}{% case a %}{% when flow.step %}x{% endcase %}"
    #expect(try reads(source) == ["member.id@2:12", "flow.step@4:23"])
  }
}
