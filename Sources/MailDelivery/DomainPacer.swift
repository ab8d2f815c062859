import Dispatch
import Foundation
import Synchronization

/// Spaces messages to one recipient domain at least `1 / perSecond` apart,
/// across all workers, so a large send does not trip a receiver's rate limit.
final class DomainPacer: Sendable {
  private let intervalNanoseconds: UInt64
  /// The earliest uptime (ns) at which each domain may get its next message.
  private let nextSlot = Mutex<[String: UInt64]>([:])

  init(perSecond: Double) {
    intervalNanoseconds = UInt64(1e9 / perSecond)
  }

  /// Blocks until this worker may send one message to `domain`.
  func waitForTurn(domain: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    let slot = nextSlot.withLock { slots in
      if slots.count > 10_000 { slots = slots.filter { $0.value > now } }
      let slot = max(now, slots[domain] ?? 0)
      slots[domain] = slot + intervalNanoseconds
      return slot
    }
    if slot > now { Thread.sleep(forTimeInterval: Double(slot - now) / 1e9) }
  }
}
