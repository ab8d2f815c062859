import FlowCheck
import FlowDiagnostics
import Testing

/// The FL41nn warnings: when they fire and when they stay quiet.
@Suite struct WarningTests {
  /// Codes and messages of the diagnostics for one file of flows.
  private func diagnostics(_ text: String) -> [String] {
    let result = compileProgram(
      files: [SourceFile(path: "w.flow", text: text)], templates: ["t", "u"])
    #expect((result.program == nil) == result.diagnostics.containsErrors)
    return result.diagnostics.map { "\($0.code.rawValue) \($0.message)" }
  }

  private let engaged = "segment engaged = member.last_click_at within 30d\n"

  @Test func warningsDoNotStopCompilation() {
    let result = compileProgram(
      files: [
        SourceFile(
          path: "w.flow",
          text: "flow f { trigger member_joined\n send a { template \"t\" subject \"s\" }\n"
            + " send b { template \"t\" subject \"s\" } }")
      ], templates: ["t"])
    #expect(result.diagnostics.map(\.severity) == [.warning])
    #expect(result.program?.flows.first?.steps.count == 2)
  }

  @Test func anABTestOfTwoEmailsIsNotASeries() {
    #expect(
      diagnostics(
        """
        flow f { trigger member_joined
          split 50% { send a { template "t" subject "A" } } else { send b { template "u" subject "B" } }
        }
        """
      ).isEmpty)
  }

  @Test func waitsAddUpAlongTheShortestPath() {
    // One arm skips the 20d wait, so at most 15d have surely passed.
    #expect(
      diagnostics(
        engaged + """
          flow f { trigger enters segment engaged
            if member.order_count > 1 { wait 20d } else { }
            wait 15d
            send a { template "t" subject "s" }
          }
          """
      ).isEmpty)
    #expect(
      diagnostics(
        engaged + """
          flow f { trigger member_joined
            only if member.consent.email and engaged
            if member.order_count > 1 { wait 20d } else { wait 3w }
            wait for event email_clicked up to 15d
            send a { template "t" subject "s" }
          }
          """
      ) == [
        "FL4102 this wait ends 35d after entry, but segment 'engaged' holds for at most 30d"
          + " after the member's last activity"
      ])
  }

  @Test func aSegmentOnlyAllowedByOrIsNotRequired() {
    #expect(
      diagnostics(
        engaged + """
          flow f { trigger member_joined
            only if engaged or member.order_count > 1
            wait 40d
            send a { template "t" subject "s" }
          }
          """
      ).isEmpty)
  }

  @Test func splitArmsDifferingInAWaitAreNotIdentical() {
    let split = { (wait: String) in
      """
      flow f { trigger member_joined
        split 50% { wait 1d send a { template "t" subject "s" } }
        else { wait \(wait) send b { template "t" subject "s" } }
      }
      """
    }
    #expect(diagnostics(split("2d")).isEmpty)
    #expect(diagnostics(split("1d")) == ["FL4103 this split arm does the same as an earlier one"])
  }

  @Test func emptyArmsHaveNothingUnreachable() {
    #expect(
      diagnostics(
        """
        flow f { trigger member_joined
          if true { send a { template "t" subject "s" } } else { }
          if false { }
        }
        """
      ).isEmpty)
  }
}
