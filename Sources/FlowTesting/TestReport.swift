import Foundation

/// How `flowc test` prints results: one line per scenario, each failed
/// expectation under its scenario, and a closing count.
public enum TestReport {
  /// ```
  /// PASS Flows/tests/welcome.flowtest:3 welcome email on joining
  /// FAIL Flows/tests/welcome.flowtest:12 offer after two weeks
  ///   Flows/tests/welcome.flowtest:19:3: expect send second_order_offer to ann at 2026-03-15 10:00
  ///     second_order_offer was sent to ann at 2026-03-15 14:00 UTC, not 10:00
  /// 1 passed, 1 failed
  /// ```
  public static func text(_ results: [ScenarioResult]) -> String {
    var out = ""
    for result in results {
      let origin = result.origin
      out += "\(result.passed ? "PASS" : "FAIL") \(origin.path):\(origin.line) \(result.name)\n"
      for failure in result.failures {
        let source = failure.source
        out += "  \(source.path):\(source.line):\(source.column): \(source.text)\n"
        out += "    \(failure.message)\n"
      }
    }
    return out + summary(results) + "\n"
  }

  /// `N passed, M failed`.
  public static func summary(_ results: [ScenarioResult]) -> String {
    let passed = results.filter(\.passed).count
    return "\(passed) passed, \(results.count - passed) failed"
  }

  /// The same as JSON: `{"passed": N, "failed": M, "scenarios": [...]}`.
  public static func json(_ results: [ScenarioResult]) -> String {
    let scenarios: [[String: Any]] = results.map { result in
      [
        "name": result.name, "file": result.origin.path, "line": result.origin.line,
        "passed": result.passed,
        "failures": result.failures.map { failure -> [String: Any] in
          [
            "file": failure.source.path, "line": failure.source.line,
            "column": failure.source.column, "source": failure.source.text,
            "message": failure.message,
          ]
        },
      ]
    }
    let passed = results.filter(\.passed).count
    let object: [String: Any] = [
      "passed": passed, "failed": results.count - passed, "scenarios": scenarios,
    ]
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
