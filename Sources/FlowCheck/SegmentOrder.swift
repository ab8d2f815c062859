import FlowDiagnostics
import FlowSyntax

/// Orders segments so each one only refers to earlier ones, reporting cycles.
enum SegmentOrder {
  /// Segment names in dependency order (source order where free). Segments on
  /// a cycle are reported once per cycle and left out.
  static func sort(_ segments: [SegmentDeclSyntax], _ problems: inout [CheckProblem]) -> [String] {
    var references: [String: [String]] = [:]
    var declared: [String: SegmentDeclSyntax] = [:]
    for segment in segments where declared[segment.name.text] == nil {
      declared[segment.name.text] = segment
      var names: [String] = []
      collect(segment.predicate, into: &names)
      references[segment.name.text] = names
    }

    enum Mark { case visiting, done }
    var marks: [String: Mark] = [:]
    var order: [String] = []
    var stack: [String] = []

    // Iterative DFS with an explicit stack, so a long chain of segments
    // cannot overflow the call stack.
    for root in segments.map(\.name.text) where marks[root] == nil {
      var frames: [(name: String, next: Int)] = [(root, 0)]
      marks[root] = .visiting
      stack.append(root)
      while let top = frames.last {
        let deps = references[top.name] ?? []
        if top.next < deps.count {
          frames[frames.count - 1].next += 1
          let dep = deps[top.next]
          guard declared[dep] != nil else { continue }  // unknown: reported elsewhere
          switch marks[dep] {
          case nil:
            marks[dep] = .visiting
            stack.append(dep)
            frames.append((dep, 0))
          case .visiting:
            if let start = stack.firstIndex(of: dep), let decl = declared[dep] {
              problems.append(.segmentCycle(path: Array(stack[start...]) + [dep], decl.name.span))
            }
          case .done:
            break
          }
        } else {
          frames.removeLast()
          stack.removeLast()
          marks[top.name] = .done
          order.append(top.name)
        }
      }
    }
    return order
  }

  /// Segment names a predicate mentions, in source order.
  static func collect(_ expr: ExprSyntax, into names: inout [String]) {
    switch expr.kind {
    case .segment(let name): names.append(name.text)
    case .not(let e), .before(let e, _), .within(let e, _): collect(e, into: &names)
    case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .has(let a, let b):
      collect(a, into: &names)
      collect(b, into: &names)
    case .literal, .member, .event, .trigger, .missing: break
    }
  }
}
