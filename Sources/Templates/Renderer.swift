/// Executes a node tree against a context, writing into one output buffer.
///
/// The renderer is a value created per render, so templates stay immutable and can be shared
/// across threads. Limits are enforced as it goes: every node and loop iteration costs a step.
struct Renderer {
  /// How a block finished: normally, or interrupted by `break`/`continue`.
  enum Interrupt { case none, breakLoop, continueLoop }

  /// The state of one enclosing `for`/`tablerow`, read through `forloop`.
  struct Loop {
    var index0: Int
    var length: Int
    var columns: Int = 0
    /// `forloop.name`: the loop variable and collection, "item-products".
    var name: String = ""
    /// A `render ... for` loop: partials cannot see loops outside it through `parentloop`.
    var isPartialBoundary = false
  }

  let options: RenderOptions
  var output = ""
  private var steps = 0
  /// Loop variables and partial arguments, innermost last; searched from the end.
  var locals: [(name: String, value: TemplateValue)] = []
  /// `assign` and `capture` results: the outermost scope, as in Ruby Liquid.
  var assigns: [String: TemplateValue] = [:]
  /// The caller's data; `increment`/`decrement` counters live here too.
  var environment: [String: TemplateValue]
  var loops: [Loop] = []
  private var cycles: [String: Int] = [:]
  private var continueOffsets: [String: Int] = [:]
  private var lastIfChanged: String?
  private var partials: [String: [Node]] = [:]
  private var partialDepth = 0
  /// Byte offset of the node being rendered, for errors raised below it (filters, lookups).
  var currentOffset = 0

  init(environment: [String: TemplateValue], options: RenderOptions) {
    self.environment = environment
    self.options = options
    output.reserveCapacity(1024)
  }

  // MARK: Nodes

  mutating func render(_ nodes: [Node]) throws(Failure) -> Interrupt {
    for node in nodes {
      let interrupt = try render(node)
      if interrupt != .none { return interrupt }
    }
    return .none
  }

  private mutating func step() throws(Failure) {
    steps += 1
    if steps > options.maxSteps {
      throw Failure("render exceeded the limit of \(options.maxSteps) steps", at: currentOffset)
    }
  }

  private mutating func checkOutputSize() throws(Failure) {
    if output.utf8.count > options.maxOutputBytes {
      throw Failure(
        "render exceeded the output limit of \(options.maxOutputBytes) bytes", at: currentOffset)
    }
  }

  private mutating func render(_ node: Node) throws(Failure) -> Interrupt {
    try step()
    switch node {
    case .text(let text):
      output += text
      try checkOutputSize()
    case .sequence(let nodes):
      return try render(nodes)
    case .output(let expression, let at):
      currentOffset = at
      let value = try evaluate(expression)
      value.write(to: &output)
      try checkOutputSize()
    case .conditional(let node):
      currentOffset = node.at
      for (n, branch) in node.branches.enumerated() {
        var holds = try test(branch.condition)
        if n == 0 && node.negatesFirst { holds.toggle() }
        if holds { return try render(branch.body) }
      }
      return try render(node.elseBody)
    case .loop(let node):
      return try renderFor(node)
    case .tableRow(let node):
      try renderTableRow(node)
    case .assign(let name, let expression, let at):
      currentOffset = at
      assigns[name] = try evaluate(expression)
    case .capture(let name, let body):
      let saved = output
      output = ""
      let interrupt = try render(body)
      assigns[name] = .string(output)
      output = saved
      return interrupt
    case .caseBlock(let node):
      return try renderCase(node)
    case .cycle(let key, let group, let values, let at):
      currentOffset = at
      let cycleKey = try group.map { e throws(Failure) in try evaluate(e).text } ?? key
      // As in Ruby Liquid, the position is shared by key but wrapped by each tag's own length.
      let position = cycles[cycleKey, default: 0]
      cycles[cycleKey] = position + 1 >= values.count ? 0 : position + 1
      if position < values.count { try evaluate(values[position]).write(to: &output) }
    case .increment(let name):
      let value = counter(name)
      output += String(value)
      environment[name] = .int(value + 1)
    case .decrement(let name):
      let value = counter(name) - 1
      output += String(value)
      environment[name] = .int(value)
    case .breakLoop:
      return .breakLoop
    case .continueLoop:
      return .continueLoop
    case .ifChanged(let body):
      let saved = output
      output = ""
      let interrupt = try render(body)
      let rendered = output
      output = saved
      if rendered != lastIfChanged {
        output += rendered
        lastIfChanged = rendered
      }
      return interrupt
    case .partial(let node):
      return try renderPartial(node)
    }
    return .none
  }

  private func counter(_ name: String) -> Int {
    if case .int(let value) = environment[name] { return value }
    return 0
  }

  // MARK: Loops

  /// The items a loop visits, after `offset`, `limit` and `reversed`. Ranges are not
  /// materialized: only their bounds are computed, so huge ranges cost only the steps taken.
  private enum Items {
    case values(ArraySlice<TemplateValue>)
    case integers(ClosedRange<Int>)
    var count: Int {
      switch self {
      case .values(let v): return v.count
      case .integers(let r): return r.count
      }
    }
  }

  private mutating func loopItems(_ node: ForNode) throws(Failure) -> (Items, from: Int) {
    var offset = 0
    if node.offsetContinues {
      offset = continueOffsets[node.key, default: 0]
    } else if let e = node.offset {
      offset = max(0, try loopOption(e))
    }
    var limit: Int? = nil
    if let e = node.limit, case let value = try evaluate(e), value != .null {
      limit = max(0, try loopOption(e))
    }
    if case .range(let a, let b) = node.collection {
      let start = try evaluate(a).integerValue
      let end = try evaluate(b).integerValue
      guard start <= end else { return (.values([]), offset) }
      let (from, overflow) = start.addingReportingOverflow(offset)
      guard !overflow, from <= end else { return (.values([]), offset) }
      var to = end
      if let limit, limit - 1 < end - from { to = from + limit - 1 }
      guard from <= to else { return (.values([]), offset) }
      return (.integers(from...to), offset)
    }
    let collection: [TemplateValue]
    switch try evaluate(node.collection) {
    case .array(let a): collection = a
    case .object(let o):
      // Objects iterate as [key, value] pairs; sorted, since our objects are unordered.
      collection = o.keys.sorted().map { .array([.string($0), o[$0, default: .null]]) }
    case .string(let s) where !s.isEmpty: collection = [.string(s)]
    default: collection = []
    }
    let from = min(offset, collection.count)
    var to = collection.count
    if let limit { to = min(to, from + limit) }
    return (.values(collection[from..<to]), from)
  }

  /// `limit:` and `offset:` must be integers (or integer strings); nil means "not given".
  private mutating func loopOption(_ e: Expression) throws(Failure) -> Int {
    let value = try evaluate(e)
    if value == .null { return 0 }
    do {
      return try StringFilters.integerArgument(value)
    } catch {
      throw Failure("loop option \(error.message)", at: currentOffset)
    }
  }

  private mutating func renderFor(_ node: ForNode) throws(Failure) -> Interrupt {
    currentOffset = node.at
    let (items, from) = try loopItems(node)
    let count = items.count
    continueOffsets[node.key] = from + count
    guard count > 0 else { return try render(node.elseBody) }
    locals.append((node.variable, .null))
    let slot = locals.count - 1
    loops.append(Loop(index0: 0, length: count, name: node.key))
    defer {
      locals.removeLast()
      loops.removeLast()
    }
    for n in 0..<count {
      try step()
      let position = node.reversed ? count - 1 - n : n
      switch items {
      case .values(let values): locals[slot].value = values[values.startIndex + position]
      case .integers(let range): locals[slot].value = .int(range.lowerBound + position)
      }
      loops[loops.count - 1].index0 = n
      if try render(node.body) == .breakLoop { break }
    }
    return .none
  }

  private mutating func renderTableRow(_ node: ForNode) throws(Failure) {
    currentOffset = node.at
    let (items, _) = try loopItems(node)
    let count = items.count
    var columns = count
    if let e = node.columns {
      let value = try evaluate(e)
      if value != .null { columns = max(1, value.integerValue) }
    }
    locals.append((node.variable, .null))
    let slot = locals.count - 1
    loops.append(Loop(index0: 0, length: count, columns: columns))
    defer {
      locals.removeLast()
      loops.removeLast()
    }
    output += "<tr class=\"row1\">\n"
    var interrupted = false
    for n in 0..<count {
      try step()
      switch items {
      case .values(let values): locals[slot].value = values[values.startIndex + n]
      case .integers(let range): locals[slot].value = .int(range.lowerBound + n)
      }
      loops[loops.count - 1].index0 = n
      let col = n % columns
      output += "<td class=\"col\(col + 1)\">"
      if !interrupted { interrupted = try render(node.body) == .breakLoop }
      output += "</td>"
      if col == columns - 1 && n != count - 1 {
        output += "</tr>\n<tr class=\"row\(n / columns + 2)\">"
      }
      if interrupted { break }
    }
    output += "</tr>\n"
    try checkOutputSize()
  }

  // MARK: Case

  private mutating func renderCase(_ node: CaseNode) throws(Failure) -> Interrupt {
    currentOffset = node.at
    let subject = try evaluate(node.subject)
    var matched = false
    for block in node.blocks {
      switch block {
      case .when(let values, let body):
        for value in values where try equals(subject, node.subject, value) {
          matched = true
          let interrupt = try render(body)
          if interrupt != .none { return interrupt }
        }
      case .otherwise(let body):
        if !matched {
          let interrupt = try render(body)
          if interrupt != .none { return interrupt }
        }
      }
    }
    return .none
  }

  // MARK: Partials

  /// Renders `render`/`include`. An `include` shares the caller's scope, so a `break` in it
  /// ends the caller's loop.
  private mutating func renderPartial(_ node: PartialNode) throws(Failure) -> Interrupt {
    currentOffset = node.at
    let name = try evaluate(node.name).text
    guard partialDepth < 50 else {
      throw Failure("partials nested more than 50 deep", at: node.at)
    }
    let body = try loadPartial(name, at: node.at)
    let alias = node.alias ?? name
    var bindings: [(name: String, value: TemplateValue)] = []
    for argument in node.arguments {
      bindings.append((argument.name, try evaluate(argument.value)))
    }
    let value = try node.value.map { e throws(Failure) in try evaluate(e) }

    // `render` sees only its arguments; `include` shares the caller's variables.
    let saved = (locals, assigns, environment, loops, cycles)
    if node.isolated {
      locals = []
      assigns = [:]
      environment = [:]
      loops = []
    }
    let base = locals.count
    // In `render`, arguments live in the partial's only scope, so its `assign`s replace them.
    if node.isolated {
      for (name, value) in bindings { assigns[name] = value }
    } else {
      locals.append(contentsOf: bindings)
    }
    partialDepth += 1
    defer {
      partialDepth -= 1
      if node.isolated {
        (locals, assigns, environment, loops, cycles) = saved
      } else {
        locals.removeSubrange(base...)
      }
    }
    if node.iterates, case .array(let items) = value {
      locals.append((alias, .null))
      loops.append(Loop(index0: 0, length: items.count, isPartialBoundary: true))
      for (n, item) in items.enumerated() {
        try step()
        locals[locals.count - 1].value = item
        loops[loops.count - 1].index0 = n
        _ = try render(body)
      }
      loops.removeLast()
      locals.removeLast()
      return .none
    } else {
      if let value { locals.append((alias, value)) }
      let interrupt = try render(body)
      return node.isolated ? .none : interrupt
    }
  }

  private mutating func loadPartial(_ name: String, at offset: Int) throws(Failure) -> [Node] {
    if let cached = partials[name] { return cached }
    guard let source = options.partials?.source(named: name) else {
      throw Failure("partial '\(name)' was not found", at: offset)
    }
    do {
      let template = try Template(source: source, name: name)
      partials[name] = template.nodes
      return template.nodes
    } catch {
      throw Failure("in partial \(error.description)", at: offset)
    }
  }
}
