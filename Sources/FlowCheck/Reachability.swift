import FlowDiagnostics
import FlowIR
import FlowSyntax

/// Follows the arms of one `if` in order, reporting arms that can never run:
/// a literal `false` condition, anything after a literal `true`, and a
/// condition that repeats an earlier arm's (the earlier arm takes every
/// member it holds for). An empty arm has nothing unreachable in it.
struct Reachability {
  /// The condition that is always true, once one was seen.
  private var alwaysTrue: Span?
  /// Earlier arms' checked conditions, with their spans.
  private var earlier: [(Expr, Span)] = []

  mutating func arm(
    _ syntax: ExprSyntax, _ checked: Expr?, firstStep: Span?, _ problems: inout [CheckProblem]
  ) {
    if let firstStep {
      if let alwaysTrue {
        problems.append(.unreachableArm(.afterAlwaysTrue, firstStep, cause: alwaysTrue))
      } else if syntax.kind == .literal(.bool(false)) {
        problems.append(.unreachableArm(.alwaysFalse, firstStep, cause: syntax.span))
      } else if let checked, let match = earlier.first(where: { $0.0 == checked }) {
        problems.append(.unreachableArm(.repeatsCondition, firstStep, cause: match.1))
      }
    }
    if alwaysTrue == nil, syntax.kind == .literal(.bool(true)) { alwaysTrue = syntax.span }
    if let checked { earlier.append((checked, syntax.span)) }
  }

  /// The `else` arm, after every condition.
  func otherwise(firstStep: Span?, _ problems: inout [CheckProblem]) {
    if let firstStep, let alwaysTrue {
      problems.append(.unreachableArm(.afterAlwaysTrue, firstStep, cause: alwaysTrue))
    }
  }
}
