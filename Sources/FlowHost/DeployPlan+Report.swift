import FlowIR
import Foundation

/// A deploy plan as text (Terraform-like: `~` changed, `-` removed, `+` new)
/// and as JSON. Moves and leaves are grouped by step; `verbose` lists each instance.
extension DeployPlan {
  /// `1 resume, 2 move, 0 leave, 1 new flow`.
  public var counts: String {
    let flows = newFlows.count == 1 ? "new flow" : "new flows"
    return
      "\(resumedCount) resume, \(movedCount) move, \(leftCount) leave, \(newFlows.count) \(flows)"
  }

  public func text(verbose: Bool) -> String {
    guard hasChanges else { return "No changes: every member inside a flow stays where it is.\n" }
    var lines: [String] = []
    for change in flows {
      lines.append(
        change.version.map { "~ \(change.flow) (version \($0))" } ?? "- \(change.flow) (removed)")
      if !change.resumed.isEmpty {
        lines.append("    resume \(Self.members(change.resumed.count)) where they are")
      }
      for group in change.moveGroups {
        let first = Self.iso(group.earliest)
        let due = group.earliest == group.latest ? first : "\(first) to \(Self.iso(group.latest))"
        lines.append(
          "    move   \(Self.members(group.moves.count)) at \(group.step) "
            + "(wait \(group.oldWait) -> \(group.newWait)): due \(due)")
        guard verbose else { continue }
        for move in group.moves {
          let old = move.oldDueAt.map(Self.iso) ?? "no timer"
          lines.append(
            "      instance \(move.instance) (member \(move.member)): "
              + "\(old) -> \(Self.iso(move.newDueAt))")
        }
      }
      for group in change.leaveGroups {
        lines.append(
          "    leave  \(Self.members(group.leaves.count)) at \(group.step ?? "(start)"): "
            + group.reason)
        guard verbose else { continue }
        for leave in group.leaves {
          lines.append("      instance \(leave.instance) (member \(leave.member))")
        }
      }
    }
    for flow in newFlows {
      lines.append("+ \(flow.flow) (new): starts taking members on trigger \(flow.trigger)")
    }
    lines += ["", "Plan: \(counts)."]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The plan as a JSON object with sorted keys; times are ISO 8601 in UTC.
  public func json(verbose: Bool) throws -> String {
    let report = Report(
      changes: hasChanges,
      resume: resumedCount, move: movedCount, leave: leftCount,
      flows: flows.map { change in
        Report.Flow(
          flow: change.flow, version: change.version, resume: change.resumed.count,
          moves: change.moveGroups.map { group in
            Report.MoveGroup(
              step: group.step, oldWait: group.oldWait, newWait: group.newWait,
              count: group.moves.count,
              earliestDue: Self.iso(group.earliest), latestDue: Self.iso(group.latest),
              instances: verbose
                ? group.moves.map {
                  Report.MovedInstance(
                    instance: $0.instance, member: $0.member, startedAt: Self.iso($0.startedAt),
                    oldDue: $0.oldDueAt.map(Self.iso), newDue: Self.iso($0.newDueAt))
                } : nil)
          },
          leaves: change.leaveGroups.map { group in
            Report.LeaveGroup(
              step: group.step, reason: group.reason, count: group.leaves.count,
              instances: verbose
                ? group.leaves.map { Report.LeftInstance(instance: $0.instance, member: $0.member) }
                : nil)
          })
      },
      newFlows: newFlows.map { Report.NewFlow(flow: $0.flow, trigger: $0.trigger) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
  }

  private static func members(_ count: Int) -> String {
    count == 1 ? "1 member" : "\(count) members"
  }

  private static func iso(_ instant: Int64) -> String {
    ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(instant)))
  }
}

/// Moves that share a step and old and new duration, with their due-time range.
struct MoveGroup {
  var moves: [DeployPlan.Move]
  var step: String { moves[0].step }
  var oldWait: String { moves[0].oldWait }
  var newWait: String { moves[0].newWait }
  var earliest: Int64 { moves.map(\.newDueAt).min() ?? 0 }
  var latest: Int64 { moves.map(\.newDueAt).max() ?? 0 }
}

/// Leaves that share a step and reason.
struct LeaveGroup {
  var leaves: [DeployPlan.Leave]
  var step: String? { leaves[0].step }
  var reason: String { leaves[0].reason }
}

extension DeployPlan.FlowChange {
  var moveGroups: [MoveGroup] {
    moves.groupedInOrder { [$0.step, $0.oldWait, $0.newWait] }
      .map(MoveGroup.init)
  }

  var leaveGroups: [LeaveGroup] {
    leaves.groupedInOrder { [$0.step ?? "", $0.reason] }.map(LeaveGroup.init)
  }
}

extension Array {
  /// Non-empty groups of elements with equal keys, in the order each key first appears.
  fileprivate func groupedInOrder<Key: Hashable>(by key: (Element) -> Key) -> [[Element]] {
    var groups: [[Element]] = []
    var indexes: [Key: Int] = [:]
    for element in self {
      let elementKey = key(element)
      if let index = indexes[elementKey] {
        groups[index].append(element)
      } else {
        indexes[elementKey] = groups.count
        groups.append([element])
      }
    }
    return groups
  }
}

/// The JSON shape of a plan.
private struct Report: Encodable {
  var changes: Bool
  var resume: Int
  var move: Int
  var leave: Int
  var flows: [Flow]
  var newFlows: [NewFlow]

  struct Flow: Encodable {
    var flow: String
    var version: String?
    var resume: Int
    var moves: [MoveGroup]
    var leaves: [LeaveGroup]
  }

  struct MoveGroup: Encodable {
    var step: String
    var oldWait: String
    var newWait: String
    var count: Int
    var earliestDue: String
    var latestDue: String
    var instances: [MovedInstance]?
  }

  struct MovedInstance: Encodable {
    var instance: Int64
    var member: Int64
    var startedAt: String
    var oldDue: String?
    var newDue: String
  }

  struct LeaveGroup: Encodable {
    var step: String?
    var reason: String
    var count: Int
    var instances: [LeftInstance]?
  }

  struct LeftInstance: Encodable {
    var instance: Int64
    var member: Int64
  }

  struct NewFlow: Encodable {
    var flow: String
    var trigger: String
  }
}
