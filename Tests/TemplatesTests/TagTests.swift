import Testing
import Templates

@Suite struct OutputTests {
  @Test func lookups() throws {
    let context: [String: TemplateValue] = [
      "member": ["name": "Ada", "tags": ["vip", "early"], "address": ["city": "Paris"]],
      "key": "name",
    ]
    #expect(try render("{{ member.name }}", context) == "Ada")
    #expect(try render("{{ member.address.city }}", context) == "Paris")
    #expect(try render("{{ member.tags[0] }}/{{ member.tags[-1] }}", context) == "vip/early")
    #expect(
      try render("{{ member[\"name\"] }}{{ member['name'] }}{{ member[key] }}", context)
        == "AdaAdaAda")
    #expect(
      try render("{{ member.tags.size }} {{ member.tags.first }} {{ member.tags.last }}", context)
        == "2 vip early")
    #expect(try render("{{ member.name.size }}", context) == "3")
    #expect(try render("[{{ member.missing.deeper }}]", context) == "[]")
  }

  @Test func literalsRenderLikeRuby() throws {
    #expect(try render("{{ 'a' }}{{ \"b\" }}{{ 12 }}{{ -3 }}{{ 2.5 }}") == "ab12-32.5")
    #expect(
      try render("{{ true }} {{ false }} [{{ nil }}] [{{ empty }}] [{{ blank }}]")
        == "true false [] [] []")
    #expect(try render("{{ x }}", ["x": 2.0]) == "2.0")
    #expect(try render("{{ x }}", ["x": 1e20]) == "1.0e+20")
    #expect(try render("{{ x }}", ["x": [1, "a", [2, nil]]]) == "1a2")
  }

  @Test func outputIsNotEscaped() throws {
    #expect(try render("{{ x }}", ["x": "<b>&</b>"]) == "<b>&</b>")
    #expect(try render("{{ x | escape }}", ["x": "<b>&</b>"]) == "&lt;b&gt;&amp;&lt;/b&gt;")
  }

  @Test func whitespaceControl() throws {
    #expect(try render("a  {{- 'b' -}}  c") == "abc")
    #expect(try render("a \n {%- if true -%} \n b \n {%- endif -%} \n c") == "abc")
    #expect(try render("a  {{ 'b' -}}  c") == "a  bc")
    #expect(try render("a  {%- assign x = 1 %}  c") == "a  c")
  }

  @Test func freeVariablesListOnlyInputs() throws {
    let template = try Template(
      source: """
        {% assign greeting = 'Hi' %}{{ greeting }} {{ member.first_name | default: shop.name }}
        {% for item in order.items %}{{ item.title }}{{ forloop.index }}{% endfor %}
        {% if flags[member.id] %}x{% endif %}
        """, name: "t")
    #expect(Set(template.freeVariables.map(\.root)) == ["member", "shop", "order", "flags"])
  }
}

@Suite struct ConditionalTests {
  @Test func ifElsifElse() throws {
    let source = "{% if n > 10 %}big{% elsif n > 5 %}medium{% else %}small{% endif %}"
    #expect(try render(source, ["n": 11]) == "big")
    #expect(try render(source, ["n": 6]) == "medium")
    #expect(try render(source, ["n": 1]) == "small")
  }

  @Test func operators() throws {
    #expect(try render("{% if 1 == 1.0 %}y{% endif %}") == "y")
    #expect(try render("{% if 'a' != 'b' %}y{% endif %}") == "y")
    #expect(try render("{% if 2 >= 2 and 2 <= 2 %}y{% endif %}") == "y")
    #expect(try render("{% if 'abc' < 'abd' %}y{% endif %}") == "y")
    #expect(try render("{% if 'hello' contains 'ell' %}y{% endif %}") == "y")
    #expect(
      try render("{% if tags contains 'vip' %}y{% else %}n{% endif %}", ["tags": ["vip"]]) == "y")
    #expect(
      try render("{% if tags contains 'x' %}y{% else %}n{% endif %}", ["tags": ["vip"]]) == "n")
    #expect(try render("{% if nil < 1 %}y{% else %}n{% endif %}") == "n")
  }

  @Test func andOrAreRightAssociative() throws {
    // Ruby Liquid reads this as `false and (true or true)`, not `(false and true) or true`.
    #expect(try render("{% if false and true or true %}y{% else %}n{% endif %}") == "n")
    #expect(try render("{% if true or false and false %}y{% else %}n{% endif %}") == "y")
  }

  @Test func truthinessAndEmptyBlank() throws {
    #expect(try render("{% if 0 %}y{% endif %}{% if '' %}y{% endif %}") == "yy")
    #expect(try render("{% if x %}y{% else %}n{% endif %}", ["x": nil]) == "n")
    #expect(try render("{% if x == empty %}y{% endif %}", ["x": []]) == "y")
    #expect(try render("{% if x == blank %}y{% endif %}", ["x": "  "]) == "y")
    #expect(try render("{% if x == empty %}y{% else %}n{% endif %}", ["x": "  "]) == "n")
  }

  @Test func unless() throws {
    #expect(
      try render("{% unless vip %}regular{% else %}vip{% endunless %}", ["vip": false]) == "regular"
    )
    #expect(
      try render("{% unless vip %}regular{% else %}vip{% endunless %}", ["vip": true]) == "vip")
  }

  @Test func caseWhen() throws {
    let source =
      "{% case tier %}{% when 'gold', 'platinum' %}G{% when 'silver' %}S{% else %}-{% endcase %}"
    #expect(try render(source, ["tier": "platinum"]) == "G")
    #expect(try render(source, ["tier": "silver"]) == "S")
    #expect(try render(source, ["tier": "bronze"]) == "-")
  }
}

@Suite struct LoopTests {
  let items: [String: TemplateValue] = ["items": ["a", "b", "c", "d"]]

  @Test func forWithForloop() throws {
    let source =
      "{% for x in items %}{{ forloop.index }}{{ x }}{% unless forloop.last %},{% endunless %}{% endfor %}"
    #expect(try render(source, items) == "1a,2b,3c,4d")
    let meta =
      "{% for x in items %}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.first }}{{ forloop.length }} {% endfor %}"
    #expect(try render(meta, ["items": [1, 2]]) == "02true2 11false2 ")
  }

  @Test func limitOffsetReversed() throws {
    #expect(try render("{% for x in items limit: 2 %}{{ x }}{% endfor %}", items) == "ab")
    #expect(try render("{% for x in items offset: 1 limit: 2 %}{{ x }}{% endfor %}", items) == "bc")
    #expect(try render("{% for x in items reversed %}{{ x }}{% endfor %}", items) == "dcba")
  }

  @Test func rangesAndElse() throws {
    #expect(try render("{% for i in (1..n) %}{{ i }}{% endfor %}", ["n": 4]) == "1234")
    #expect(try render("{% for i in (3..1) %}{{ i }}{% else %}none{% endfor %}") == "none")
    #expect(try render("{% for x in missing %}{{ x }}{% else %}none{% endfor %}") == "none")
  }

  @Test func breakAndContinue() throws {
    let source =
      "{% for i in (1..10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{{ i }}{% endfor %}"
    #expect(try render(source) == "134")
  }

  @Test func nestedParentloop() throws {
    let source =
      "{% for a in (1..2) %}{% for b in (1..2) %}{{ forloop.parentloop.index }}{{ b }} {% endfor %}{% endfor %}"
    #expect(try render(source) == "11 12 21 22 ")
  }

  @Test func cycleIncrementDecrement() throws {
    #expect(
      try render("{% for i in (1..4) %}{% cycle 'odd', 'even' %} {% endfor %}")
        == "odd even odd even ")
    #expect(try render("{% increment n %}{% increment n %}{% decrement m %}") == "01-1")
  }

  @Test func tablerow() throws {
    #expect(
      try render("{% tablerow x in (1..3) cols: 2 %}{{ x }}{% endtablerow %}")
        == "<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n<tr class=\"row2\"><td class=\"col1\">3</td></tr>\n"
    )
  }
}

@Suite struct VariableTagTests {
  @Test func assignAndCapture() throws {
    #expect(try render("{% assign n = 'ada' | upcase %}{{ n }}") == "ADA")
    #expect(
      try render("{% capture c %}Hi {{ name }}!{% endcapture %}[{{ c }}]", ["name": "Bo"])
        == "[Hi Bo!]")
    #expect(try render("{% for i in (1..2) %}{% assign last = i %}{% endfor %}{{ last }}") == "2")
  }

  @Test func commentRawLiquidEcho() throws {
    #expect(try render("a{% comment %} {{ x }} {% if %} {% endcomment %}b") == "ab")
    #expect(try render("{% raw %}{{ x }}{% if %}{% endraw %}") == "{{ x }}{% if %}")
    #expect(try render("a{% # note %}b") == "ab")
    #expect(try render("{% liquid\n assign x = 2\n if x > 1\n echo 'big'\n endif %}") == "big")
  }

  @Test func partials() throws {
    let loader = DictionaryTemplateLoader([
      "greeting": "Hi {{ name }}{% assign leaked = 1 %}",
      "item": "<{{ item }}>",
    ])
    let options = RenderOptions(partials: loader)
    #expect(
      try render("{% render 'greeting', name: 'Ada' %}[{{ leaked }}]", options: options)
        == "Hi Ada[]")
    #expect(try render("{% render 'item' for xs %}", ["xs": [1, 2]], options: options) == "<1><2>")
    #expect(
      try render("{% include 'greeting' %}[{{ leaked }}]", ["name": "Bo"], options: options)
        == "Hi Bo[1]")
  }
}
