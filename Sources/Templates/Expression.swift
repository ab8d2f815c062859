/// A value expression: literal, variable lookup or range. Filters are applied separately, by
/// `FilteredExpression`.
indirect enum Expression: Sendable {
  case literal(TemplateValue)
  /// The `empty` keyword: equal to any empty string, array or object; renders as "".
  case empty
  /// The `blank` keyword: equal to nil, false, empty or whitespace-only values; renders as "".
  case blank
  /// `root.a[0]["k"]`; the root is a name or, for `[expr]`, a computed key. `at` is the byte
  /// offset of the root, so checks can point at the variable itself.
  case lookup(root: PathSegment, path: [PathSegment], at: Int)
  /// `(start..end)`, inclusive, of integers.
  case range(Expression, Expression)

  /// The root variable name, when this is a lookup that starts with a plain name.
  var rootName: String? {
    if case .lookup(.name(let name), _, _) = self { return name }
    return nil
  }
}

/// One step of a lookup: `.name` or `[expression]`.
enum PathSegment: Sendable {
  case name(String)
  case index(Expression)
}

/// A call such as `| truncate: 20, '...'` or `| default: 'x', allow_false: true`.
struct FilterCall: Sendable {
  var filter: Filter
  var arguments: [Expression]
  var keywordArguments: [(name: String, value: Expression)]
}

/// An expression followed by zero or more filters, as in `{{ x | upcase }}` or `assign`.
struct FilteredExpression: Sendable {
  var base: Expression
  var filters: [FilterCall]
}

/// Comparison operators of `if`, `unless` and `case`.
enum ComparisonOperator: String, Sendable {
  case equal = "==", notEqual = "!=", lessThan = "<", greaterThan = ">"
  case lessOrEqual = "<=", greaterOrEqual = ">=", contains = "contains"
}

/// The test of an `if`/`elsif`/`unless`: `and`/`or` chains are right-associative, as in Liquid,
/// so `a and b or c` means `a and (b or c)`.
indirect enum Condition: Sendable {
  case value(Expression)
  case comparison(Expression, ComparisonOperator, Expression)
  case and(Condition, Condition)
  case or(Condition, Condition)
}
