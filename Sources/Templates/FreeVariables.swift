/// A variable a template reads from the data it is rendered with, such as the
/// `member.first_name` of `{{ member.first_name | default: 'friend' }}`.
public struct VariableReference: Sendable, Hashable {
  /// The root name: `member`.
  public var root: String
  /// The named steps after the root, up to the first computed index: `["first_name"]`.
  public var path: [String]
  /// The UTF-8 byte offset of the root in the template's source.
  public var offset: Int
  /// 1-based line and column (in characters) of the root.
  public var line: Int
  public var column: Int
}

extension Template {
  /// Every read of a variable the template does not bind itself, in source order.
  ///
  /// Left out: names bound by `assign`, `capture`, `increment` and `decrement`
  /// from that tag on (Liquid assigns are global, even inside a block), and a
  /// loop's variable, `forloop` and `tablerowloop` inside the loop. Partials
  /// are not followed: only the expressions the caller passes them are reads.
  public var freeVariables: [VariableReference] {
    var walker = FreeVariableWalker()
    walker.walk(nodes)
    return walker.reads.map { read in
      let (line, column) = TemplateError.position(of: read.offset, in: source)
      return VariableReference(
        root: read.root, path: read.path, offset: read.offset, line: line, column: column)
    }
  }
}

/// Walks nodes in source order, keeping the set of names bound so far.
private struct FreeVariableWalker {
  var reads: [(root: String, path: [String], offset: Int)] = []
  private var bound: Set<String> = []

  mutating func walk(_ nodes: [Node]) {
    for node in nodes { walk(node) }
  }

  private mutating func walk(_ node: Node) {
    switch node {
    case .text, .breakLoop, .continueLoop: break
    case .sequence(let nodes), .ifChanged(let nodes): walk(nodes)
    case .output(let expression, _): read(expression)
    case .assign(let name, let expression, _):
      read(expression)
      bound.insert(name)
    case .capture(let name, let body):
      walk(body)
      bound.insert(name)
    case .increment(let name), .decrement(let name): bound.insert(name)
    case .conditional(let node):
      for branch in node.branches {
        read(branch.condition)
        walk(branch.body)
      }
      walk(node.elseBody)
    case .loop(let node), .tableRow(let node):
      read(node.collection)
      for option in [node.limit, node.offset, node.columns] { option.map { read($0) } }
      // Only names not bound before the loop go out of scope after it.
      let scoped = [node.variable, "forloop", "tablerowloop"].filter { bound.insert($0).inserted }
      walk(node.body)
      bound.subtract(scoped)
      walk(node.elseBody)
    case .caseBlock(let node):
      read(node.subject)
      for block in node.blocks {
        switch block {
        case .when(let values, let body):
          values.forEach { read($0) }
          walk(body)
        case .otherwise(let body): walk(body)
        }
      }
    case .cycle(_, let group, let values, _):
      group.map { read($0) }
      values.forEach { read($0) }
    case .partial(let node):
      read(node.name)
      node.value.map { read($0) }
      node.arguments.forEach { read($0.value) }
    }
  }

  private mutating func read(_ expression: FilteredExpression) {
    read(expression.base)
    for call in expression.filters {
      call.arguments.forEach { read($0) }
      call.keywordArguments.forEach { read($0.value) }
    }
  }

  private mutating func read(_ condition: Condition) {
    switch condition {
    case .value(let expression): read(expression)
    case .comparison(let left, _, let right):
      read(left)
      read(right)
    case .and(let left, let right), .or(let left, let right):
      read(left)
      read(right)
    }
  }

  private mutating func read(_ expression: Expression) {
    switch expression {
    case .literal, .empty, .blank: break
    case .range(let start, let end):
      read(start)
      read(end)
    case .lookup(let root, let path, let offset):
      if case .name(let name) = root, !bound.contains(name) {
        reads.append((name, Self.names(path), offset))
      } else if case .index(let key) = root {
        read(key)
      }
      for case .index(let key) in path { read(key) }
    }
  }

  /// The leading `.name` steps of a path (`a.b[0].c` gives `["b"]`).
  private static func names(_ path: [PathSegment]) -> [String] {
    var names: [String] = []
    for segment in path {
      guard case .name(let name) = segment else { break }
      names.append(name)
    }
    return names
  }
}
