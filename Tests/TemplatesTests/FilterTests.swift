import Foundation
import Testing
import Templates

@Suite struct StringFilterTests {
  @Test func caseAndDefault() throws {
    #expect(
      try render("{{ 'ada' | upcase }} {{ 'ADA' | downcase }} {{ 'hELLO world' | capitalize }}")
        == "ADA ada Hello world")
    #expect(try render("{{ missing | default: 'friend' }}") == "friend")
    #expect(try render("{{ '' | default: 'friend' }}") == "friend")
    #expect(
      try render("{{ false | default: 'x' }} {{ false | default: 'x', allow_false: true }}")
        == "x false")
  }

  @Test func editing() throws {
    #expect(try render("{{ 'a' | append: 'b' | prepend: 'c' }}") == "cab")
    #expect(
      try render("{{ 'a-b-a' | replace: 'a', 'x' }} {{ 'a-b-a' | replace_first: 'a', 'x' }}")
        == "x-b-x x-b-a")
    #expect(
      try render("{{ 'a-b-a' | remove: 'a' }} {{ 'a-b-a' | remove_first: 'a' }}") == "-b- -b-a")
    #expect(
      try render("[{{ '  x  ' | strip }}][{{ '  x ' | lstrip }}][{{ ' x  ' | rstrip }}]")
        == "[x][x ][ x]")
    #expect(try render("{{ 'a,b,c' | split: ',' | join: '+' }}") == "a+b+c")
    #expect(
      try render("{{ 'Hello world' | truncate: 8 }}|{{ 'Hi' | truncate: 8 }}") == "Hello...|Hi")
    #expect(try render("{{ 'one two three' | truncatewords: 2 }}") == "one two...")
    #expect(try render("{{ 'héllo' | size }} {{ list | size }}", ["list": [1, 2]]) == "5 2")
    #expect(try render("{{ 'Liquid' | slice: 2, 3 }} {{ 'Liquid' | slice: -2 }}") == "qui i")
  }

  @Test func htmlAndUrl() throws {
    let html: [String: TemplateValue] = ["s": "<a href=\"x\">O'Neil & Co</a>"]
    #expect(
      try render("{{ s | escape }}", html)
        == "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; Co&lt;/a&gt;")
    #expect(try render("{{ '&amp; & <' | escape_once }}") == "&amp; &amp; &lt;")
    #expect(try render("{{ 'x' | h }}") == "x")
    #expect(try render("{{ 'a b&c/é' | url_encode }}") == "a+b%26c%2F%C3%A9")
    #expect(
      try render("{{ '<p>Hi <b>there</b></p><script>bad()</script>' | strip_html }}") == "Hi there")
    #expect(try render("{{ 'a\nb' | newline_to_br }}") == "a<br />\nb")
    #expect(try render("{{ 'hi' | base64_encode }} {{ 'aGk=' | base64_decode }}") == "aGk= hi")
  }
}

@Suite struct MathFilterTests {
  @Test func arithmetic() throws {
    #expect(
      try render("{{ 4 | plus: 2 }} {{ 4 | minus: 6 }} {{ 3 | times: 4 }} {{ 7 | divided_by: 2 }}")
        == "6 -2 12 3")
    #expect(
      try render("{{ 7 | divided_by: 2.0 }} {{ 0.1 | plus: 0.2 }} {{ '3' | plus: 1 }}")
        == "3.5 0.3 4")
    #expect(try render("{{ -7 | divided_by: 2 }} {{ -7 | modulo: 3 }}") == "-4 2")
    #expect(
      try render("{{ 2.5 | round }} {{ 3.14159 | round: 2 }} {{ 1.2 | ceil }} {{ 1.8 | floor }}")
        == "3 3.14 2 1")
    #expect(try render("{{ -3 | abs }} {{ 1 | at_least: 5 }} {{ 9 | at_most: 5 }}") == "3 5 5")
  }

  @Test func divisionByZeroIsAnError() {
    let error = renderError("x {{ 1 | divided_by: 0 }}")
    #expect(error?.message == "divided_by: divided by 0")
    #expect(error?.column == 3)
  }
}

@Suite struct ArrayFilterTests {
  let products: [String: TemplateValue] = [
    "products": [
      ["title": "Hat", "type": "wear", "price": 5],
      ["title": "Mug", "type": "home", "price": 3],
      ["title": "Cap", "type": "wear", "price": 4],
    ]
  ]

  @Test func collections() throws {
    #expect(try render("{{ products | map: 'title' | join: ', ' }}", products) == "Hat, Mug, Cap")
    #expect(
      try render("{{ products | where: 'type', 'wear' | map: 'title' | join }}", products)
        == "Hat Cap")
    #expect(
      try render("{{ products | sort: 'price' | map: 'title' | join }}", products) == "Mug Cap Hat")
    #expect(try render("{{ products | sum: 'price' }}", products) == "12")
    #expect(
      try render("{{ products | first | map: 'title' }}{{ products.last.title }}", products)
        == "HatCap")
    #expect(try render("{{ 'b,a,b,C' | split: ',' | uniq | sort_natural | join }}") == "a b C")
    #expect(try render("{{ xs | compact | reverse | join: '' }}", ["xs": [1, nil, 2]]) == "21")
    #expect(try render("{{ xs | concat: ys | join: '' }}", ["xs": [1], "ys": [2]]) == "12")
  }
}

@Suite struct MoneyFilterTests {
  @Test func dollarsFromCents() throws {
    #expect(try render("{{ 145 | money }}") == "$1.45")
    #expect(try render("{{ 123450 | money }}") == "$1,234.50")
    #expect(try render("{{ 100000000 | money }}") == "$1,000,000.00")
    #expect(try render("{{ 5 | money }} {{ -250 | money }}") == "$0.05 -$2.50")
    #expect(try render("{{ 145 | money_with_currency }}") == "$1.45 USD")
    #expect(try render("[{{ nothing | money }}]") == "[]")
  }

  @Test func currencySymbols() throws {
    #expect(try render("{{ 145 | money }}", options: RenderOptions(currency: "EUR")) == "€1.45")
    #expect(try render("{{ 145 | money }}", options: RenderOptions(currency: "GBP")) == "£1.45")
    #expect(
      try render("{{ 145 | money_with_currency }}", options: RenderOptions(currency: "CAD"))
        == "$1.45 CAD")
    #expect(try render("{{ 145 | money }}", options: RenderOptions(currency: "CHF")) == "CHF 1.45")
    #expect(try render("{{ 123400 | money }}", options: RenderOptions(currency: "JPY")) == "¥1,234")
  }
}

@Suite struct DateFilterTests {
  let newYork = RenderOptions(
    timeZone: TimeZone(identifier: "America/New_York")!, now: 1_700_000_000)

  @Test func isoInputInUTC() throws {
    #expect(
      try render("{{ '1997-01-12T12:00:00Z' | date: '%Y-%m-%d %H:%M:%S %Z %z' }}")
        == "1997-01-12 12:00:00 UTC +0000")
    #expect(
      try render("{{ '1997-01-12' | date: '%a %A %b %B %j %y' }}")
        == "Sun Sunday Jan January 012 97")
    #expect(try render("{{ 0 | date: '%Y-%m-%d %I:%M %p' }}") == "1970-01-01 12:00 AM")
    #expect(try render("{{ '2024-03-05T15:04:05+02:00' | date: '%H:%M' }}") == "13:04")
  }

  @Test func unpaddedAndPadded() throws {
    #expect(try render("{{ '2024-03-05' | date: '%-d/%-m %e|%%' }}") == "5/3  5|%")
  }

  @Test func timeZoneAndNow() throws {
    // 2023-11-14T22:13:20Z is 17:13 in New York (EST, UTC-5).
    #expect(
      try render("{{ 'now' | date: '%Y-%m-%d %H:%M %Z %z' }}", options: newYork)
        == "2023-11-14 17:13 EST -0500")
    #expect(try render("{{ 'today' | date: '%s' }}", options: newYork) == "1700000000")
    // Summer time: UTC-4.
    #expect(
      try render("{{ '2024-07-04T16:00:00Z' | date: '%H:%M %z' }}", options: newYork)
        == "12:00 -0400")
    // A date without a zone is midnight local time, so it keeps its day.
    #expect(
      try render("{{ '2024-07-04' | date: '%d %H %s' }}", options: newYork) == "04 00 1720065600")
  }

  @Test func unparseableInputPassesThrough() throws {
    #expect(try render("{{ 'soon' | date: '%Y' }}") == "soon")
    #expect(try render("{{ 'March 14, 2016' | date: '%b %d, %y' }}") == "Mar 14, 16")
  }
}
