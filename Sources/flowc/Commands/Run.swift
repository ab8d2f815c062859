import FlowHost
import Foundation

/// `flowc run`: the long-running runner on the system clock.
enum Run: Command {
  static let name = "run"
  static let summary = "Run the flows continuously on the system clock."
  static let synopsis =
    "flowc run --db DB (--outbox DIR | --transport smtp) [--flows DIR] [--templates DIR] "
    + "[--shop FILE] [--poll SECONDS] [--listen ADDRESS:PORT [--http-threads N] "
    + "[--http-timeout SECONDS] [--http-max-connections N] [--http-max-connections-per-ip N]]"
  static let discussion = """
    Picks up new events (from imports or other writers) and due timers as they
    come, and delivers email to the outbox folder or, with --transport smtp,
    to the SMTP server in the shop settings (see Docs/delivery.md). SIGINT or
    SIGTERM stops it cleanly after the batch in progress commits. Before it
    starts, members inside flows that changed are moved as 'flowc plan' shows,
    in one transaction, and the deploy is recorded in the store. With --listen
    it also serves HTTP (GET /healthz, GET /metrics; see Docs/http.md) and, on
    a stop signal, finishes the requests in flight before exiting.
    """
  static let options: [OptionSpec] =
    RuntimeOptions.specs + [
      .value("poll", "SECONDS", "How often to look for new events (default: 1)."),
      .value("listen", "ADDRESS:PORT", "Serve HTTP there, e.g. 127.0.0.1:8080 (port 0: any free)."),
      .value("http-threads", "N", "HTTP worker threads, 1 to 256 (default: 4)."),
      .value("http-timeout", "SECONDS", "Idle HTTP connection timeout, 1 to 3600 (default: 30)."),
      .value("http-max-connections", "N", "Open HTTP connections at most (default: 1000)."),
      .value(
        "http-max-connections-per-ip", "N",
        "Open HTTP connections from one client address at most (default: 100)."),
    ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    try arguments.expectNoPositionals()
    let poll =
      try arguments.value("poll").map { raw in
        guard let seconds = Double(raw), seconds > 0, seconds <= 3600 else {
          throw UsageError(message: "--poll takes seconds between 0 and 3600, not '\(raw)'")
        }
        return seconds
      } ?? 1
    let endpoint = try arguments.value("listen").map(RunListener.endpoint)
    let shop = try RuntimeOptions.shop(arguments, terminal)
    let intakeSettings = try endpoint.map { _ in
      try RunListener.intakeSettings(shop: shop, shopFile: RuntimeOptions.shopPath(arguments))
    }
    let limits = try RunListener.limits(
      arguments, listening: endpoint != nil,
      maxBodyBytes: intakeSettings?.maxBodyBytes)
    StopSignal.install()
    // Bound before the store is touched, so a taken port changes nothing.
    let metrics = RunMetrics()
    let intake = LateHandler()
    let server = try endpoint.map {
      try RunListener.start(
        $0, limits: limits, metrics: metrics, intake: intake, terminal: terminal)
    }
    defer { server?.stop() }
    guard
      let service = try RuntimeOptions.openService(arguments, terminal, shop: shop, deploy: true)
    else {
      return 1
    }
    if let intakeSettings {
      intake.install(
        try RunListener.intake(
          settings: intakeSettings, service: service, shop: shop,
          database: try arguments.required("db"),
          templates: arguments.value("templates") ?? "Templates", terminal: terminal))
    }
    if let plan = service.deployPlan, plan.hasChanges {
      terminal.err("flowc run: deployed: \(plan.counts) (see 'flowc plan')\n")
    }
    terminal.err("flowc run: running (SIGINT or SIGTERM to stop)\n")
    try service.run(
      pollInterval: poll, clock: systemNow,
      onDrain: { report in
        metrics.countDrain(events: report.events, timers: report.timers)
        metrics.record(service.deliveries)
        terminal.err("processed \(report.events) events and \(report.timers) timers\n")
      }, onBusy: { terminal.err("the store is busy with another writer; retrying\n") },
      afterPoll: {
        metrics.record(service.deliveries)
        // Only worth the queries when someone can read them.
        if server != nil, let backlog = try? service.store.backlog(now: systemNow()) {
          metrics.record(backlog)
        }
      }, shouldStop: { StopSignal.received != nil })
    // Requests in flight are answered before the process exits.
    server?.stop()
    terminal.err("flowc run: stopped\n")
    return 0
  }
}
