import Mail
import MemberStore

/// Delivers committed outbox messages to a folder, one `.eml` file each.
///
/// A file is written (atomically) before its row is marked delivered, so a
/// crash in between rewrites the same file on the next run: never a lost
/// message, never a second copy.
public struct OutboxDelivery {
  let store: FlowStore
  let folder: OutboxFolder

  public init(store: FlowStore, folder: OutboxFolder) {
    self.store = store
    self.folder = folder
  }

  /// Delivers everything pending; returns how many messages were written.
  @discardableResult
  public func deliverPending(at now: Int64) throws -> Int {
    var delivered = 0
    while true {
      let batch = try store.pendingOutbox(limit: 500)
      if batch.isEmpty { return delivered }
      for message in batch {
        try folder.write(fileName: "\(message.idempotencyKey).eml", contents: message.message)
      }
      try store.transaction {
        for message in batch { try store.markDelivered(outboxID: message.id, at: now) }
      }
      delivered += batch.count
    }
  }
}
