import FlowCheck
import FlowDiagnostics
import FlowIR
import Testing

/// The whole pipeline (parse, check, lower) on hostile or large programs.
@Suite struct CheckerRobustnessTests {
  private func compile(_ text: String) -> CompileResult {
    compileProgram(files: [SourceFile(path: "x.flow", text: text)], templates: ["t"])
  }

  @Test func longSegmentChainIsOrderedWithoutRecursion() {
    var text = "segment s0 = member.order_count > 1\n"
    for i in 1..<20_000 { text += "segment s\(i) = s\(i - 1)\n" }
    let result = compile(text)
    #expect(result.diagnostics.isEmpty)
    #expect(result.program?.segments.count == 20_000)
    #expect(result.program?.segments.first?.name == "s0")
  }

  @Test func deepAndWideInputsProduceDiagnostics() {
    let inputs = [
      "segment s = " + String(repeating: "(", count: 10_000) + "a"
        + String(repeating: ")", count: 10_000),
      "segment s = " + String(repeating: "a and ", count: 100_000) + "a",
      "flow f { trigger member_joined " + String(repeating: "if a { ", count: 3_000),
      String(repeating: "flow f { trigger event e wait 0d }\n", count: 2_000),
      (0..<5_000).map { "identity k\($0)\n" }.joined() + "merge on "
        + (0..<10_000).map { "k\($0 % 5_000)" }.joined(separator: ", "),
    ]
    for input in inputs {
      let result = compile(input)
      #expect(result.program == nil)
      #expect(!result.diagnostics.isEmpty)
    }
  }

  /// Speed is the check-corpus benchmark's job; this guards against a hang.
  @Test(.timeLimit(.minutes(1))) func manyFlowsCompile() {
    var text = ""
    for i in 0..<2_000 {
      text += """
        segment vip_\(i) = member.total_spent >= 500 USD and member.order_count >= 3
        flow f_\(i) {
          trigger enters segment vip_\(i)
          only if member.consent.email and not vip_\(i)
          exit when event order_placed
          send w_\(i) { template "t" subject "Hi" }
          wait 3d
          split 50% { send a_\(i) { template "t" subject "A" } } else { }
        }

        """
    }
    let result = compile(text)
    #expect(result.diagnostics.isEmpty)
    #expect(result.program?.flows.count == 2_000)
  }
}
