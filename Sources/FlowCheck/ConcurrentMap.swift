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
