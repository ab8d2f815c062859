import FlowHost
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowc plan` and the deploy `flowc run` applies when the flows change.
@Suite("flowc plan")
struct PlanCommandTests {
  /// Four flows every member enters on joining, each parking them at a wait.
  static let before = """
    flow welcome {
      trigger member_joined
      send welcome_email { template "welcome" subject "Welcome" }
      wait 3d
      send second_order_offer { template "second-order" subject "Thanks" }
    }
    flow thanks {
      trigger member_joined
      wait 4d
      send thanks_email { template "vip" subject "Thanks" }
    }
    flow nudge {
      trigger member_joined
      wait 2d
      send nudge_email { template "winback" subject "Hi" }
    }
    flow goodbye {
      trigger member_joined
      wait 1d
      send goodbye_email { template "winback-loyal" subject "Bye" }
    }

    """

  /// welcome waits 5d; thanks has a new subject; nudge loses its wait;
  /// goodbye is gone; vip_upgrade is new.
  static let after = """
    flow welcome {
      trigger member_joined
      send welcome_email { template "welcome" subject "Welcome" }
      wait 5d
      send second_order_offer { template "second-order" subject "Thanks" }
    }
    flow thanks {
      trigger member_joined
      wait 4d
      send thanks_email { template "vip" subject "Thank you" }
    }
    flow nudge {
      trigger member_joined
      send nudge_email { template "winback" subject "Hi" }
    }
    flow vip_upgrade {
      trigger enters segment vip
      send vip_welcome { template "vip" subject "VIP" }
    }
    segment vip = member.order_count >= 100

    """

  /// A store with one member, flows in their own folder, and a UTC shop, so
  /// calendar days are exactly 86,400 seconds.
  struct Setup {
    let scratch: TempDirectory
    let workspace: Workspace
    let flows: String
    let shop: String

    init() async throws {
      scratch = try TempDirectory()
      workspace = Workspace(scratch, name: "plan")
      try await workspace.importSlice(try CDNOWSlice(customerIDs: [1], in: scratch))
      flows = scratch.path("Flows")
      try FileManager.default.createDirectory(atPath: flows, withIntermediateDirectories: true)
      shop = scratch.path("shop.json")
      try Data(
        #"{"name": "Shop", "from_email": "shop@example.com", "timezone": "UTC"}"#.utf8
      ).write(to: URL(fileURLWithPath: shop))
    }

    func writeFlows(_ source: String) throws {
      try Data(source.utf8).write(to: URL(fileURLWithPath: flows + "/flows.flow"))
    }

    var planArguments: [String] {
      ["plan", "--db", workspace.database, flows, "--templates", Repo.templates, "--shop", shop]
    }

    func plan(_ extra: [String] = []) async throws -> RunResult {
      try await flowc(planArguments + extra, in: scratch.url)
    }

    /// Starts `run`, waits for `line` on stderr, and stops it with SIGTERM.
    func run(until line: String) async throws -> RunResult {
      var flags = workspace.runtimeFlags(shop: shop)
      if let index = flags.firstIndex(of: "--flows") { flags[index + 1] = flows }
      let process = try FlowcProcess(
        ["run"] + flags + ["--poll", "0.1"], in: scratch.url, scratch: scratch)
      let deadline = Date().addingTimeInterval(60)
      while !process.stderrSoFar.contains(line) && process.isRunning && Date() < deadline {
        try await Task.sleep(for: .milliseconds(20))
      }
      process.send(SIGTERM)
      return try await process.wait(timeout: 30)
    }

    func version(of flow: String) throws -> String {
      let project = try Project.load(paths: [flows], templatesDirectory: Repo.templates)
      let program = try #require(project.program)
      return try #require(Project.versionedFlows(of: program)[flow]?.version)
    }

    func query(_ sql: String) throws -> [String] { try sqlite(workspace.database, sql) }
  }

  @Test("plan lists new flows, then nothing once run took them; exit 2 then 0")
  func firstDeploy() async throws {
    let setup = try await Setup()
    try setup.writeFlows(Self.before)
    let first = try await setup.plan()
    #expect(first.exitCode == 2)
    #expect(
      first.stdout == """
        + welcome (new): starts taking members on trigger member_joined
        + thanks (new): starts taking members on trigger member_joined
        + nudge (new): starts taking members on trigger member_joined
        + goodbye (new): starts taking members on trigger member_joined

        Plan: 0 resume, 0 move, 0 leave, 4 new flows.

        """)
    let run = try await setup.run(until: "processed ")
    #expect(run.exitCode == 0)
    #expect(
      run.stderr.hasPrefix(
        "flowc run: deployed: 0 resume, 0 move, 0 leave, 4 new flows (see 'flowc plan')\n"))
    let second = try await setup.plan()
    #expect(second.exitCode == 0)
    #expect(second.stdout == "No changes: every member inside a flow stays where it is.\n")
  }

  @Test("plan shows resume, move and leave; run applies exactly that; then plan exits 0")
  func changedFlows() async throws {
    let setup = try await Setup()
    try setup.writeFlows(Self.before)
    _ = try await setup.run(until: "processed ")
    let waitStarted = try #require(
      Int64(
        setup.query(
          "SELECT at FROM step_log WHERE flow = 'welcome' AND step = 'wait_1' AND outcome = 'entered'"
        ).first ?? ""))
    let fiveDaysLater = waitStarted + 5 * 86_400
    let due = ISO8601DateFormatter().string(
      from: Date(timeIntervalSince1970: Double(fiveDaysLater)))

    try setup.writeFlows(Self.after)
    let plan = try await setup.plan()
    #expect(plan.exitCode == 2)
    #expect(
      plan.stdout == """
        - goodbye (removed)
            leave  1 member at wait_1: flow removed in deploy
        ~ nudge (version \(try setup.version(of: "nudge")))
            leave  1 member at wait_1: step removed in deploy
        ~ thanks (version \(try setup.version(of: "thanks")))
            resume 1 member where they are
        ~ welcome (version \(try setup.version(of: "welcome")))
            move   1 member at wait_1 (wait 3d -> 5d): due \(due)
        + vip_upgrade (new): starts taking members on trigger enters segment vip

        Plan: 1 resume, 1 move, 2 leave, 1 new flow.

        """)
    let json = try await setup.plan(["--format", "json"])
    #expect(json.exitCode == 2)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["changes"] as? Bool == true)
    #expect(object["leave"] as? Int == 2)
    let verbose = try await setup.plan(["--verbose"])
    #expect(verbose.stdout.contains("      instance 1 (member 1): "))

    let run = try await setup.run(until: "flowc run: running")
    #expect(run.exitCode == 0)
    #expect(
      run.stderr.hasPrefix(
        "flowc run: deployed: 1 resume, 1 move, 2 leave, 1 new flow (see 'flowc plan')\n"))
    #expect(
      try setup.query(
        "SELECT flow, status, coalesce(end_reason, '-') FROM flow_instances ORDER BY id")
        == [
          "welcome|active|-", "thanks|active|-", "nudge|exited|step removed in deploy",
          "goodbye|exited|flow removed in deploy",
        ])
    #expect(
      try setup.query(
        "SELECT flow, version FROM flow_instances WHERE status = 'active' ORDER BY id")
        == [
          "welcome|\(try setup.version(of: "welcome"))",
          "thanks|\(try setup.version(of: "thanks"))",
        ])
    #expect(try setup.query("SELECT due_at FROM timers WHERE key = 'i1'") == ["\(fiveDaysLater)"])
    #expect(
      try setup.query(
        "SELECT flow, step, reason FROM step_log WHERE outcome = 'exited' ORDER BY id")
        == ["goodbye|wait_1|flow removed in deploy", "nudge|wait_1|step removed in deploy"])
    #expect(
      try setup.query("SELECT resumed, moved, exited, new_flows FROM deploys ORDER BY id")
        == ["0|0|0|4", "1|1|2|1"])
    let after = try await setup.plan()
    #expect(after.exitCode == 0)
  }

  @Test("usage and flow errors exit 1, as documented in --help")
  func errors() async throws {
    let setup = try await Setup()
    let noDatabase = try await flowc(["plan", setup.flows], in: setup.scratch.url)
    #expect(noDatabase.exitCode == 1)
    #expect(noDatabase.stderr.hasPrefix("flowc plan: missing '--db'\nusage: flowc plan --db DB"))
    let badFormat = try await setup.plan(["--format", "yaml"])
    #expect(badFormat.exitCode == 1)
    try setup.writeFlows("flow broken {\n  send a { template \"t\" subject \"s\" }\n}\n")
    let broken = try await setup.plan()
    #expect(broken.exitCode == 1)
    #expect(broken.stderr.hasSuffix("the flows have errors; nothing was planned\n"))
    let help = try await flowc(["plan", "--help"])
    #expect(help.exitCode == 0)
    #expect(help.stdout.contains("0 no changes,\n1 error (flow errors, usage, I/O), 2 changes."))
  }
}
