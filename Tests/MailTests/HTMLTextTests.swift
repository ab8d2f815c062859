import Testing

@testable import Mail

@Suite struct HTMLTextTests {
  static func text(_ html: String) -> String { HTMLText.plainText(fromHTML: html) }

  @Test func paragraphsAndBreaks() {
    #expect(Self.text("<p>One</p><p>Two<br>Three</p>") == "One\n\nTwo\nThree")
    #expect(Self.text("<div>a</div><div>b</div>") == "a\nb")
    #expect(Self.text("<h1>Title</h1>Body") == "Title\n\nBody")
    #expect(Self.text("a<br><br>b") == "a\n\nb")
  }

  @Test func whitespaceCollapses() {
    #expect(Self.text("  Hello \n\t  world  ") == "Hello world")
    #expect(Self.text("<p>  lead</p>\n\n<p>trail  </p>") == "lead\n\ntrail")
    #expect(Self.text("<pre>a  b\nc</pre>") == "a  b\nc")
  }

  @Test func links() {
    #expect(
      Self.text(#"See <a href="https://x.example/p?a=1&amp;b=2">our shop</a>."#)
        == "See our shop (https://x.example/p?a=1&b=2).")
    #expect(Self.text(#"<a href="https://x.example">https://x.example</a>"#) == "https://x.example")
    #expect(Self.text(#"<a href="mailto:a@b.example">a@b.example</a>"#) == "a@b.example")
    #expect(Self.text(##"<a href="#top">Top</a>"##) == "Top")
    #expect(
      Self.text(#"<a href='https://x.example'><img src="l.png" alt="Logo"></a>"#)
        == "Logo (https://x.example)")
    #expect(Self.text(#"<a href="https://x.example"><img src="l.png"></a>"#) == "https://x.example")
  }

  @Test func entities() {
    #expect(
      Self.text("Fish &amp; Chips &lt;3 &quot;hi&quot; &#39;x&#39; &#x1F600; &euro;5")
        == "Fish & Chips <3 \"hi\" 'x' 😀 €5")
    #expect(Self.text("a&nbsp;b &unknown; & c") == "a b &unknown; & c")
    #expect(Self.text("pre&zwnj;&#847;header") == "preheader")
    #expect(Self.text("&#0; &#xD800;") == "\u{FFFD} \u{FFFD}")
  }

  @Test func lists() {
    #expect(Self.text("<ul><li>One</li><li>Two</li></ul>After") == "- One\n- Two\n\nAfter")
    #expect(Self.text("<ol><li>First<li>Second</ol>") == "1. First\n2. Second")
    #expect(Self.text("<ul><li>A<ul><li>B</li></ul></li></ul>") == "- A\n  - B")
  }

  @Test func droppedContent() {
    #expect(
      Self.text(
        "<html><head><title>T</title><style>p { color: red }</style></head><body><script>if (a < b) alert('x')</script>Shown<!-- hidden --></body></html>"
      ) == "Shown")
    #expect(Self.text("<SCRIPT>x</script >y<STYLE>z</STYLE>") == "y")
    #expect(Self.text("<!DOCTYPE html><p title=\"a > b\">x</p>") == "x")
  }

  @Test func malformedInputIsText() {
    #expect(Self.text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
    #expect(Self.text("<p>unclosed") == "unclosed")
    #expect(Self.text("trailing <") == "trailing <")
    #expect(Self.text("<a href=\"x") == "")
    #expect(Self.text("") == "")
  }

  @Test func tablesAndUnicode() {
    #expect(
      Self.text("<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table>") == "A B\nC")
    #expect(Self.text("<p>你好，<b>世界</b>！</p>") == "你好，世界！")
  }
}
