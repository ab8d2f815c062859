import FlowIR
import Testing

@testable import FlowHost
@testable import MemberStore

/// Loading new flows over members parked in old ones: resume, move, leave.
@Suite("deploy plan")
struct DeployPlanTests {
  static let before = """
    flow retimed { trigger member_joined  wait 3d  send retimed_mail { template "t" subject "s" } }
    flow edited { trigger member_joined  wait 2d  send edited_mail { template "t" subject "s" } }
    flow shortened {
      trigger member_joined
      wait 1d
      send shortened_mail { template "t" subject "s" }
    }
    flow dropped { trigger member_joined  wait 1d  send dropped_mail { template "t" subject "s" } }
    """

  /// `retimed` waits 5d instead of 3d; `edited` only changes a subject; `shortened`
  /// loses its wait; `dropped` is gone; `added` is new.
  static let after = """
    flow retimed { trigger member_joined  wait 5d  send retimed_mail { template "t" subject "s" } }
    flow edited { trigger member_joined  wait 2d  send edited_mail { template "t" subject "new" } }
    flow shortened { trigger member_joined  send shortened_mail { template "t" subject "s" } }
    flow added { trigger event order_placed  send added_mail { template "t" subject "s" } }
    """

  /// A member in New York joins on Friday 2024-03-08 at 10:00 EST, two days
  /// before clocks go forward, so each flow parks them at its wait.
  let joinedAt = utc(2024, 3, 8, 15)

  func parkedHarness() throws -> (Harness, member: Int64) {
    let harness = try Harness(Self.before, versions: try versions(of: compileFlow(Self.before)))
    for (flow, versioned) in try Project.versionedFlows(of: harness.program) {
      try harness.store.saveFlowVersion(
        flow: flow, version: versioned.version, ir: versioned.ir, at: joinedAt)
    }
    let member = try harness.join("ny@example.com", at: joinedAt, timezone: "America/New_York")
    try harness.drain(until: joinedAt)
    return (harness, member)
  }

  func versions(of program: Program) throws -> [String: String] {
    try Project.versionedFlows(of: program).mapValues(\.version)
  }

  @Test("each parked member resumes, moves or leaves, and a new flow is listed")
  func plan() throws {
    let (harness, member) = try parkedHarness()
    let after = try compileFlow(Self.after)
    let plan = try harness.store.transaction {
      try DeployPlan(
        program: after, versions: try Project.versionedFlows(of: after), store: harness.store,
        shopZone: "UTC")
    }
    let ids = Dictionary(
      try harness.instances(member: member).map { ($0.flow, $0.id) },
      uniquingKeysWith: { a, _ in a }
    )
    #expect(plan.flows.map(\.flow) == ["dropped", "edited", "retimed", "shortened"])
    let byFlow = Dictionary(plan.flows.map { ($0.flow, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byFlow["edited"]?.resumed == [ids["edited"]!])
    #expect(byFlow["edited"]?.moves == [])
    // 3d was due Monday 10:00 EDT (14:00 UTC, after the change); 5d is Wednesday 10:00 EDT.
    #expect(
      byFlow["retimed"]?.moves == [
        DeployPlan.Move(
          instance: ids["retimed"]!, member: member, step: "wait_1",
          oldWait: "3d", newWait: "5d", startedAt: joinedAt, oldDueAt: utc(2024, 3, 11, 14),
          newDueAt: utc(2024, 3, 13, 14))
      ])
    #expect(
      byFlow["shortened"]?.leaves == [
        DeployPlan.Leave(
          instance: ids["shortened"]!, member: member, step: "wait_1",
          reason: "step removed in deploy")
      ])
    #expect(
      byFlow["dropped"]?.leaves == [
        DeployPlan.Leave(
          instance: ids["dropped"]!, member: member, step: "wait_1",
          reason: "flow removed in deploy")
      ])
    #expect(byFlow["dropped"]?.version == nil)
    #expect(plan.newFlows == [DeployPlan.NewFlow(flow: "added", trigger: "event order_placed")])
    #expect(plan.counts == "1 resume, 1 move, 2 leave, 1 new flow")
    #expect(
      plan.text(verbose: false) == """
        - dropped (removed)
            leave  1 member at wait_1: flow removed in deploy
        ~ edited (version \(byFlow["edited"]!.version!))
            resume 1 member where they are
        ~ retimed (version \(byFlow["retimed"]!.version!))
            move   1 member at wait_1 (wait 3d -> 5d): due 2024-03-13T14:00:00Z
        ~ shortened (version \(byFlow["shortened"]!.version!))
            leave  1 member at wait_1: step removed in deploy
        + added (new): starts taking members on trigger event order_placed

        Plan: 1 resume, 1 move, 2 leave, 1 new flow.

        """)
  }

  @Test("applying the plan re-times, ends and relabels instances, and records the deploy")
  func apply() throws {
    let (harness, member) = try parkedHarness()
    let after = try compileFlow(Self.after)
    let afterVersions = try Project.versionedFlows(of: after)
    let deployedAt = utc(2024, 3, 9)
    try harness.store.transaction {
      let plan = try DeployPlan(
        program: after, versions: afterVersions, store: harness.store, shopZone: "UTC")
      try plan.apply(to: harness.store, at: deployedAt)
      for (flow, versioned) in afterVersions {
        try harness.store.saveFlowVersion(
          flow: flow, version: versioned.version, ir: versioned.ir, at: deployedAt)
      }
    }
    let instances = try harness.instances(member: member)
    #expect(
      instances.map { "\($0.flow) \($0.status) \($0.endReason ?? "-")" } == [
        "retimed active -", "edited active -", "shortened exited step removed in deploy",
        "dropped exited flow removed in deploy",
      ])
    #expect(
      try harness.timers(member: member).filter { $0.kind == "resume" } == [
        // Unchanged: Sunday 10:00 EDT, the clocks having gone forward that night.
        Harness.TimerRow(kind: "resume", key: "i\(instances[1].id)", dueAt: utc(2024, 3, 10, 14)),
        Harness.TimerRow(kind: "resume", key: "i\(instances[0].id)", dueAt: utc(2024, 3, 13, 14)),
      ])
    let versionsNow = try harness.query(
      "SELECT flow, version FROM flow_instances WHERE status = 'active' ORDER BY id"
    ) { "\($0.text(0)) \($0.text(1))" }
    #expect(
      versionsNow == [
        "retimed \(afterVersions["retimed"]!.version)",
        "edited \(afterVersions["edited"]!.version)",
      ])
    #expect(
      try harness.log(member: member).filter { $0.outcome == "exited" }.map(\.description) == [
        "#\(instances[3].id) dropped.wait_1 exited (flow removed in deploy) @\(deployedAt)",
        "#\(instances[2].id) shortened.wait_1 exited (step removed in deploy) @\(deployedAt)",
      ])
    let deploys = try harness.query("SELECT at, resumed, moved, exited, new_flows FROM deploys") {
      [$0.int(0), $0.int(1), $0.int(2), $0.int(3), $0.int(4)]
    }
    #expect(deploys == [[deployedAt, 1, 1, 2, 1]])

    let again = try DeployPlan(
      program: after, versions: afterVersions, store: harness.store, shopZone: "UTC")
    #expect(!again.hasChanges)
    #expect(
      again.text(verbose: false) == "No changes: every member inside a flow stays where it is.\n")
  }

  @Test("an instance filed under its program's version, in an unchanged flow, is only relabeled")
  func programVersionedInstance() throws {
    // As migration 3 leaves a store: every flow's IR under the program's version.
    let program = try compileFlow(Self.before)
    let harness = try Harness(
      Self.before, versions: program.flows.reduce(into: [:]) { $0[$1.name] = "p1" })
    let current = try Project.versionedFlows(of: program)
    for (flow, versioned) in current {
      try harness.store.saveFlowVersion(flow: flow, version: "p1", ir: versioned.ir, at: joinedAt)
    }
    let member = try harness.join("ny@example.com", at: joinedAt, timezone: "America/New_York")
    try harness.drain(until: joinedAt)
    let timersBefore = try harness.timers(member: member)
    try harness.store.transaction {
      let plan = try DeployPlan(
        program: program, versions: current, store: harness.store, shopZone: "UTC")
      #expect(!plan.hasChanges)
      try plan.apply(to: harness.store, at: joinedAt + day)
    }
    let versions = try harness.query("SELECT flow, version FROM flow_instances ORDER BY id") {
      "\($0.text(0)) \($0.text(1))"
    }
    #expect(versions == program.flows.map { "\($0.name) \(current[$0.name]!.version)" })
    #expect(try harness.timers(member: member) == timersBefore)
    #expect(try harness.query("SELECT count(*) FROM deploys") { $0.int(0) } == [0])
  }

  @Test("a changed 'wait until' or 'wait for event' timeout re-times from when the wait began")
  func otherWaits() throws {
    let before = """
      flow open_hours { trigger member_joined  wait until weekday 09:00 local
        send until_mail { template "t" subject "s" } }
      flow clicked { trigger member_joined  wait for event order_placed up to 2d
        send event_mail { template "t" subject "s" } }
      """
    let after = before.replacingOccurrences(of: "weekday", with: "weekend")
      .replacingOccurrences(of: "up to 2d", with: "up to 3d")
    let harness = try Harness(before, versions: try versions(of: compileFlow(before)))
    for (flow, versioned) in try Project.versionedFlows(of: harness.program) {
      try harness.store.saveFlowVersion(
        flow: flow, version: versioned.version, ir: versioned.ir, at: joinedAt)
    }
    try harness.join("ny@example.com", at: joinedAt, timezone: "America/New_York")
    try harness.drain(until: joinedAt)
    let program = try compileFlow(after)
    let plan = try DeployPlan(
      program: program, versions: try Project.versionedFlows(of: program), store: harness.store,
      shopZone: "UTC")
    // From Friday 10:00 EST: Saturday 09:00 EST, and Monday 10:00 EDT.
    #expect(
      plan.flows.flatMap(\.moves).map {
        "\($0.step) \($0.oldWait) -> \($0.newWait) @\($0.newDueAt)"
      }
        == [
          "wait_1 up to 2d -> up to 3d @\(utc(2024, 3, 11, 14))",
          "wait_1 until weekday 09:00 local -> until weekend 09:00 local @\(utc(2024, 3, 9, 14))",
        ])
  }
}
