import FlowDiagnostics
import FlowSyntax

/// Warns about waits that outlast the segment a flow is about.
///
/// A segment such as `member.last_click_at within 30d` holds for at most 30
/// days after the member's last activity, so a flow entered through it that
/// waits longer than that emails members who have left it. The bound of a
/// condition: `X within D` is D; `and` takes the shorter bound, `or` the
/// longer; anything else is unbounded.
struct SegmentLifetime {
  let segments: [String: SegmentDeclSyntax]

  /// Reports each wait whose shortest total waiting from the flow's entry is
  /// longer than the shortest-lived segment the flow requires: the one it is
  /// triggered by entering, or one its `only if` requires as an `and` term.
  func checkWaits(
    _ steps: [StepSyntax], trigger: TriggerSyntax?, onlyIf: ExprSyntax?,
    _ problems: inout [CheckProblem]
  ) {
    var required: [String] = []
    if case .entersSegment(let name) = trigger { required.append(name.text) }
    if let onlyIf { Self.segmentTerms(onlyIf, into: &required) }
    let bounds = required.compactMap { name in lifetime(of: name, []).map { (name, $0) } }
    guard let (segment, minutes) = bounds.min(by: { $0.1 < $1.1 }) else { return }
    _ = WaitWalk(segment: segment, lifetime: minutes).block(steps, after: 0, &problems)
  }

  /// Minutes a segment can stay true after the last activity; nil if unbounded.
  private func lifetime(of name: String, _ visiting: Set<String>) -> Int? {
    // A cycle is reported elsewhere; it has no bound here.
    guard !visiting.contains(name), let segment = segments[name] else { return nil }
    return lifetime(segment.predicate, visiting.union([name]))
  }

  private func lifetime(_ expr: ExprSyntax, _ visiting: Set<String>) -> Int? {
    switch expr.kind {
    case .within(_, let duration): return duration.minutes
    case .segment(let name): return lifetime(of: name.text, visiting)
    case .and(let a, let b):
      return [lifetime(a, visiting), lifetime(b, visiting)].compactMap { $0 }.min()
    case .or(let a, let b):
      guard let left = lifetime(a, visiting), let right = lifetime(b, visiting) else { return nil }
      return max(left, right)
    default: return nil
    }
  }

  /// The segments named as `and` terms of a condition.
  private static func segmentTerms(_ expr: ExprSyntax, into names: inout [String]) {
    switch expr.kind {
    case .segment(let name): names.append(name.text)
    case .and(let a, let b):
      segmentTerms(a, into: &names)
      segmentTerms(b, into: &names)
    default: break
    }
  }
}

/// Follows the steps adding up waiting time along the shortest path.
private struct WaitWalk {
  let segment: String
  let lifetime: Int

  /// Checks `steps` entered after `waited` minutes; returns the least waiting
  /// after them.
  func block(_ steps: [StepSyntax], after start: Int, _ problems: inout [CheckProblem]) -> Int {
    var waited = start
    for step in steps {
      switch step.kind {
      case .send, .waitUntil: break  // `wait until` may end at once
      case .wait(let duration):
        waited += duration.minutes
        check(waited, step.span, &problems)
      case .waitForEvent(let wait):
        let timedOut = waited + wait.timeout.minutes
        let header = Span(file: step.span.file, start: step.span.start, end: wait.timeout.span.end)
        check(timedOut, header, &problems)
        // The event may come at once, so the shortest path skips the timeout.
        _ = block(wait.otherwise ?? [], after: timedOut, &problems)
      case .branch(let arms, let otherwise):
        let ends = arms.map { block($0.steps, after: waited, &problems) }
        waited = (ends + [block(otherwise ?? [], after: waited, &problems)]).min() ?? waited
      case .split(let arms, let otherwise):
        let ends = arms.map { block($0.steps, after: waited, &problems) }
        waited = (ends + [block(otherwise, after: waited, &problems)]).min() ?? waited
      }
    }
    return waited
  }

  private func check(_ waited: Int, _ span: Span, _ problems: inout [CheckProblem]) {
    guard waited > lifetime else { return }
    problems.append(
      .waitOutlastsSegment(
        segment: segment, lifetime: spelled(minutes: lifetime), waited: spelled(minutes: waited),
        span))
  }
}

/// Minutes in the largest unit that divides them, up to days so that two
/// lengths read alike: `35d`, `36h`, `90m`.
private func spelled(minutes: Int) -> String {
  for (unit, size) in [("d", 1440), ("h", 60)] where minutes % size == 0 {
    return "\(minutes / size)\(unit)"
  }
  return "\(minutes)m"
}

extension DurationLiteral {
  /// Length in minutes, days and weeks counted as 24 and 168 hours; anything
  /// over the five-year limit counts as just over it, so sums cannot overflow.
  var minutes: Int {
    let size =
      switch unit {
      case .minutes: 1
      case .hours: 60
      case .days: 1440
      case .weeks: 10080
      }
    let (total, overflow) = amount.multipliedReportingOverflow(by: size)
    return overflow
      ? ExpressionChecker.maxMinutes + 1 : min(total, ExpressionChecker.maxMinutes + 1)
  }
}
