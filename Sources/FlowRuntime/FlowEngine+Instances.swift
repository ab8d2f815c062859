import FlowIR
import MemberStore

/// Moving members into, through and out of flows.
extension FlowEngine {
  /// Starts `flow` for the member unless an instance is running, re-entry
  /// forbids it, or `only if` is false.
  func enter(_ flow: Flow, member: inout MemberView, trigger: [String: Any], now: Int64) throws {
    let id = member.record.id
    if let latest = try store.latestInstance(flow: flow.name, memberID: id) {
      if latest.status == .active { return }
      switch flow.reentry {
      case .never: return
      case .after(let gap):
        if now < member.calendar.add(gap, to: latest.enteredAt) { return }
      }
    }
    let triggerValues = triggerValues(flow, raw: trigger)
    if let onlyIf = flow.onlyIf,
      !Evaluator(
        now: now, member: member, currency: shop.currency, trigger: triggerValues
      ).truth(onlyIf)
    {
      return
    }
    let version = versions[flow.name] ?? ""
    let instanceID = try store.createInstance(
      flow: flow.name, version: version, memberID: id, enteredAt: now,
      triggerPayload: PayloadCodec.serialize(trigger))
    let instance = FlowInstanceRecord(
      id: instanceID, flow: flow.name, version: version, memberID: id, status: .active,
      step: nil, enteredAt: now, triggerPayload: "")
    try advance(
      instance, flow: flow, from: flow.entry, member: &member, trigger: trigger, now: now,
      logEntry: true)
  }

  /// The message `step` of `flow` would send the member at `now`, composed
  /// exactly as a send does but stored nowhere. The trigger data and instance
  /// are those of the member's running instance of the flow, if any.
  public func preview(flow name: String, step stepName: String, memberID: Int64, now: Int64)
    throws -> ComposedMessage
  {
    guard let flow = flowsByName[name], let step = flow.step(named: stepName),
      case .send(let action) = step.action
    else { throw PreviewError("no send step '\(name).\(stepName)'") }
    guard let member = try loadMember(memberID, now: now) else {
      throw PreviewError("no member with id \(memberID)")
    }
    let running = try store.activeInstances(memberID: memberID).first { $0.flow == name }
    let instanceID = running?.id ?? 0
    return try composer.compose(
      SendRequest(
        flow: name, step: stepName, action: action, member: member,
        trigger: running.map { PayloadCodec.object($0.triggerPayload) } ?? [:],
        instanceID: instanceID, now: now, idempotencyKey: "\(name).\(stepName).i\(instanceID)",
        recommendations: try recommendations(for: member)))
  }

  /// Continues an instance whose timer fired: after a wait, or a send held by quiet hours.
  func resume(_ instance: FlowInstanceRecord, member: inout MemberView, now: Int64) throws {
    guard let flow = flowsByName[instance.flow] else {
      return try end(instance, flow: instance.flow, at: instance.step, reason: "flow removed", now)
    }
    guard let stepName = instance.step, let step = flow.step(named: stepName) else {
      return try end(instance, flow: flow.name, at: instance.step, reason: "step removed", now)
    }
    let trigger = PayloadCodec.object(instance.triggerPayload)
    switch step.action {
    case .send:
      try advance(
        instance, flow: flow, from: stepName, member: &member, trigger: trigger, now: now,
        logEntry: false)
    case .waitForEvent(let wait):  // the event did not come in time
      try advance(
        instance, flow: flow, from: wait.timeoutTarget, member: &member, trigger: trigger,
        now: now, logEntry: true)
    default:
      try advance(
        instance, flow: flow, from: step.next, member: &member, trigger: trigger, now: now,
        logEntry: true)
    }
  }

  /// Runs steps from `start` until the instance waits or the flow ends.
  private func advance(
    _ instance: FlowInstanceRecord, flow: Flow, from start: String?, member: inout MemberView,
    trigger: [String: Any], now: Int64, logEntry: Bool
  ) throws {
    var current = start
    var logEntry = logEntry
    let triggerValues = triggerValues(flow, raw: trigger)
    while let name = current {
      guard let step = flow.step(named: name) else {
        return try end(instance, flow: flow.name, at: name, reason: "step removed", now)
      }
      if logEntry { try log(instance, flow.name, name, .entered, nil, now) }
      logEntry = true
      let evaluator = Evaluator(
        now: now, member: member, currency: shop.currency, trigger: triggerValues)
      switch step.action {
      case .wait(let duration):
        try hold(instance, at: name, until: member.calendar.add(duration, to: now))
        return
      case .waitForEvent(let wait):
        try hold(instance, at: name, until: member.calendar.add(wait.timeout, to: now))
        return
      case .waitUntil(let wait):
        let due = member.calendar.nextMoment(wait, atOrAfter: now)
        guard due > now else {
          current = step.next
          continue
        }
        try hold(instance, at: name, until: due)
        return
      case .branch(let condition, let then, let otherwise):
        current = evaluator.truth(condition) ? then : otherwise
      case .split(let arms):
        current = Self.pick(arms, instanceID: instance.id, step: name)
      case .send(let action):
        if let window = flow.quietHours, let end = member.calendar.quietWindowEnd(window, at: now) {
          try hold(instance, at: name, until: end)
          return
        }
        if let onlyIf = flow.onlyIf, !evaluator.truth(onlyIf) {
          return try end(
            instance, flow: flow.name, at: name, reason: "no longer matches only if", now)
        }
        try send(
          action, instance: instance, flow: flow, step: name, member: member,
          trigger: trigger, now: now)
        current = step.next
      }
    }
    try store.endInstance(id: instance.id, status: .completed, at: now, reason: nil)
  }

  private func send(
    _ action: SendAction, instance: FlowInstanceRecord, flow: Flow, step: String,
    member: MemberView, trigger: [String: Any], now: Int64
  ) throws {
    guard member.mayEmail else {
      return try log(instance, flow.name, step, .skipped, "no consent", now)
    }
    if let limit = flow.limit {
      let windowStart = member.calendar.add(
        Duration(-limit.window.amount, limit.window.unit), to: now)
      if try store.emailCount(memberID: member.record.id, since: windowStart) >= limit.count {
        let emails = limit.count == 1 ? "email" : "emails"
        let window = "\(limit.window.amount)\(limit.window.unit.rawValue)"
        let reason = "frequency cap: \(limit.count) \(emails) per \(window)"
        return try log(instance, flow.name, step, .skipped, reason, now)
      }
    }
    let flow = flow.name
    let key = "\(flow).\(step).i\(instance.id)"
    let message: ComposedMessage
    do {
      message = try composer.compose(
        SendRequest(
          flow: flow, step: step, action: action, member: member, trigger: trigger,
          instanceID: instance.id, now: now, idempotencyKey: key,
          recommendations: try recommendations(for: member)))
    } catch {
      return try log(instance, flow, step, .skipped, "render failed: \(error)", now)
    }
    let added = try store.enqueue(
      idempotencyKey: key, instanceID: instance.id, memberID: member.record.id, flow: flow,
      step: step, recipient: message.recipient, createdAt: now, message: message.bytes)
    if added { try log(instance, flow, step, .sent, nil, now) }
  }

  /// Parks the instance at a step with a timer to resume it.
  private func hold(_ instance: FlowInstanceRecord, at step: String, until due: Int64) throws {
    try store.moveInstance(id: instance.id, toStep: step)
    try store.schedule(
      .resume, memberID: instance.memberID, instanceID: instance.id,
      key: TimerKind.resumeKey(instanceID: instance.id), dueAt: due)
  }

  /// Ends active instances whose exit rules match this event, and moves on
  /// those waiting for it (`wait for event`). An exit wins over a wait.
  func applyToInstances(
    event: String, payload: [String: Value], member: inout MemberView, now: Int64
  ) throws {
    for instance in try store.activeInstances(memberID: member.record.id) {
      guard let flow = flowsByName[instance.flow] else { continue }
      let rawTrigger = PayloadCodec.object(instance.triggerPayload)
      let trigger = triggerValues(flow, raw: rawTrigger)
      let evaluator = Evaluator(
        now: now, member: member, currency: shop.currency, event: payload, trigger: trigger)
      let matches = flow.exits.contains { rule in
        rule.event == event && (rule.condition.map(evaluator.truth) ?? true)
      }
      if matches {
        try end(
          instance, flow: flow.name, at: instance.step, reason: "exit when event \(event)", now)
        continue
      }
      guard let stepName = instance.step, let step = flow.step(named: stepName),
        case .waitForEvent(let wait) = step.action, wait.event == event,
        wait.condition.map(evaluator.truth) ?? true
      else { continue }
      try store.cancelTimer(
        .resume, memberID: instance.memberID, key: TimerKind.resumeKey(instanceID: instance.id))
      try advance(
        instance, flow: flow, from: step.next, member: &member, trigger: rawTrigger, now: now,
        logEntry: true)
    }
  }

  /// Ends an instance early, recording where and why.
  private func end(
    _ instance: FlowInstanceRecord, flow: String, at step: String?, reason: String, _ now: Int64
  ) throws {
    try log(instance, flow, step ?? "(start)", .exited, reason, now)
    try store.endInstance(id: instance.id, status: .exited, at: now, reason: reason)
    try store.cancelTimer(
      .resume, memberID: instance.memberID, key: TimerKind.resumeKey(instanceID: instance.id))
  }

  private func log(
    _ instance: FlowInstanceRecord, _ flow: String, _ step: String, _ outcome: StepOutcome,
    _ reason: String?, _ now: Int64
  ) throws {
    try store.logStep(
      instanceID: instance.id, flow: flow, step: step, outcome: outcome, reason: reason, at: now)
  }

  private func triggerValues(_ flow: Flow, raw: [String: Any]) -> [String: Value] {
    guard !raw.isEmpty, case .event(let name) = flow.trigger else { return [:] }
    return PayloadCodec.values(raw, schema: eventSchemas[name] ?? [])
  }

  /// The arm for an instance: a stable hash of instance and step, so a rerun
  /// after a crash takes the same arm.
  static func pick(_ arms: [SplitArm], instanceID: Int64, step: String) -> String? {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in "\(instanceID):\(step)".utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    var roll = Int(hash % 100)
    for arm in arms {
      if roll < arm.percent { return arm.target }
      roll -= arm.percent
    }
    return arms.last?.target
  }
}

/// A preview that cannot be built: the step or member does not exist.
public struct PreviewError: Error, CustomStringConvertible, Sendable {
  public var description: String
  init(_ description: String) { self.description = description }
}
