import FlowIR
import FlowRuntime
import Foundation
import LinkTokens
import Mail
import MailDelivery
import MemberStore

/// The runtime put together: a SQLite store, a compiled project, the engine
/// and scheduler, and delivery (an outbox folder or SMTP). `flowc replay`, `flowc run`
/// and the tests all drive this one object.
public final class FlowService {
  public let store: SQLiteFlowStore
  public let program: Program
  /// What loading these flows did to members already inside flows, when the
  /// service was opened with `deploy`; nil otherwise.
  public let deployPlan: DeployPlan?
  /// The project's email templates, for mail sent outside flows (the intake's confirmation).
  public let templates: TemplateLibrary
  let scheduler: Scheduler
  let delivery: OutboxDelivery

  /// Opens the store and prepares the engine, delivering to an outbox folder.
  public convenience init(
    databasePath: String, project: Project, shop: ShopSettings, outboxDirectory: String,
    now: Int64, deploy: Bool = false
  ) throws {
    try self.init(
      databasePath: databasePath, project: project, shop: shop,
      transport: try OutboxFolder(path: outboxDirectory), now: now, deploy: deploy)
  }

  /// Opens the store and prepares the engine. The project must have compiled.
  /// Messages go through `transport`, DKIM-signed when `dkim` is set, with
  /// `mailFrom` (default: the shop's from address) as the envelope sender.
  /// With `deploy` (`flowc run`), members inside changed flows are moved to
  /// the new flows at `now`, before any work item runs. Without it (`replay`),
  /// they are left to the engine's own rule when their timers fire.
  public init(
    databasePath: String, project: Project, shop: ShopSettings, transport: any MailTransport,
    dkim: DKIMSigner? = nil, mailFrom: String? = nil, now: Int64, deploy: Bool = false
  ) throws {
    guard let program = project.program, let templates = project.templates else {
      throw HostError("the flows have errors; run 'flowc check' to see them")
    }
    self.program = program
    self.templates = templates
    let store = try SQLiteFlowStore(path: databasePath)
    self.store = store
    let signer = LinkSigner(key: try Self.signingKey(store))
    let (ir, version) = try project.versionedIR()
    let flowVersions = try Project.versionedFlows(of: program)
    // The plan is computed and applied in one transaction, before the new
    // versions are saved (which makes their flows known).
    deployPlan = try store.transaction {
      try store.saveProgram(version: version, ir: ir, at: now)
      let plan =
        deploy
        ? try DeployPlan(
          program: program, versions: flowVersions, store: store, shopZone: shop.timezone) : nil
      try plan?.apply(to: store, at: now)
      for (flow, versioned) in flowVersions {
        try store.saveFlowVersion(
          flow: flow, version: versioned.version, ir: versioned.ir, at: now)
      }
      return plan
    }
    let engine = try FlowEngine(
      program: program, versions: flowVersions.mapValues(\.version), store: store,
      templates: templates, shop: shop, signToken: { signer.token(for: $0) })
    scheduler = Scheduler(engine: engine)
    delivery = OutboxDelivery(
      store: store, transport: transport, signer: dkim, sender: mailFrom ?? shop.fromEmail)
  }

  /// Replays stored events up to `until` (default: the last stored event) on
  /// a virtual clock, delivering after every committed batch.
  public func replay(
    until: Int64?, deliveredAt: Int64, progress: (DrainReport) -> Void = { _ in },
    shouldStop: () -> Bool = { false }
  ) throws -> DrainReport {
    let end = try until ?? store.latestEventTime() ?? Int64.min
    let report = try scheduler.drain(
      until: end, mode: .virtual,
      afterCommit: { report in
        try delivery.startDelivering(at: deliveredAt)
        progress(report)
      }, shouldStop: shouldStop)
    try delivery.deliverPending(at: deliveredAt)
    return report
  }

  /// Runs on the system clock until `shouldStop`: new events and due timers
  /// are picked up as they come, sleeping in short steps in between.
  /// `afterPoll` runs after every look for work, on this thread.
  public func run(
    pollInterval: Double, clock: @escaping @Sendable () -> Int64,
    onDrain: (DrainReport) -> Void = { _ in }, onBusy: () -> Void = {},
    afterPoll: () -> Void = {}, shouldStop: () -> Bool
  ) throws {
    try delivery.deliverPending(at: clock())
    var lastFullPass = clock()
    while !shouldStop() {
      let report: DrainReport
      do {
        // Short transactions: intake requests and other writers wait for the
        // store's lock at most one small batch.
        report = try scheduler.drain(
          until: clock(), mode: .system(clock), batchSize: 200,
          afterCommit: { _ in try delivery.deliverPending(at: clock()) }, shouldStop: shouldStop)
        // Mail other writers queued (the intake's confirmations) goes out
        // within a poll even when no events come; messages a server deferred
        // are tried again after commits or, when idle, once a minute.
        if clock() - lastFullPass >= 60 {
          try delivery.deliverPending(at: clock())
          lastFullPass = clock()
        } else {
          try delivery.deliverNew(at: clock())
        }
      } catch let error as StoreError where error.isBusy {
        // Another writer (a long import) held the store past the busy
        // timeout; nothing was committed, so simply try again.
        onBusy()
        Thread.sleep(forTimeInterval: 0.5)
        continue
      }
      if report.events + report.timers > 0 { onDrain(report) }
      afterPoll()
      let nextDue = try scheduler.nextTimerDue().map { Double($0 - clock()) } ?? pollInterval
      var slept = 0.0
      let nap = max(0.0, min(pollInterval, nextDue))
      while slept < nap && !shouldStop() {
        Thread.sleep(forTimeInterval: min(0.05, nap - slept))
        slept += 0.05
      }
    }
  }

  /// What delivery has done since the service was opened; read it on the
  /// thread that runs the service (in `run`'s callbacks).
  public var deliveries: DeliveryCounts { delivery.totals }

  /// Where an earlier replay left the virtual clock, if one ran.
  public func replayClock() throws -> Int64? {
    try store.runtimeValue(Scheduler.virtualClockKey)
  }

  /// Sends not made, grouped by flow, step and reason, most frequent first.
  public func skippedSends() throws -> [SkippedSends] {
    try store.skippedSends()
  }

  /// Counts for every step of the program, from the step log.
  public func summary() throws -> StepSummary {
    StepSummary(program: program, counts: try store.stepCounts())
  }

  /// The key link tokens are signed with: `FLOWC_SIGNING_KEY`, else one
  /// generated once and kept in the store.
  public static func signingKey(_ store: SQLiteFlowStore) throws -> [UInt8] {
    if let key = ProcessInfo.processInfo.environment["FLOWC_SIGNING_KEY"], !key.isEmpty {
      return Array(key.utf8)
    }
    if let stored = try store.setting("signing_key") { return Array(stored.utf8) }
    var generator = SystemRandomNumberGenerator()
    let key = (0..<32).map { _ in
      String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
    }
    .joined()
    try store.transaction { try store.setSetting("signing_key", key) }
    return Array(key.utf8)
  }
}
