import Dispatch
import Synchronization

/// `items.map(transform)` spread over the machine's cores, in order. For
/// independent, CPU-bound work: parsing files, checking flows.
func concurrentMap<T: Sendable, R: Sendable>(
  _ items: [T], _ transform: @Sendable (T) -> R
) -> [R] {
  guard items.count > 1 else { return items.map(transform) }
  let slots = Mutex<[R?]>(Array(repeating: nil, count: items.count))
  // A few more chunks than cores, so one slow chunk does not idle the rest.
  let chunks = min(items.count, 16)
  DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
    let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
    let done = range.map { transform(items[$0]) }
    slots.withLock { slots in
      for (offset, result) in done.enumerated() { slots[range.lowerBound + offset] = result }
    }
  }
  return slots.withLock { $0.compactMap { $0 } }
}

/// Frees `value` on another thread. Tearing down the syntax trees of a
/// million-line program takes a good share of a check; nothing waits for it.
func releaseInBackground<T: Sendable>(_ value: consuming T) {
  let box = Discarded(value)
  DispatchQueue.global(qos: .utility).async { box.empty() }
}

/// Owns a value until `empty()`, so whichever thread calls it does the freeing.
private final class Discarded<T: Sendable>: @unchecked Sendable {
  // Touched only by `empty()`, once, after the creating thread let go.
  private var value: T?

  init(_ value: consuming T) { self.value = value }

  func empty() { value = nil }
}
