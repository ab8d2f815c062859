import Dispatch
import Mail
import MemberStore
import Synchronization

/// Delivers committed outbox messages to a folder, one `.eml` file each.
///
/// A file is written (atomically) before its row is marked delivered, so a
/// crash in between rewrites the same file on the next run: never a lost
/// message, never a second copy. During a replay the files of one batch are
/// written on a background queue while the interpreter works on the next
/// batch; the batch is marked delivered only once its files are all written.
public final class OutboxDelivery {
  let store: FlowStore
  let folder: OutboxFolder
  private let writer = DispatchQueue(label: "flowc.outbox-delivery")
  private var inFlight: Batch?

  /// Messages being written in the background.
  private final class Batch: Sendable {
    let ids: ClosedRange<Int64>
    let done = DispatchGroup()
    let failure = Mutex<(any Error)?>(nil)

    init(ids: ClosedRange<Int64>) { self.ids = ids }
  }

  public init(store: FlowStore, folder: OutboxFolder) {
    self.store = store
    self.folder = folder
  }

  deinit { inFlight?.done.wait() }

  /// Delivers everything pending before returning; returns how many messages were written.
  @discardableResult
  public func deliverPending(at now: Int64) throws -> Int {
    try finishBackground(at: now)
    var delivered = 0
    while true {
      let batch = try store.pendingOutbox(limit: 500)
      guard let first = batch.first, let last = batch.last else { return delivered }
      for message in batch { try write(message) }
      try store.markDelivered(first.id...last.id, at: now)
      delivered += batch.count
    }
  }

  /// Finishes the batch in flight, then starts writing what is pending now in
  /// the background.
  public func startDelivering(at now: Int64) throws {
    try finishBackground(at: now)
    let messages = try store.pendingOutbox(limit: 10_000)
    guard let first = messages.first, let last = messages.last else { return }
    let batch = Batch(ids: first.id...last.id)
    let folder = self.folder
    batch.done.enter()
    writer.async {
      do {
        for message in messages {
          try folder.write(fileName: Self.fileName(message), contents: message.message)
        }
      } catch {
        batch.failure.withLock { $0 = error }
      }
      batch.done.leave()
    }
    inFlight = batch
  }

  /// Waits for the batch in flight and marks it delivered.
  public func finishBackground(at now: Int64) throws {
    guard let batch = inFlight else { return }
    inFlight = nil
    batch.done.wait()
    if let error = batch.failure.withLock({ $0 }) { throw error }
    try store.markDelivered(batch.ids, at: now)
  }

  private func write(_ message: OutboxMessage) throws {
    try folder.write(fileName: Self.fileName(message), contents: message.message)
  }

  private static func fileName(_ message: OutboxMessage) -> String {
    "\(message.idempotencyKey).eml"
  }
}
