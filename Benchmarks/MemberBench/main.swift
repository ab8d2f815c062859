import FlowHost
import FlowRuntime
import Foundation
import MemberStore

// Benchmarks/members-scale, part (b): re-evaluating one member after an order.
// Usage: member-bench DB FLOWS_DIR SHOP_JSON N NOW
// For N members picked by a fixed generator, appends an order_placed event
// and runs FlowEngine.process on it in its own transaction (aggregates,
// segments, tags, triggers, commit). Prints the mean and p99 per member.

let arguments = CommandLine.arguments
guard arguments.count == 6, let count = Int(arguments[4]), let now = Int64(arguments[5]) else {
  FileHandle.standardError.write(Data("usage: member-bench DB FLOWS_DIR SHOP_JSON N NOW\n".utf8))
  exit(2)
}
let project = try Project.load(paths: [arguments[2]], templatesDirectory: arguments[2])
guard let program = project.program else {
  FileHandle.standardError.write(Data("the flows have errors\n".utf8))
  exit(1)
}
let shop = try ShopConfig.load(path: arguments[3])
let store = try SQLiteFlowStore(path: arguments[1])
let engine = try FlowEngine(
  program: program, versions: [:], store: store, templates: project.templates ?? .init(files: [:]),
  shop: shop, signToken: { $0 })
let members = try store.countMembers(where: "1")

/// A fixed linear congruential sequence: the same members on every run.
struct MemberPicker {
  var state: UInt64 = 0x2545_F491_4F6C_DD1D
  let members: Int

  mutating func next() -> Int64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int64((state >> 33) % UInt64(members)) + 1
  }
}
var picker = MemberPicker(members: members)

func seconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

// The daily RFM pass over the whole base, first: segments may use the layers.
let rfmStart = ContinuousClock.now
let rescored = try store.refreshRFM().count
let rfmSeconds = seconds(since: rfmStart)

var perMember: [Double] = []
for i in 0..<count {
  let member = picker.next()
  let payload =
    "{\"order_id\":\"bench-\(i)\",\"total\":{\"amount\":\"120.00\",\"currency\":\"USD\"},\"items\":[]}"
  let clock = ContinuousClock.now
  try store.transaction {
    _ = try store.appendEvent(
      memberID: member, name: "order_placed", occurredAt: now, payload: payload, externalID: nil)
    for event in try store.pendingEvents(notAfter: now, limit: 1) {
      try engine.process(event, now: now)
    }
  }
  perMember.append(seconds(since: clock))
}
perMember.sort()
let mean = perMember.reduce(0, +) / Double(perMember.count)
let p99 = perMember[
  min(perMember.count - 1, Int((Double(perMember.count) * 0.99).rounded(.up)) - 1)]
print(
  String(
    format: "%d members: mean %.3f ms, p99 %.3f ms; RFM pass %.2f s (%d scored)", count,
    mean * 1000, p99 * 1000, rfmSeconds, rescored))
