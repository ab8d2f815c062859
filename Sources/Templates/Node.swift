/// One node of a parsed template. Offsets are byte offsets of the tag or output start, used
/// for error positions.
indirect enum Node: Sendable {
  case text(String)
  /// Nodes rendered in place: the body of `raw` or of a `liquid` tag.
  case sequence([Node])
  case output(FilteredExpression, at: Int)
  case conditional(ConditionalNode)
  case loop(ForNode)
  case tableRow(ForNode)
  case assign(String, FilteredExpression, at: Int)
  case capture(String, [Node])
  case caseBlock(CaseNode)
  /// `{% cycle %}`: the key identifies the cycle's position counter.
  case cycle(key: String, group: Expression?, values: [Expression], at: Int)
  case increment(String)
  case decrement(String)
  case breakLoop
  case continueLoop
  case ifChanged([Node])
  case partial(PartialNode)
}

/// `if`/`elsif`/`else` or `unless`/`elsif`/`else`.
struct ConditionalNode: Sendable {
  /// Condition and body of `if` (or `unless`) and each `elsif`, in order.
  var branches: [(condition: Condition, body: [Node])]
  var elseBody: [Node]
  /// True for `unless`: the first branch runs when its condition is false.
  var negatesFirst: Bool
  var at: Int
}

/// `for` and `tablerow`: `for name in collection limit: n offset: n reversed`.
struct ForNode: Sendable {
  var variable: String
  var collection: Expression
  var limit: Expression?
  var offset: Expression?
  /// `offset: continue` resumes where the last loop over the same collection stopped.
  var offsetContinues: Bool
  var reversed: Bool
  /// `cols:` of `tablerow`.
  var columns: Expression?
  var body: [Node]
  var elseBody: [Node]
  /// Identifies the loop for `offset: continue` ("item-products").
  var key: String
  var at: Int
}

/// `case`/`when`/`else`. Blocks run in order; as in Ruby Liquid every matching `when` renders,
/// and an `else` renders when no `when` before it matched.
struct CaseNode: Sendable {
  enum Block: Sendable {
    case when([Expression], [Node])
    case otherwise([Node])
  }
  var subject: Expression
  var blocks: [Block]
  var at: Int
}

/// `{% render 'name' %}` (isolated scope) or `{% include 'name' %}` (shared scope).
struct PartialNode: Sendable {
  var isolated: Bool
  var name: Expression
  /// `with value` or `for collection`, bound to `alias` (default: the partial name).
  var value: Expression?
  var iterates: Bool
  var alias: String?
  var arguments: [(name: String, value: Expression)]
  var at: Int
}
