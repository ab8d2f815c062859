import Foundation
import MemberStore

/// What `flowc run` counts while it serves HTTP: written by the runner and
/// the server's worker threads, read by `/metrics`.
public final class RunMetrics: @unchecked Sendable {
  // Guards every field below.
  private let lock = NSLock()
  private var requestsByStatus: [Int: Int] = [:]
  private var intakeAccepted: [String: Int] = [:]
  private var eventsProcessed = 0
  private var timersFired = 0
  private var backlog = Backlog(dueTimers: 0, outboxPending: 0)
  private var deliveries = DeliveryCounts()
  private var refusedBeforeHandler: @Sendable () -> [Int: Int] = { [:] }

  public init() {}

  /// Counts an answer by status and, when the intake took what was sent
  /// (a 2xx to a request that records something), by endpoint.
  public func countRequest(method: String, path: String, status: Int) {
    let accepted = (200..<300).contains(status) ? Self.intakeEndpoint(method, path) : nil
    lock.withLock {
      requestsByStatus[status, default: 0] += 1
      if let accepted { intakeAccepted[accepted, default: 0] += 1 }
    }
  }

  /// A fixed label per recording endpoint (so the series stay few), nil for the rest.
  static func intakeEndpoint(_ method: String, _ path: String) -> String? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    switch (method, parts.first, parts.dropFirst().first) {
    case ("POST", "v1", "events"): return "events"
    case ("POST", "v1", "identify"): return "identify"
    case ("POST", "v1", "subscribe"): return "subscribe"
    case ("POST", "v1", "webhooks"):
      return parts.count == 3 && ["shopify", "woocommerce"].contains(parts[2])
        ? "webhook_\(parts[2])" : nil
    case ("GET", "v1", "confirm"): return "confirm"
    case ("GET", "o", _): return "open"
    case ("GET", "c", _): return "click"
    case ("POST", "u", _): return "unsubscribe"
    default: return nil
    }
  }

  /// Where to read the refusals the server answers itself, by status
  /// (`HTTPServer.refusedBeforeHandler`).
  public func countRefusals(from read: @escaping @Sendable () -> [Int: Int]) {
    lock.withLock { refusedBeforeHandler = read }
  }

  public func countDrain(events: Int, timers: Int) {
    lock.withLock {
      eventsProcessed += events
      timersFired += timers
    }
  }

  public func record(_ backlog: Backlog) {
    lock.withLock { self.backlog = backlog }
  }

  /// The runner's delivery totals since it started (`FlowService.deliveries`).
  public func record(_ deliveries: DeliveryCounts) {
    lock.withLock { self.deliveries = deliveries }
  }

  /// Prometheus text exposition format 0.0.4.
  public func prometheusText() -> String {
    lock.withLock {
      var byStatus = requestsByStatus
      for (status, count) in refusedBeforeHandler() where count > 0 {
        byStatus[status, default: 0] += count
      }
      let requests = byStatus.sorted { $0.key < $1.key }.map { status, count in
        ("{code=\"\(status)\"}", count)
      }
      return [
        family(
          "flowc_http_requests_total", "counter", "HTTP requests answered, by status code.",
          requests),
        family(
          "flowc_intake_accepted_total", "counter",
          "Requests the intake accepted (2xx), by endpoint; opens count pixel loads.",
          intakeAccepted.sorted { $0.key < $1.key }.map { ("{endpoint=\"\($0.key)\"}", $0.value) }),
        family(
          "flowc_events_processed_total", "counter", "Events the runner has processed.",
          [("", eventsProcessed)]),
        family(
          "flowc_timers_fired_total", "counter", "Timers the runner has fired.",
          [("", timersFired)]),
        family(
          "flowc_emails_sent_total", "counter",
          "Emails the transport took since the runner started.",
          [("", deliveries.delivered)]),
        family(
          "flowc_emails_failed_total", "counter",
          "Emails refused for good (bounced or failed) since the runner started.",
          [("", deliveries.failed)]),
        family(
          "flowc_due_timers", "gauge", "Timers due and not yet fired, at the last poll.",
          [("", backlog.dueTimers)]),
        family(
          "flowc_outbox_pending", "gauge", "Emails queued and not yet delivered, at the last poll.",
          [("", backlog.outboxPending)]),
        family(
          "flowc_queue_lag_seconds", "gauge",
          "How long the oldest pending email has waited and the earliest due timer is late, "
            + "at the last poll.",
          [
            ("{queue=\"outbox\"}", Int(backlog.outboxLag)),
            ("{queue=\"timers\"}", Int(backlog.timerLag)),
          ]),
      ].joined()
    }
  }

  private func family(
    _ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]
  ) -> String {
    var text = "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
    return text
  }
}
