import FlowDiagnostics
import Foundation
import Testing

@testable import FlowSyntax

/// Hostile inputs: the parser must return diagnostics, never crash, never hang.
@Suite struct RobustnessTests {
  private static let nasty: [(String, [UInt8])] = {
    var cases: [(String, [UInt8])] = []
    cases.append(
      ("10k open parens", Array(("segment s = " + String(repeating: "(", count: 10_000)).utf8)))
    cases.append(
      (
        "10k balanced parens",
        Array(
          ("segment s = " + String(repeating: "(", count: 10_000) + "a"
            + String(repeating: ")", count: 10_000)).utf8)
      ))
    cases.append(
      ("10k nots", Array(("segment s = " + String(repeating: "not ", count: 10_000) + "a").utf8)))
    cases.append(
      (
        "deep ifs",
        Array(("flow f { trigger member_joined " + String(repeating: "if a { ", count: 5_000)).utf8)
      ))
    cases.append(
      ("deep list types", Array(("field f: " + String(repeating: "list<", count: 10_000)).utf8)))
    cases.append(
      (
        "1 MB line",
        Array(("segment s = " + String(repeating: "a and ", count: 175_000) + "b").utf8)
      ))
    cases.append(("1 MB junk line", [UInt8](repeating: UInt8(ascii: "@"), count: 1 << 20)))
    cases.append(
      ("invalid UTF-8", [0xFF, 0xFE, 0x66, 0x6C, 0x6F, 0x77, 0x20, 0xC3, 0x28, 0x80, 0x7B]))
    cases.append(("NUL bytes", Array("flow f {\0 trigger\0 member_joined }\0".utf8)))
    cases.append(("unterminated string at EOF", Array("tag \"abc".utf8)))
    cases.append(("unterminated escape at EOF", Array("tag \"abc\\".utf8)))
    cases.append(("only braces", Array(String(repeating: "}{", count: 50_000).utf8)))
    cases.append(
      (
        "huge numbers",
        Array(
          "flow f { trigger member_joined wait 99999999999999999999999d split 99999999999999999999% {} else {} }\nsegment s = member.x > 99999999999999999999999 USD"
            .utf8)
      ))
    cases.append(
      ("10k identity kinds", Array(("merge on " + String(repeating: "a, ", count: 10_000)).utf8)))
    cases.append(
      (
        "merge rule fragments",
        Array(
          String(
            repeating: "never merge on , unless match email plus identity never ", count: 2_000
          ).utf8)
      ))
    var generator = SplitMix(seed: 42)
    for index in 0..<20 {
      let alphabet = Array(
        "flow trigger send wait if else split { } ( ) \" . : = < > % 3d 09:00 50% \0\u{FF} and or not member event"
          .utf8)
      let bytes = (0..<20_000).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      cases.append(("random garbage \(index)", bytes))
    }
    return cases
  }()

  /// A hang shows as a time-limit failure rather than a stuck suite.
  @Test(.timeLimit(.minutes(1)), arguments: 0..<nasty.count)
  func survives(_ index: Int) {
    let (name, bytes) = Self.nasty[index]
    let (_, diagnostics) = Parser.parse(SourceFile(path: "x.flow", bytes: bytes), file: 0)
    #expect(!diagnostics.isEmpty || name == "1 MB line", "\(name): no diagnostics")
    #expect(diagnostics.count <= Parser.maxProblems, "\(name): too many diagnostics")
    // Rendering must survive too (control bytes, invalid UTF-8, long lines).
    _ = TextRenderer().render(diagnostics, files: [SourceFile(path: "x.flow", bytes: bytes)])
    // The formatter refuses them (syntax errors) without crashing.
    _ = FlowFormatter.format(SourceFile(path: "x.flow", bytes: bytes))
  }
}

/// A tiny deterministic PRNG so garbage inputs are reproducible.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
