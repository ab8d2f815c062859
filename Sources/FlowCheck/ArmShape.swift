import FlowIR

/// What an arm of a `split` does: its lowered steps with the names they
/// define replaced by their positions, so that two arms doing the same thing
/// compare equal whatever their steps are called.
struct ArmShape: Equatable {
  private let steps: [Step]

  /// `steps` are the arm's own steps, as lowered; targets outside the arm
  /// (the step after the split) are the same for every arm and stay as they are.
  init(_ steps: ArraySlice<Step>) {
    // `#` cannot start a step name, so a position never equals an outside name.
    let positions = Dictionary(
      steps.enumerated().map { ($1.name, "#\($0)") }, uniquingKeysWith: { first, _ in first })
    func local(_ name: String?) -> String? { name.map { positions[$0] ?? $0 } }
    self.steps = steps.map { step in
      var shape = Step(name: "", action: step.action, next: local(step.next))
      switch step.action {
      case .branch(let condition, let then, let otherwise):
        shape.action = .branch(condition: condition, then: local(then), else: local(otherwise))
      case .split(let arms):
        shape.action = .split(arms.map { SplitArm(percent: $0.percent, target: local($0.target)) })
      case .waitForEvent(var wait):
        wait.timeoutTarget = local(wait.timeoutTarget)
        shape.action = .waitForEvent(wait)
      case .send, .wait, .waitUntil: break
      }
      return shape
    }
  }
}
