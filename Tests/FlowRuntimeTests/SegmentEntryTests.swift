import Testing

@testable import FlowRuntime

private let start = utc(2026, 3, 2, 9)

@Suite struct SegmentEntryTests {
  /// A segment a member leaves by time alone and re-enters with a new order:
  /// each entry starts the flow once; orders while inside start nothing.
  @Test func eachEntryTriggersExactlyOnce() throws {
    let h = try Harness(
      """
      segment recent_buyer = member.last_order_at within 30d
      flow thank_recent {
        trigger enters segment recent_buyer
        reentry after 1d
        send thanks { template "t" subject "Thanks" }
      }
      """)
    let ann = try h.join("ann@example.com", at: start)
    try h.order(ann, at: start + day)  // enters
    try h.order(ann, at: start + 2 * day)  // inside: nothing
    try h.order(ann, at: start + 10 * day)  // inside: nothing
    // Leaves 30 days after the last order (start + 40d), enters again with this one.
    try h.order(ann, at: start + 50 * day)
    try h.order(ann, at: start + 51 * day)  // inside: nothing
    try h.drain(until: start + 60 * day)
    #expect(try h.instances(member: ann).map(\.enteredAt) == [start + day, start + 50 * day])
    #expect(try h.segmentEnteredAt(member: ann, segment: "recent_buyer") == start + 50 * day)
    // Out again after 30 quiet days.
    try h.drain(until: start + 81 * day)
    #expect(try h.segmentEnteredAt(member: ann, segment: "recent_buyer") == nil)
    #expect(try h.instances(member: ann).count == 2)
  }
}
