import Dispatch
import Mail
import MailDelivery
import MemberStore
import Synchronization

/// Delivers committed outbox messages through a transport (an outbox folder
/// or SMTP), DKIM-signing them on the way when a signer is set.
///
/// A row is marked delivered only after the transport took its message, so a
/// crash in between sends it again on the next run: never a lost message (a
/// folder rewrites the same file; an SMTP server may see a second copy). A
/// temporary failure leaves the row pending for a later pass; a permanent one
/// marks it failed, and a refused address is also suppressed. During a replay
/// one batch is delivered on a background queue while the interpreter works
/// on the next; its rows are updated only once the whole batch is done.
public final class OutboxDelivery {
  let store: FlowStore
  let transport: any MailTransport
  let signer: DKIMSigner?
  /// The envelope sender (MAIL FROM).
  let sender: String
  private let worker = DispatchQueue(label: "flowc.outbox-delivery")
  private var inFlight: Batch?
  /// The highest id tried once: `startDelivering` and `deliverNew` take only
  /// newer rows, so a deferred message waits for `deliverPending` instead of
  /// being retried after every commit or poll.
  private var tried = Int64.min
  /// What became of the messages handed to the transport since this object was made.
  public private(set) var totals = DeliveryCounts()

  /// Messages being delivered in the background.
  private final class Batch: Sendable {
    let messages: [OutboxMessage]
    let done = DispatchGroup()
    let outcomes = Mutex<Result<[DeliveryOutcome], any Error>?>(nil)

    init(messages: [OutboxMessage]) { self.messages = messages }
  }

  public init(
    store: FlowStore, transport: any MailTransport, signer: DKIMSigner? = nil, sender: String
  ) {
    self.store = store
    self.transport = transport
    self.signer = signer
    self.sender = sender
  }

  deinit { inFlight?.done.wait() }

  /// Tries everything pending before returning, deferred messages included;
  /// returns how many messages were delivered.
  @discardableResult
  public func deliverPending(at now: Int64) throws -> Int {
    try finishBackground(at: now)
    return try deliver(after: Int64.min, at: now)
  }

  /// Delivers what other writers (the intake's confirmation emails) queued
  /// since the last pass; one index lookup when there is nothing new.
  @discardableResult
  public func deliverNew(at now: Int64) throws -> Int {
    try finishBackground(at: now)
    return try deliver(after: tried, at: now)
  }

  private func deliver(after start: Int64, at now: Int64) throws -> Int {
    var delivered = 0
    var after = start
    while true {
      let batch = try store.pendingOutbox(after: after, limit: 500)
      guard let last = batch.last else { return delivered }
      let outcomes = try Self.deliver(batch, transport, signer, sender)
      delivered += try record(batch, outcomes, at: now)
      after = last.id
      tried = max(tried, last.id)
    }
  }

  /// Finishes the batch in flight, then starts delivering what was committed
  /// since in the background.
  public func startDelivering(at now: Int64) throws {
    try finishBackground(at: now)
    let messages = try store.pendingOutbox(after: tried, limit: 10_000)
    guard let last = messages.last else { return }
    tried = last.id
    let batch = Batch(messages: messages)
    let (transport, signer, sender) = (self.transport, self.signer, self.sender)
    batch.done.enter()
    worker.async {
      let result = Result { try Self.deliver(messages, transport, signer, sender) }
      batch.outcomes.withLock { $0 = result }
      batch.done.leave()
    }
    inFlight = batch
  }

  /// Waits for the batch in flight and records what became of its messages.
  public func finishBackground(at now: Int64) throws {
    guard let batch = inFlight else { return }
    inFlight = nil
    batch.done.wait()
    if let result = batch.outcomes.withLock({ $0 }) {
      try record(batch.messages, try result.get(), at: now)
    }
  }

  private static func deliver(
    _ messages: [OutboxMessage], _ transport: any MailTransport, _ signer: DKIMSigner?,
    _ sender: String
  ) throws -> [DeliveryOutcome] {
    try transport.deliver(
      messages.map { message in
        Envelope(
          sender: sender, recipient: message.recipient, name: message.idempotencyKey,
          message: message.message)
      }, signer: signer)
  }

  /// Marks delivered runs of rows delivered and failed rows failed (suppressing
  /// refused addresses), all in one transaction; deferred rows stay pending.
  /// Counts the outcomes in `totals` once committed; returns how many were delivered.
  @discardableResult
  private func record(
    _ messages: [OutboxMessage], _ outcomes: [DeliveryOutcome], at now: Int64
  ) throws -> Int {
    var counts = DeliveryCounts()
    try store.transaction {
      var run: ClosedRange<Int64>?
      func endRun() throws {
        if let ids = run { try store.markDelivered(ids, at: now) }
        run = nil
      }
      for (message, outcome) in zip(messages, outcomes) {
        switch outcome {
        case .delivered:
          run = (run?.lowerBound ?? message.id)...message.id
          counts.delivered += 1
        case .deferred:
          try endRun()
        case .bounced(let reason):
          try endRun()
          try store.suppress(email: message.recipient, reason: "bounced: \(reason)", at: now)
          try store.markFailed(message.id, reason: reason, at: now)
          counts.failed += 1
        case .failed(let reason):
          try endRun()
          try store.markFailed(message.id, reason: reason, at: now)
          counts.failed += 1
        }
      }
      try endRun()
    }
    totals.delivered += counts.delivered
    totals.failed += counts.failed
    return counts.delivered
  }
}

/// Messages the transport took, and those refused for good (bounced or
/// failed); a deferred message is neither until a later pass settles it.
public struct DeliveryCounts: Sendable, Hashable {
  public var delivered = 0
  public var failed = 0

  public init(delivered: Int = 0, failed: Int = 0) {
    self.delivered = delivered
    self.failed = failed
  }
}
