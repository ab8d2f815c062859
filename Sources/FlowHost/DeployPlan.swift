import FlowIR
import FlowRuntime
import Foundation
import MemberStore

/// What loading a compiled program does to the members already inside flows.
///
/// Step names are a position's identity (`Docs/runtime.md`, "Changing flows
/// while members are inside"): a member at a step that still exists resumes
/// there, re-timed if the step is a wait whose duration changed; one at a
/// removed step, or in a removed flow, leaves. `flowc plan` prints this plan;
/// `flowc run` applies the same one before its scheduler starts.
public struct DeployPlan: Sendable {
  /// Flows whose members resume, move or leave, by name.
  public var flows: [FlowChange]
  /// Flows never loaded before, which start taking members.
  public var newFlows: [NewFlow]
  /// Every instance that stays inside its flow, with the version it now follows.
  var versionUpdates: [VersionUpdate]

  /// Members of one flow that entered another version of it.
  public struct FlowChange: Sendable, Hashable {
    public var flow: String
    /// The version members stay in; nil when the flow was removed.
    public var version: String?
    /// Instances that continue at the same step, at the same time.
    public var resumed: [Int64] = []
    public var moves: [Move] = []
    public var leaves: [Leave] = []
  }

  /// An instance at a wait whose timing changed: its resume timer moves.
  public struct Move: Sendable, Hashable {
    public var instance: Int64
    public var member: Int64
    public var step: String
    /// The wait's timing as written, before and after: `3d`, `up to 2d`, `until monday`.
    public var oldWait: String
    public var newWait: String
    /// When the instance entered the wait.
    public var startedAt: Int64
    /// The resume timer's due time before the deploy, if it had one.
    public var oldDueAt: Int64?
    public var newDueAt: Int64
  }

  /// An instance that leaves its flow, and why.
  public struct Leave: Sendable, Hashable {
    public var instance: Int64
    public var member: Int64
    public var step: String?
    public var reason: String
  }

  public struct NewFlow: Sendable, Hashable {
    public var flow: String
    /// The trigger as written: `enters segment lapsing`.
    public var trigger: String
  }

  struct VersionUpdate: Sendable, Hashable {
    var instance: Int64
    var version: String
  }

  static let stepRemoved = "step removed in deploy"
  static let flowRemoved = "flow removed in deploy"

  /// The plan for `program` (whose flows have `versions`) against the active
  /// instances in `store`. Waits are re-timed in the member's zone, else `shopZone`.
  public init(
    program: Program, versions: [String: VersionedFlow], store: DeployStore, shopZone: String
  ) throws {
    let current = Dictionary(program.flows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let known = try store.loadedFlows()
    newFlows = program.flows.filter { !known.contains($0.name) }.map {
      NewFlow(flow: $0.name, trigger: $0.trigger.sourceText)
    }
    var calendars = MemberCalendars(shopZone: shopZone)
    var entered = EnteredFlows(store: store)
    var changes: [String: FlowChange] = [:]
    var updates: [VersionUpdate] = []
    for instance in try store.parkedInstances() {
      let flow = current[instance.flow]
      let version = versions[instance.flow]?.version
      if instance.version == version { continue }
      let old = try entered.flow(instance.flow, version: instance.version)
      // The same flow under an older key (an instance from before per-flow
      // versions): nothing changes for the member but the label.
      if let flow, let version, old == flow {
        updates.append(VersionUpdate(instance: instance.id, version: version))
        continue
      }
      var change = changes[instance.flow] ?? FlowChange(flow: instance.flow, version: version)
      switch Self.place(instance, in: flow, enteredFrom: old, calendars: &calendars) {
      case .resume:
        change.resumed.append(instance.id)
      case .move(let move):
        change.moves.append(move)
      case .leave(let reason):
        change.leaves.append(
          Leave(
            instance: instance.id, member: instance.memberID, step: instance.step, reason: reason))
        changes[instance.flow] = change
        continue
      }
      // Placed in the flow's new version (`place` leaves when there is none).
      updates.append(VersionUpdate(instance: instance.id, version: version ?? instance.version))
      changes[instance.flow] = change
    }
    flows = changes.values.sorted { $0.flow < $1.flow }
    versionUpdates = updates
  }

  private enum Placement {
    case resume
    case move(Move)
    case leave(reason: String)
  }

  /// Where an instance goes in the new version of its flow (nil: removed).
  private static func place(
    _ instance: ParkedInstance, in flow: Flow?, enteredFrom old: Flow?,
    calendars: inout MemberCalendars
  ) -> Placement {
    guard let flow else { return .leave(reason: flowRemoved) }
    guard let stepName = instance.step, let step = flow.step(named: stepName) else {
      return .leave(reason: stepRemoved)
    }
    // A wait is re-timed from when the instance entered it, as logged in the
    // step log: that is the `now` the engine timed it from. Working back from
    // the timer (due minus old duration) is not exact: calendar days are not
    // reversible across a DST gap, and the member's zone may have changed since.
    guard let newWait = WaitTiming(step.action),
      let oldWait = old?.step(named: stepName).flatMap({ WaitTiming($0.action) }),
      oldWait != newWait, let startedAt = instance.stepEnteredAt
    else {
      // A send held by quiet hours, a wait timed as before, or an instance
      // whose old flow the store does not have: its timer stands.
      return .resume
    }
    let calendar = calendars.calendar(for: instance.timezone)
    return .move(
      Move(
        instance: instance.id, member: instance.memberID, step: stepName, oldWait: oldWait.text,
        newWait: newWait.text, startedAt: startedAt, oldDueAt: instance.resumeDueAt,
        newDueAt: newWait.due(startedAt: startedAt, in: calendar)))
  }

  /// True when applying the plan changes what some member does, or a flow is new.
  public var hasChanges: Bool { !flows.isEmpty || !newFlows.isEmpty }

  public var resumedCount: Int { flows.map(\.resumed.count).reduce(0, +) }
  public var movedCount: Int { flows.map(\.moves.count).reduce(0, +) }
  public var leftCount: Int { flows.map(\.leaves.count).reduce(0, +) }

  /// Moves and ends instances as planned, relabels those that stay with their
  /// flow's new version, and records the deploy when anything changed. Call
  /// inside the transaction the plan was computed in, so no work item slips between.
  public func apply(to store: DeployStore, at now: Int64) throws {
    for update in versionUpdates {
      try store.setInstanceVersion(id: update.instance, version: update.version)
    }
    for change in flows {
      for move in change.moves {
        try store.schedule(
          .resume, memberID: move.member, instanceID: move.instance,
          key: TimerKind.resumeKey(instanceID: move.instance), dueAt: move.newDueAt)
      }
      for leave in change.leaves {
        try store.logStep(
          instanceID: leave.instance, flow: change.flow, step: leave.step ?? "(start)",
          outcome: .exited, reason: leave.reason, at: now)
        try store.endInstance(id: leave.instance, status: .exited, at: now, reason: leave.reason)
        try store.cancelTimer(
          .resume, memberID: leave.member, key: TimerKind.resumeKey(instanceID: leave.instance))
      }
    }
    guard hasChanges else { return }
    try store.recordDeploy(
      DeployRecord(
        at: now, resumed: resumedCount, moved: movedCount, exited: leftCount,
        newFlows: newFlows.count, plan: try json(verbose: true)))
  }
}

/// How a waiting step is timed, so old and new versions of it compare.
private enum WaitTiming: Equatable {
  /// `wait 3d`
  case after(FlowIR.Duration)
  /// `wait for event E up to 2d`
  case timeout(FlowIR.Duration)
  /// `wait until weekday 09:00 local`
  case until(WaitUntil)

  init?(_ action: Action) {
    switch action {
    case .wait(let duration): self = .after(duration)
    case .waitForEvent(let wait): self = .timeout(wait.timeout)
    case .waitUntil(let wait): self = .until(wait)
    case .send, .branch, .split: return nil
    }
  }

  var text: String {
    switch self {
    case .after(let duration): return duration.sourceText
    case .timeout(let duration): return "up to \(duration.sourceText)"
    case .until(let wait): return String(wait.sourceText.dropFirst("wait ".count))
    }
  }

  /// When the wait ends by the engine's rules, had it started at `start`.
  func due(startedAt start: Int64, in calendar: ZonedCalendar) -> Int64 {
    switch self {
    case .after(let duration), .timeout(let duration): return calendar.add(duration, to: start)
    case .until(let wait): return calendar.nextMoment(wait, atOrAfter: start)
    }
  }
}

/// The flows instances entered, decoded from the store once per version.
private struct EnteredFlows {
  let store: DeployStore
  private var decoded: [String: Flow?] = [:]

  init(store: DeployStore) { self.store = store }

  /// nil when the store does not have that version's IR.
  mutating func flow(_ name: String, version: String) throws -> Flow? {
    let key = name + "\u{0}" + version
    if let cached = decoded[key] { return cached }
    let flow = try store.flowVersionIR(flow: name, version: version).map {
      try JSONDecoder().decode(Flow.self, from: Data($0.utf8))
    }
    decoded[key] = flow
    return flow
  }
}

/// Member calendars by zone name, with the engine's fallback: the member's
/// zone when it is a known IANA name, else the shop's, else UTC.
private struct MemberCalendars {
  let shop: ZonedCalendar
  private var byZone: [String: ZonedCalendar] = [:]

  init(shopZone: String) {
    shop = ZonedCalendar(zone: TimeZone(identifier: shopZone) ?? .gmt)
  }

  mutating func calendar(for zone: String?) -> ZonedCalendar {
    guard let zone else { return shop }
    if let cached = byZone[zone] { return cached }
    let calendar = TimeZone(identifier: zone).map(ZonedCalendar.init) ?? shop
    byZone[zone] = calendar
    return calendar
  }
}

extension DeployPlan {
  /// The plan for a compiled project against the store at `databasePath`; changes nothing
  /// but the store's schema version.
  public static func read(databasePath: String, project: Project, shopZone: String) throws
    -> DeployPlan
  {
    guard let program = project.program else {
      throw HostError("the flows have errors; run 'flowc check' to see them")
    }
    guard FileManager.default.fileExists(atPath: databasePath) else {
      throw HostError("no database at '\(databasePath)'")
    }
    let store = try SQLiteFlowStore(path: databasePath)
    let versions = try Project.versionedFlows(of: program)
    // One transaction: a runner writing meanwhile cannot split the snapshot.
    return try store.transaction {
      try DeployPlan(program: program, versions: versions, store: store, shopZone: shopZone)
    }
  }
}
