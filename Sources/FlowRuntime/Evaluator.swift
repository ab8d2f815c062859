import FlowIR

/// Evaluates checked expressions against a member at a moment.
///
/// Comparisons with a null operand are false, as in SQL, so an optional field
/// that is unset never satisfies a condition by accident.
struct Evaluator {
  let now: Int64
  let member: MemberView
  let currency: String
  var event: [String: Value] = [:]
  var trigger: [String: Value] = [:]

  func truth(_ expr: Expr) -> Bool {
    if case .bool(true) = evaluate(expr) { return true }
    return false
  }

  func evaluate(_ expr: Expr) -> Value {
    switch expr {
    case .literal(let value): return value
    case .member(let path): return member.value(path, currency: currency)
    case .event(let name): return event[name] ?? .null
    case .trigger(let name): return trigger[name] ?? .null
    case .segment(let name): return .bool(member.segments.contains(name))
    case .not(let inner): return .bool(!truth(inner))
    case .and(let a, let b): return .bool(truth(a) && truth(b))
    case .or(let a, let b): return .bool(truth(a) || truth(b))
    case .compare(let op, let a, let b): return .bool(compare(op, evaluate(a), evaluate(b)))
    case .before(let subject, let duration):
      guard let start = instant(evaluate(subject)) else { return .bool(false) }
      return .bool(now >= member.calendar.add(duration, to: start))
    case .within(let subject, let duration):
      guard let start = instant(evaluate(subject)) else { return .bool(false) }
      return .bool(start <= now && now < member.calendar.add(duration, to: start))
    case .has(let collection, let element):
      guard case .list(let items) = evaluate(collection) else { return .bool(false) }
      let needle = evaluate(element)
      return .bool(needle != .null && items.contains(needle))
    }
  }

  /// Instants after `now` at which `expr` may change truth if nothing else
  /// about the member changes: the edges of every `before` and `within`.
  func changeMoments(_ expr: Expr, segments: [String: Expr]) -> [Int64] {
    var moments: [Int64] = []
    var visited = Set<String>()
    collect(expr, segments: segments, visited: &visited, into: &moments)
    return moments.filter { $0 > now }
  }

  private func collect(
    _ expr: Expr, segments: [String: Expr], visited: inout Set<String>, into moments: inout [Int64]
  ) {
    switch expr {
    case .literal, .member, .event, .trigger: return
    case .segment(let name):
      guard visited.insert(name).inserted, let predicate = segments[name] else { return }
      collect(predicate, segments: segments, visited: &visited, into: &moments)
    case .not(let inner): collect(inner, segments: segments, visited: &visited, into: &moments)
    case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .has(let a, let b):
      collect(a, segments: segments, visited: &visited, into: &moments)
      collect(b, segments: segments, visited: &visited, into: &moments)
    case .before(let subject, let duration), .within(let subject, let duration):
      guard let start = instant(evaluate(subject)) else { return }
      moments.append(start)
      moments.append(member.calendar.add(duration, to: start))
    }
  }

  private func instant(_ value: Value) -> Int64? {
    switch value {
    case .timestamp(let t): return t
    case .date(let d): return member.calendar.startOfDay(d)
    default: return nil
    }
  }

  private func compare(_ op: CompareOp, _ a: Value, _ b: Value) -> Bool {
    guard let order = ordering(a, b) else { return false }
    switch op {
    case .eq: return order == 0
    case .ne: return order != 0
    case .lt: return order < 0
    case .le: return order <= 0
    case .gt: return order > 0
    case .ge: return order >= 0
    }
  }

  /// -1, 0 or 1; nil when the values cannot be compared (null, other currency).
  private func ordering(_ a: Value, _ b: Value) -> Int? {
    switch (a, b) {
    case (.number(let x), .number(let y)): return sign(x, y)
    case (.money(let x), .money(let y)):
      return x.currency == y.currency ? sign(x.cents, y.cents) : nil
    case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
    case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.timestamp(let x), .date(let d)): return sign(x, member.calendar.startOfDay(d))
    case (.date(let d), .timestamp(let y)): return sign(member.calendar.startOfDay(d), y)
    case (.string(let x), .string(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    case (.duration(let x), .duration(let y)): return x == y ? 0 : nil
    case (.list(let x), .list(let y)): return x == y ? 0 : nil
    default: return nil
    }
  }

  private func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x == y ? 0 : (x < y ? -1 : 1) }
}
