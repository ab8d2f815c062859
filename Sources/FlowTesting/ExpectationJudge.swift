import FlowIR
import MemberStore

/// An `expect` line that did not hold, and what happened instead.
public struct ExpectationFailure: Sendable, Hashable {
  public var source: SourceLine
  public var message: String
}

/// Decides each expectation against what the run did, and words the
/// difference the way an author would check it by hand.
struct ExpectationJudge {
  let program: Program
  let trace: ScenarioTrace

  func failures(_ expectations: [Expectation]) -> [ExpectationFailure] {
    expectations.compactMap { expectation in
      verdict(expectation.kind).map { ExpectationFailure(source: expectation.source, message: $0) }
    }
  }

  /// Nil when the expectation holds, else what happened instead.
  private func verdict(_ kind: Expectation.Kind) -> String? {
    switch kind {
    case .send(let written, let member, let at):
      // The checker resolved every step before the run.
      guard let step = try? SendStep.resolve(written, in: program) else { return nil }
      let times = sends(of: step, to: member.value).map(\.at)
      guard !times.isEmpty else {
        return "no send of \(written.value); \(whyNoSend(step, to: member.value))"
      }
      guard let at else { return nil }
      if times.contains(where: { $0 / 60 == at.instant / 60 }) { return nil }
      let expected = MomentSyntax.text(at.instant, zone: at.zone)
      let actual = times.map { time in
        let text = MomentSyntax.text(time, zone: at.zone)
        return "\(text.date) \(text.time)"
      }
      let sameDay = times.allSatisfy { MomentSyntax.text($0, zone: at.zone).date == expected.date }
      let wanted = sameDay ? String(expected.time.prefix(5)) : "\(expected.date) \(expected.time)"
      return "\(written.value) was sent to \(member.value) at \(list(actual)), not \(wanted)"
    case .noSend(let written, let member):
      let step = written.flatMap { try? SendStep.resolve($0, in: program) }
      let unwanted = trace.steps.filter { logged in
        logged.outcome == .sent
          && step.map { logged.flow == $0.flow && logged.step == $0.step } ?? true
          && member.map { logged.member == trace.memberIDs[$0.value] } ?? true
      }
      guard !unwanted.isEmpty else { return nil }
      return unwanted.map { sent in
        let time = MomentSyntax.text(sent.at, zone: nil)
        return "\(sent.step) was sent to \(name(of: sent.member)) at \(time.date) \(time.time)"
      }.joined(separator: "; ")
    case .segment(let member, let segment, let isIn):
      let actual = trace.segments[member.value]?.contains(segment.value) ?? false
      guard actual != isIn else { return nil }
      return "\(member.value) is \(actual ? "" : "not ")in segment \(segment.value)"
    case .tag(let member, let tag, let present):
      let actual = trace.tags[member.value]?.contains(tag.value) ?? false
      guard actual != present else { return nil }
      return "\(member.value) is \(actual ? "" : "not ")tagged \"\(tag.value)\""
    }
  }

  private func sends(of step: SendStep, to member: String) -> [StepTrace] {
    guard let id = trace.memberIDs[member] else { return [] }
    return trace.steps.filter {
      $0.outcome == .sent && $0.member == id && $0.flow == step.flow && $0.step == step.step
    }
  }

  /// Why a member got no send of a step, from the step log of that flow.
  private func whyNoSend(_ step: SendStep, to member: String) -> String {
    let id = trace.memberIDs[member]
    let inFlow = trace.steps.filter { $0.member == id && $0.flow == step.flow }
    if let skipped = inFlow.last(where: { $0.step == step.step && $0.outcome == .skipped }) {
      return "it was skipped for \(member): \(skipped.reason ?? "no reason recorded")"
    }
    guard let last = inFlow.last else { return "\(member) never entered flow \(step.flow)" }
    if last.outcome == .exited {
      return "\(member) left the flow at \(last.step): \(last.reason ?? "no reason recorded")"
    }
    if trace.endings[last.instance] == nil {
      return "\(member) is still in flow \(step.flow), at \(last.step)"
    }
    return "\(member) went through flow \(step.flow) without reaching \(step.step)"
  }

  private func name(of memberID: Int64) -> String {
    trace.memberIDs.first { $0.value == memberID }?.key ?? "member \(memberID)"
  }

  /// `a`, `a and b`, `a, b and c`.
  private func list(_ items: [String]) -> String {
    guard items.count > 1, let last = items.last else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }
}
