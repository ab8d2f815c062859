import FlowDiagnostics
import FlowIR
import Testing

@testable import FlowTesting

/// Malformed scenario files: every problem, at its line and column.
@Suite struct ParserTests {
  private func render(_ text: String) -> String {
    let file = SourceFile(path: "t.flowtest", text: text)
    let diagnostics = ScenarioParser.parse(file, fileIndex: 0).diagnostics
    return TextRenderer().render(diagnostics, files: [file])
  }

  @Test func aWellFormedScenarioParses() throws {
    let file = SourceFile(
      path: "t.flowtest",
      text: """
        # a comment
        scenario "joins" # trailing comment
          member ann email "a\\"b@example.com" birthday 1992-02-29 consent
          at 2026-03-29 09:00 Europe/Berlin event order_placed ann total 25.00 USD
          run until 2026-04-01
          expect send welcome_email to ann at 2026-03-29 07:00
        end
        """)
    let parsed = ScenarioParser.parse(file, fileIndex: 0)
    #expect(parsed.diagnostics.isEmpty)
    let scenario = try #require(parsed.scenarios.first)
    #expect(scenario.name == "joins")
    #expect(scenario.origin.line == 2)
    #expect(scenario.members.first?.consent == true)
    #expect(
      scenario.members.first?.assignments.map(\.value.value) == [
        .string("a\"b@example.com"), .date(.init(year: 1992, month: 2, day: 29)),
      ])
    // 09:00 CEST is 07:00 UTC.
    #expect(scenario.timeline.map(\.at) == [utcSeconds(2026, 3, 29, 7)])
    // A date alone runs to the end of that day.
    #expect(scenario.runUntil == utcSeconds(2026, 4, 2) - 1)
    #expect(scenario.expectations.first?.source.line == 6)
    #expect(scenario.expectations.first?.source.column == 3)
  }

  @Test func badTimeAndUnknownLineAreReportedWithLineAndColumn() {
    #expect(
      render(
        """
        scenario "s"
          at 2026-02-30 10:00 event member_joined ann
          at 2026-03-01 24:00 event member_joined ann
          expct ann in segment vip
        end
        """) == """
          t.flowtest:2:6: error[FL8001]: '2026-02-30' is not a date (YYYY-MM-DD)
            |
          2 |   at 2026-02-30 10:00 event member_joined ann
            |      ^^^^^^^^^^

          t.flowtest:3:17: error[FL8001]: '24:00' is not a time (HH:MM)
            |
          3 |   at 2026-03-01 24:00 event member_joined ann
            |                 ^^^^^

          t.flowtest:4:3: error[FL8001]: unknown line 'expct'
            |
          4 |   expct ann in segment vip
            |   ^^^^^
            = help: did you mean 'expect'?

          """)
  }

  @Test func anUnclosedScenarioAndAStrayLine() {
    #expect(
      render(
        """
        member ann
        scenario "open"
          expect send welcome_email to
        """) == """
          t.flowtest:1:1: error[FL8001]: expected 'scenario', found 'member'
            |
          1 | member ann
            | ^^^^^^

          t.flowtest:2:1: error[FL8001]: scenario "open" has no 'end'
            |
          2 | scenario "open"
            | ^^^^^^^^

          t.flowtest:3:31: error[FL8001]: expected a member
            |
          3 |   expect send welcome_email to
            |                               ^

          """)
  }

  @Test func timelineOutOfOrderAndUnterminatedString() {
    #expect(
      render(
        """
        scenario "s"
          member ann first_name "Ann
          at 2026-03-02 10:00 event member_joined ann
          at 2026-03-01 10:00 event member_joined ann
        end
        """) == """
          t.flowtest:2:25: error[FL8001]: unterminated string
            |
          2 |   member ann first_name "Ann
            |                         ^^^^
            = help: close it with " on the same line

          t.flowtest:4:3: error[FL8001]: this time is before the previous line's; write the timeline in time order
            |
          4 |   at 2026-03-01 10:00 event member_joined ann
            |   ^^

          """)
  }
}

/// Epoch seconds of a UTC wall-clock time.
func utcSeconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Int64 {
  Int64(CalendarDate(year: year, month: month, day: day).daysSinceEpoch) * 86_400
    + Int64(hour * 3600)
}
