import Foundation
import Synchronization

/// A global, not a static member: a C signal handler cannot capture context.
private let receivedSignal = Atomic<Int32>(0)

/// SIGINT and SIGTERM as a flag that long-running commands check between
/// batches, so they stop with everything committed.
enum StopSignal {
  /// Installs the handlers. Call before slow start-up work, so a signal that
  /// arrives meanwhile is not lost; the signals are also unblocked, since a
  /// parent may have started us with them blocked.
  static func install() {
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    for number in [SIGINT, SIGTERM] {
      sigaddset(&stopSignals, number)
      signal(number) { received in receivedSignal.store(received, ordering: .relaxed) }
    }
    pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
  }

  /// The signal received, or nil.
  static var received: Int32? {
    let number = receivedSignal.load(ordering: .relaxed)
    return number == 0 ? nil : number
  }
}
