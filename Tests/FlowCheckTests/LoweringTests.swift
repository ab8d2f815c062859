import FlowCheck
import FlowDiagnostics
import FlowIR
import Testing

/// Step flattening, implicit names and cross-file resolution.
@Suite struct LoweringTests {
  private func compile(_ texts: [String: String]) -> CompileResult {
    let files = texts.keys.sorted().map { SourceFile(path: $0, text: texts[$0] ?? "") }
    return compileProgram(files: files, templates: ["t"])
  }

  private func flow(_ body: String) throws -> Flow {
    let result = compile(["a.flow": "flow f {\n trigger member_joined\n\(body)\n}\n"])
    // Warnings (a split with two empty arms, say) are not what these tests are about.
    #expect(!result.diagnostics.containsErrors, "\(result.diagnostics.map(\.message))")
    return try #require(result.program?.flows.first)
  }

  @Test func nestedBranchesLinkToContinuation() throws {
    let f = try flow(
      """
      if member.order_count > 1 {
        wait 1h
        if member.consent.email { send a { template "t" subject "s" } }
      } else if member.tags has "vip" {
      } else {
        wait 2d
      }
      send z { template "t" subject "s" }
      """)
    #expect(f.steps.map(\.name) == ["if_1", "wait_1", "if_2", "a", "if_3", "wait_2", "z"])
    let byName = Dictionary(uniqueKeysWithValues: f.steps.map { ($0.name, $0) })
    guard case .branch(_, let then1, let else1) = byName["if_1"]?.action else {
      Issue.record("if_1 is not a branch")
      return
    }
    #expect(then1 == "wait_1" && else1 == "if_3")
    #expect(byName["wait_1"]?.next == "if_2")
    guard case .branch(_, let then2, let else2) = byName["if_2"]?.action else { return }
    #expect(then2 == "a" && else2 == "z")
    #expect(byName["a"]?.next == "z")
    guard case .branch(_, let then3, let else3) = byName["if_3"]?.action else { return }
    #expect(then3 == "z" && else3 == "wait_2")  // the empty arm goes on with the continuation
    #expect(byName["wait_2"]?.next == "z")
    #expect(byName["z"]?.next == nil)
  }

  @Test func splitRemainderAndEmptyArms() throws {
    let f = try flow("split 20% { wait 1d } 30% { } else { }")
    #expect(
      f.steps[0].action
        == .split([
          SplitArm(percent: 20, target: "wait_1"), SplitArm(percent: 30, target: nil),
          SplitArm(percent: 50, target: nil),
        ]))
  }

  @Test func namesAreGlobalAcrossFiles() throws {
    let result = compile([
      "a.flow":
        "flow f {\n trigger event cart_abandoned\n only if vip and trigger.value > 5 EUR\n}\n",
      "b.flow": "event cart_abandoned { value: money }\nsegment vip = member.order_count > 3\n",
    ])
    #expect(result.diagnostics.isEmpty)
    #expect(result.program?.flows.first?.trigger == .event("cart_abandoned"))
  }

  @Test func diagnosticsSortedByFileThenPosition() {
    let result = compile([
      "b.flow": "segment x = member.nope > 1\nsegment y = member.nada > 1\n",
      "a.flow": "segment z = member.zip > 1\n",
    ])
    #expect(result.program == nil)
    #expect(
      result.diagnostics.map(\.message) == [
        "unknown member field 'zip'", "unknown member field 'nope'", "unknown member field 'nada'",
      ])
  }

  @Test func segmentsInDependencyOrder() throws {
    let result = compile([
      "a.flow": "segment c = b or a\nsegment b = a\nsegment a = member.order_count > 1\n"
    ])
    #expect(result.program?.segments.map(\.name) == ["a", "b", "c"])
  }

  @Test func exitWhereUsesEventAndTriggerFields() throws {
    let result = compile([
      "a.flow": """
      event cart_abandoned { cart_id: string }
      event cart_recovered { cart_id: string }
      flow f {
        trigger event cart_abandoned
        exit when event cart_recovered where event.cart_id == trigger.cart_id
        reentry after 365d
      }
      """
    ])
    #expect(result.diagnostics.isEmpty)
    let flow = try #require(result.program?.flows.first)
    #expect(
      flow.exits == [
        ExitRule(
          event: "cart_recovered", condition: .compare(.eq, .event("cart_id"), .trigger("cart_id")))
      ])
    #expect(flow.reentry == .after(Duration(365, .days)))
  }

  @Test func moneyIsExact() throws {
    let result = compile([
      "a.flow":
        "segment s = member.total_spent >= 19.99 EUR\nsegment t = member.total_spent < 0.1 EUR\n"
    ])
    let segments = try #require(result.program?.segments)
    #expect(
      segments[0].predicate
        == .compare(
          .ge, .member("total_spent"), .literal(.money(Money(cents: 1999, currency: "EUR")))))
    #expect(
      segments[1].predicate
        == .compare(
          .lt, .member("total_spent"), .literal(.money(Money(cents: 10, currency: "EUR")))))
  }
}
