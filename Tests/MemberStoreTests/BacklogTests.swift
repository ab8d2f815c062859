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
    #expect(try store.backlog(now: 200) == Backlog(dueTimers: 2, outboxPending: 2))

    let first = try #require(try store.pendingOutbox(limit: 1).first)
    try store.markDelivered(first.id...first.id, at: 210)
    #expect(try store.backlog(now: 99) == Backlog(dueTimers: 0, outboxPending: 1))
  }
}
