import MemberStore
import Testing

@Suite struct BacklogTests {
  @Test func countsDueTimersAndUndeliveredEmails() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    try store.schedule(.resume, memberID: 1, instanceID: 10, key: "a", dueAt: 100)
    try store.schedule(.resume, memberID: 2, instanceID: 11, key: "b", dueAt: 200)
    try store.schedule(.segments, memberID: 3, instanceID: nil, key: "c", dueAt: 300)
    for (number, key) in ["k1", "k2"].enumerated() {
      _ = try store.enqueue(
        idempotencyKey: key, instanceID: 10, memberID: 1, flow: "welcome", step: "hello",
        recipient: "ann@example.com", createdAt: Int64(number), message: Array("mail".utf8))
    }
    // The oldest email was queued at 0; the earliest timer was due at 100.
    #expect(
      try store.backlog(now: 200)
        == Backlog(dueTimers: 2, outboxPending: 2, outboxLag: 200, timerLag: 100))

    let first = try #require(try store.pendingOutbox(limit: 1).first)
    try store.markDelivered(first.id...first.id, at: 210)
    // Now the oldest waiting email is the one queued at 1; no timer is due yet.
    #expect(
      try store.backlog(now: 99)
        == Backlog(dueTimers: 0, outboxPending: 1, outboxLag: 98, timerLag: 0))
  }

  @Test func nothingWaitingHasNoLag() throws {
    let store = try SQLiteFlowStore(path: ":memory:")
    #expect(
      try store.backlog(now: 500)
        == Backlog(dueTimers: 0, outboxPending: 0, outboxLag: 0, timerLag: 0))
  }
}
