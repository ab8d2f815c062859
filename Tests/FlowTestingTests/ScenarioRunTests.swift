import FlowDiagnostics
import Testing

@testable import FlowTesting

/// Scenarios run against the repository's flows (Flows/, Templates/, shop.json).
@Suite struct ScenarioRunTests {
  private func results(_ file: ScenarioFile) throws -> [ScenarioResult] {
    guard case .ran(let results) = try file.run() else {
      Issue.record("the scenario did not run")
      return []
    }
    return results
  }

  /// The example in Docs/testing.md passes.
  @Test func theDocumentedExamplePasses() throws {
    let file = try ScenarioFile(
      """
      scenario "welcome email on joining, offer 14 days later"
        member ann first_name "Ann" timezone "America/New_York" consent
        at 2026-03-02 15:00 event member_joined ann
        at 2026-03-05 12:00 event order_placed ann total 25.00 USD
        at 2026-03-10 09:00 set ann timezone "Europe/Berlin"
        run until 2026-04-01
        expect send welcome_email to ann at 2026-03-02 10:00 America/New_York
        expect send second_order_offer to ann at 2026-03-16 14:00
        expect no send winback_email to ann
        expect ann not in segment lapsing
        expect ann not tagged "tier:lapsing"
      end
      """)
    let results = try results(file)
    #expect(results.map(\.passed) == [true])
    #expect(
      TestReport.text(results)
        == "PASS \(file.path):1 welcome email on joining, offer 14 days later\n1 passed, 0 failed\n"
    )
  }

  /// Each kind of failed expectation says what happened instead.
  @Test func failuresSayWhatHappenedInstead() throws {
    let file = try ScenarioFile(
      """
      scenario "a second order ends the series"
        member bob consent
        member cy
        at 2026-06-01 13:00 event member_joined bob
        at 2026-06-01 13:00 event member_joined cy
        at 2026-06-03 18:00 event order_placed bob total 40.00 USD
        at 2026-06-05 18:00 event order_placed bob total 15.50 USD
        run until 2026-07-01
        expect send welcome_email to bob at 2026-06-01 09:00
        expect send welcome_email to bob at 2026-06-01 13:00 Europe/Berlin
        expect send second_order_offer to bob
        expect send welcome_email to cy
        expect send vip_welcome to bob
        expect no send to bob
        expect bob in segment vip
        expect bob not tagged "buyer:repeat"
      end
      """)
    let results = try results(file)
    #expect(
      TestReport.text(results) == """
        FAIL \(file.path):1 a second order ends the series
          \(file.path):9:3: expect send welcome_email to bob at 2026-06-01 09:00
            welcome_email was sent to bob at 2026-06-01 13:00 UTC, not 09:00
          \(file.path):10:3: expect send welcome_email to bob at 2026-06-01 13:00 Europe/Berlin
            welcome_email was sent to bob at 2026-06-01 15:00 Europe/Berlin, not 13:00
          \(file.path):11:3: expect send second_order_offer to bob
            no send of second_order_offer; bob left the flow at wait_1: exit when event order_placed
          \(file.path):12:3: expect send welcome_email to cy
            no send of welcome_email; cy never entered flow welcome
          \(file.path):13:3: expect send vip_welcome to bob
            no send of vip_welcome; bob never entered flow vip_upgrade
          \(file.path):14:3: expect no send to bob
            welcome_email was sent to bob at 2026-06-01 13:00 UTC
          \(file.path):15:3: expect bob in segment vip
            bob is not in segment vip
          \(file.path):16:3: expect bob not tagged "buyer:repeat"
            bob is tagged "buyer:repeat"
        0 passed, 1 failed

        """)
  }

  @Test func jsonReportsTheSameResults() throws {
    let file = try ScenarioFile(
      """
      scenario "nothing happens"
        member ann consent
        at 2026-06-01 13:00 event member_joined ann
        expect no send to ann
      end
      """)
    #expect(
      TestReport.json(try results(file)) == """
        {
          "failed" : 1,
          "passed" : 0,
          "scenarios" : [
            {
              "failures" : [
                {
                  "column" : 3,
                  "file" : "\(file.path)",
                  "line" : 4,
                  "message" : "welcome_email was sent to ann at 2026-06-01 13:00 UTC; second_order_offer was sent to ann at 2026-06-15 13:00 UTC",
                  "source" : "expect no send to ann"
                }
              ],
              "file" : "\(file.path)",
              "line" : 1,
              "name" : "nothing happens",
              "passed" : false
            }
          ]
        }

        """)
  }

  /// Names the program lacks are FL8001 errors before anything runs.
  @Test func unknownNamesAreReportedAgainstTheProgram() throws {
    let file = try ScenarioFile(
      """
      scenario "typos"
        member ann timezone "Mars/Base" consent
        at 2026-06-01 13:00 event member_joind ann
        at 2026-06-02 13:00 set ann birthday "June"
        expect send welcom_email to ann
        expect bob in segment vip
      end
      """)
    guard case .invalid(let diagnostics, _) = try file.run() else {
      Issue.record("expected FL8001 errors")
      return
    }
    #expect(diagnostics.allSatisfy { $0.code == .invalidScenario })
    #expect(
      diagnostics.map(\.message) == [
        "unknown time zone 'Mars/Base'",
        "unknown event 'member_joind'",
        "'birthday' takes a date value, not a string",
        "no send step 'welcom_email' in the flows",
        "no member 'bob' in this scenario",
      ])
    #expect(
      diagnostics.map(\.help) == [
        nil, "did you mean 'member_joined'?", nil, "did you mean 'welcome_email'?",
        "declare it with a 'member bob ...' line",
      ])
  }

  /// A birthday set after joining is scheduled when it is set.
  @Test func aBirthdaySetAfterJoiningIsGreeted() throws {
    let file = try ScenarioFile(
      """
      scenario "a birthday set after joining"
        member rosa consent
        at 2026-02-01 14:00 event member_joined rosa
        at 2026-02-10 09:00 set rosa birthday 1990-06-15
        run until 2026-06-30
        expect send birthday_email to rosa at 2026-06-15 13:00
      end
      """)
    let results = try results(file)
    #expect(results.first?.failures.map(\.message) == [])
    #expect(results.first?.passed == true)
  }
}
