import FlowIR

/// One flow as a diagram: a start node (the trigger and entry rules), a node
/// per step in source order, an end node, and edges that follow `next`,
/// branch arms (`yes`/`no`) and split arms (`50%`). Rendering is a pure
/// function of the flow, so the same flow always gives the same text.
public struct FlowGraph: Sendable, Hashable {
  /// The diagram languages `FlowGraph` can write.
  public enum Format: String, CaseIterable, Sendable {
    case mermaid
    case dot
  }

  /// How a node is drawn.
  public enum Shape: Sendable, Hashable {
    case start, end, send, wait, branch, split
  }

  /// A node: an identifier safe in both formats, its label lines and shape.
  public struct Node: Sendable, Hashable {
    public var id: String
    public var lines: [String]
    public var shape: Shape
  }

  /// A directed edge, optionally labelled.
  public struct Edge: Sendable, Hashable {
    public var from: String
    public var to: String
    public var label: String?
  }

  public var name: String
  public var nodes: [Node]
  public var edges: [Edge]

  /// Identifier of the start node.
  public static let startID = "flow_start"
  /// Identifier of the end node (`end` alone is a Mermaid keyword).
  public static let endID = "flow_end"

  /// Builds the graph of a compiled flow.
  public init(flow: Flow) {
    name = flow.name
    var ids: [String: String] = [:]
    var used: Set<String> = [Self.startID, Self.endID]
    for step in flow.steps {
      var id = "step_" + Self.sanitized(step.name)
      if used.contains(id) { id += "_\(used.count)" }
      used.insert(id)
      ids[step.name] = id
    }
    func target(_ name: String?) -> String { name.flatMap { ids[$0] } ?? Self.endID }

    nodes = [Node(id: Self.startID, lines: Self.startLines(flow), shape: .start)]
    edges = [Edge(from: Self.startID, to: target(flow.entry), label: nil)]
    for step in flow.steps {
      let id = target(step.name)
      switch step.action {
      case .send:
        nodes.append(Node(id: id, lines: ["send \(step.name)"], shape: .send))
        edges.append(Edge(from: id, to: target(step.next), label: nil))
      case .wait(let duration):
        nodes.append(Node(id: id, lines: ["wait \(duration.sourceText)"], shape: .wait))
        edges.append(Edge(from: id, to: target(step.next), label: nil))
      case .waitForEvent(let wait):
        let filter = wait.condition.map { " where \($0.sourceText)" } ?? ""
        nodes.append(
          Node(
            id: id,
            lines: ["wait for event \(wait.event)\(filter)", "up to \(wait.timeout.sourceText)"],
            shape: .wait))
        edges.append(Edge(from: id, to: target(step.next), label: wait.event))
        edges.append(Edge(from: id, to: target(wait.timeoutTarget), label: "timeout"))
      case .waitUntil(let wait):
        nodes.append(Node(id: id, lines: [wait.sourceText], shape: .wait))
        edges.append(Edge(from: id, to: target(step.next), label: nil))
      case .branch(let condition, let then, let otherwise):
        nodes.append(Node(id: id, lines: ["if \(condition.sourceText)"], shape: .branch))
        edges.append(Edge(from: id, to: target(then), label: "yes"))
        edges.append(Edge(from: id, to: target(otherwise), label: "no"))
      case .split(let arms):
        nodes.append(Node(id: id, lines: ["split"], shape: .split))
        for arm in arms {
          edges.append(Edge(from: id, to: target(arm.target), label: "\(arm.percent)%"))
        }
      }
    }
    nodes.append(Node(id: Self.endID, lines: ["end"], shape: .end))
  }

  /// The diagram in the given format, ending with a newline.
  public func render(_ format: Format) -> String {
    switch format {
    case .mermaid: return mermaid
    case .dot: return dot
    }
  }

  /// The trigger, then the entry rules that apply to the whole flow.
  static func startLines(_ flow: Flow) -> [String] {
    var lines = ["trigger: " + flow.trigger.sourceText]
    if let condition = flow.onlyIf { lines.append("only if \(condition.sourceText)") }
    if case .after(let duration) = flow.reentry {
      lines.append("reentry after \(duration.sourceText)")
    }
    for rule in flow.exits {
      let filter = rule.condition.map { " where \($0.sourceText)" } ?? ""
      lines.append("exit when event \(rule.event)\(filter)")
    }
    if let quiet = flow.quietHours {
      lines.append("quiet hours \(quiet.start.sourceText)-\(quiet.end.sourceText) local")
    }
    if let limit = flow.limit {
      lines.append("limit \(limit.count) emails per \(limit.window.sourceText)")
    }
    return lines
  }

  /// Letters, digits and `_` kept; anything else becomes `_`.
  static func sanitized(_ name: String) -> String {
    String(
      name.unicodeScalars.map { scalar in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
          ? Character(scalar) : "_"
      })
  }
}

extension Trigger {
  /// The trigger as written after `trigger`: `enters segment lapsing`.
  public var sourceText: String {
    switch self {
    case .memberJoined: return "member_joined"
    case .event(let name): return "event \(name)"
    case .anniversary(let field, let time): return "on member.\(field) at \(time.sourceText) local"
    case .entersSegment(let name): return "enters segment \(name)"
    }
  }
}

extension WaitUntil {
  /// The step as written: `wait until weekday 09:00 local`.
  public var sourceText: String {
    let days: String? =
      switch weekdays {
      case []: nil
      case [1, 2, 3, 4, 5]: "weekday"
      case [6, 7]: "weekend"
      default:
        weekdays.map {
          ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][$0 - 1]
        }.joined(separator: ",")
      }
    let time = self.time.map { "\($0.sourceText) local" }
    return (["wait until"] + [days, time].compactMap { $0 }).joined(separator: " ")
  }
}
