import Dispatch
import Foundation
import Synchronization

/// Delivers over SMTP (libcurl) with several connections in parallel, each
/// kept open for many messages, retrying temporary failures with back-off.
public final class SMTPTransport: MailTransport {
  public let settings: SMTPSettings
  private let connections: [SMTPConnection]
  private let pacer: DomainPacer?
  /// Held for a whole `deliver`, so each connection has one user at a time.
  private let inUse = Mutex(())

  /// Checks the settings and prepares the connections (they connect on first use).
  public init(_ settings: SMTPSettings) throws {
    let scheme = settings.url.prefix { $0 != ":" }.lowercased()
    guard scheme == "smtp" || scheme == "smtps", settings.url.contains("://") else {
      throw DeliveryError("the SMTP URL '\(settings.url)' must start with smtp:// or smtps://")
    }
    guard (1...64).contains(settings.connections) else {
      throw DeliveryError("SMTP connections must be between 1 and 64, not \(settings.connections)")
    }
    guard settings.attempts >= 1, settings.retryDelay >= 0, settings.timeout >= 1 else {
      throw DeliveryError(
        "SMTP attempts and timeout must be at least 1, the retry delay not negative")
    }
    if let rate = settings.perDomainPerSecond, !(rate > 0) {
      throw DeliveryError("the per-domain rate must be a positive number of messages per second")
    }
    self.settings = settings
    connections = try (0..<settings.connections).map { _ in try SMTPConnection(settings) }
    pacer = settings.perDomainPerSecond.map(DomainPacer.init(perSecond:))
  }

  public func deliver(_ envelopes: [Envelope], signer: DKIMSigner? = nil) -> [DeliveryOutcome] {
    inUse.withLock { _ in
      let work = Work(count: envelopes.count)
      let done = DispatchGroup()
      for connection in connections.prefix(envelopes.count) {
        done.enter()
        Thread {
          while let index = work.claim() {
            // Signing here keeps every core busy while other workers wait on the network.
            var envelope = envelopes[index]
            if let signer { envelope.message = signer.sign(envelope.message) }
            work.record(self.send(envelope, on: connection), at: index)
          }
          done.leave()
        }.start()
      }
      done.wait()
      return work.outcomes.withLock { $0 }
    }
  }

  /// Sends one message, retrying temporary failures with doubling delays.
  private func send(_ envelope: Envelope, on connection: SMTPConnection) -> DeliveryOutcome {
    let domain = envelope.recipient.split(separator: "@").last.map { $0.lowercased() } ?? ""
    var delay = settings.retryDelay
    for attempt in 1... {
      pacer?.waitForTurn(domain: domain)
      let outcome = connection.send(envelope)
      guard case .deferred = outcome, attempt < settings.attempts else { return outcome }
      Thread.sleep(forTimeInterval: delay)
      delay *= 2
    }
    fatalError("unreachable: the loop returns")
  }

  /// The shared queue of message indexes and the outcomes filled in by the workers.
  private final class Work: Sendable {
    let count: Int
    let next = Mutex(0)
    let outcomes: Mutex<[DeliveryOutcome]>

    init(count: Int) {
      self.count = count
      outcomes = Mutex(Array(repeating: .deferred(reason: "not attempted"), count: count))
    }

    func claim() -> Int? {
      next.withLock { next in
        guard next < count else { return nil }
        defer { next += 1 }
        return next
      }
    }

    func record(_ outcome: DeliveryOutcome, at index: Int) {
      outcomes.withLock { $0[index] = outcome }
    }
  }
}
