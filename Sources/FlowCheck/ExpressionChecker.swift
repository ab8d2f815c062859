import FlowDiagnostics
import FlowIR
import FlowSyntax

/// What `trigger.F` means where an expression is checked.
enum TriggerScope {
  /// Outside any flow (segments, tags).
  case notInFlow
  /// The trigger carries no fields; the string describes it for messages.
  case noFields(String)
  /// An event trigger with these fields.
  case fields(event: String, [String: ValueType])
  /// The trigger is missing or broken (already reported): accept silently.
  case unknown
}

/// The names an expression may use besides `member.*` and segments.
struct ExprScope {
  var trigger: TriggerScope
  /// The event tested by `exit when event E where ...`, with its fields.
  var event: (name: String, fields: [String: ValueType])?
}

/// A lowered expression and its type.
struct Typed {
  var expr: Expr
  var type: ValueType
}

/// Type-checks expressions and lowers them to `FlowIR.Expr`.
///
/// Returns nil when the expression (or a part) is wrong; the problem is
/// already recorded, and callers stay quiet so one mistake yields one report.
struct ExpressionChecker {
  let env: Environment

  /// Checks a condition: the expression must be a bool.
  func condition(
    _ syntax: ExprSyntax, _ context: String, _ scope: ExprScope, _ problems: inout [CheckProblem]
  ) -> Expr? {
    guard let typed = check(syntax, scope, &problems) else { return nil }
    guard typed.type.base == .bool else {
      problems.append(.nonBoolCondition(context: context, found: typed.type, syntax.span))
      return nil
    }
    return typed.expr
  }

  func check(_ syntax: ExprSyntax, _ scope: ExprScope, _ problems: inout [CheckProblem]) -> Typed? {
    switch syntax.kind {
    case .missing:
      return nil
    case .literal(let literal):
      return Self.literal(literal, &problems)
    case .member(let path, let pathSpan):
      guard let type = env.memberFields[path] else {
        problems.append(
          .unknownMemberField(path: path, pathSpan, candidates: Array(env.memberFields.keys)))
        return nil
      }
      return Typed(expr: .member(path), type: type)
    case .event(let field):
      guard let event = scope.event else {
        problems.append(.eventOutsideExit(field: field.text, field.span))
        return nil
      }
      guard let type = event.fields[field.text] else {
        problems.append(
          .unknownEventField(
            field: field.text, event: event.name, viaTrigger: false, field.span,
            candidates: Array(event.fields.keys)))
        return nil
      }
      return Typed(expr: .event(field.text), type: type)
    case .trigger(let field):
      switch scope.trigger {
      case .unknown: return nil
      case .notInFlow:
        problems.append(.triggerFieldUnavailable(field: field.text, trigger: nil, field.span))
        return nil
      case .noFields(let description):
        problems.append(
          .triggerFieldUnavailable(field: field.text, trigger: description, field.span))
        return nil
      case .fields(let event, let fields):
        guard let type = fields[field.text] else {
          problems.append(
            .unknownEventField(
              field: field.text, event: event, viaTrigger: true, field.span,
              candidates: Array(fields.keys)))
          return nil
        }
        return Typed(expr: .trigger(field.text), type: type)
      }
    case .segment(let name):
      guard env.segments[name.text] != nil else {
        problems.append(
          .unknownSegment(name.text, name.span, candidates: Array(env.segments.keys)))
        return nil
      }
      return Typed(expr: .segment(name.text), type: .bool)
    case .not(let operand):
      guard let inner = condition(operand, "the operand of 'not'", scope, &problems) else {
        return nil
      }
      return Typed(expr: .not(inner), type: .bool)
    case .and(let left, let right), .or(let left, let right):
      let isAnd: Bool
      if case .and = syntax.kind { isAnd = true } else { isAnd = false }
      let context = isAnd ? "an operand of 'and'" : "an operand of 'or'"
      let l = condition(left, context, scope, &problems)
      let r = condition(right, context, scope, &problems)
      guard let l, let r else { return nil }
      return Typed(expr: isAnd ? .and(l, r) : .or(l, r), type: .bool)
    case .compare(let op, let left, let right):
      return compare(op, left, right, scope, &problems)
    case .before(let operand, let duration), .within(let operand, let duration):
      let isBefore: Bool
      if case .before = syntax.kind { isBefore = true } else { isBefore = false }
      let checkedDuration = Self.duration(duration, &problems)
      guard let typed = check(operand, scope, &problems) else { return nil }
      guard typed.type.base == .timestamp || typed.type.base == .date else {
        problems.append(
          .timeOperatorOnNonTime(
            op: isBefore ? "before" : "within", found: typed.type, operand.span))
        return nil
      }
      guard let checkedDuration else { return nil }
      return Typed(
        expr: isBefore
          ? .before(typed.expr, checkedDuration) : .within(typed.expr, checkedDuration),
        type: .bool)
    case .has(let left, let right):
      let l = check(left, scope, &problems)
      let r = check(right, scope, &problems)
      guard let l, let r else { return nil }
      let collectionOK = l.type.base == .stringSet || l.type.base == .list(.string)
      guard collectionOK, r.type.base == .string else {
        problems.append(.badHasOperands(left: l.type, right: r.type, syntax.span))
        return nil
      }
      return Typed(expr: .has(l.expr, r.expr), type: .bool)
    }
  }

  private func compare(
    _ op: ExprSyntax.CompareOperator, _ left: ExprSyntax, _ right: ExprSyntax, _ scope: ExprScope,
    _ problems: inout [CheckProblem]
  ) -> Typed? {
    let l = check(left, scope, &problems)
    let r = check(right, scope, &problems)
    guard let l, let r else { return nil }
    let type = l.type.base
    guard type == r.type.base else {
      problems.append(.comparisonMismatch(expected: type, found: r.type.base, right.span))
      return nil
    }
    let ordering = !(op == .equal || op == .notEqual)
    let allowed: Set<ValueType> =
      ordering
      ? [.number, .money, .date, .timestamp] : [.number, .money, .date, .timestamp, .string, .bool]
    guard allowed.contains(type) else {
      problems.append(.incomparableType(op: op.rawValue, type: type, ordering: ordering, left.span))
      return nil
    }
    if let (name, span) = Self.unknownLayer(l.expr, r, right.span)
      ?? Self.unknownLayer(r.expr, l, left.span)
    {
      let layers = RFMLayer.all.map(\.name)
      problems.append(.unknownRFMLayer(name, span, candidates: layers))
      return nil
    }
    if case .literal(.money(let a)) = l.expr, case .literal(.money(let b)) = r.expr,
      a.currency != b.currency
    {
      problems.append(
        .currencyMismatch(left: a.currency, right: b.currency, left.span.through(right.span)))
      return nil
    }
    return Typed(expr: .compare(Self.irOperator(op), l.expr, r.expr), type: .bool)
  }

  /// A string literal compared with `member.rfm_layer` that names no layer.
  private static func unknownLayer(_ field: Expr, _ other: Typed, _ span: Span) -> (String, Span)? {
    guard field == .member("rfm_layer"), case .literal(.string(let name)) = other.expr,
      !RFMLayer.all.contains(where: { $0.name == name })
    else { return nil }
    return (name, span)
  }

  static func irOperator(_ op: ExprSyntax.CompareOperator) -> CompareOp {
    switch op {
    case .equal: .eq
    case .notEqual: .ne
    case .less: .lt
    case .lessEqual: .le
    case .greater: .gt
    case .greaterEqual: .ge
    }
  }

  static func literal(_ literal: ExprSyntax.Literal, _ problems: inout [CheckProblem]) -> Typed? {
    switch literal {
    case .number(let value): return Typed(expr: .literal(.number(value)), type: .number)
    case .money(let cents, let currency):
      return Typed(expr: .literal(.money(Money(cents: cents, currency: currency))), type: .money)
    case .bool(let value): return Typed(expr: .literal(.bool(value)), type: .bool)
    case .string(let value): return Typed(expr: .literal(.string(value)), type: .string)
    case .date(let year, let month, let day):
      return Typed(
        expr: .literal(.date(CalendarDate(year: year, month: month, day: day))), type: .date)
    case .duration(let syntax):
      guard let value = duration(syntax, &problems) else { return nil }
      return Typed(expr: .literal(.duration(value)), type: .duration)
    }
  }

  /// Longest duration accepted, in minutes: five years of 365 days.
  static let maxMinutes = 5 * 365 * 24 * 60

  /// Validates and converts a duration: not zero, not over five years.
  static func duration(_ syntax: DurationLiteral, _ problems: inout [CheckProblem]) -> FlowIR
    .Duration?
  {
    let unit: FlowIR.Duration.Unit =
      switch syntax.unit {
      case .minutes: .minutes
      case .hours: .hours
      case .days: .days
      case .weeks: .weeks
      }
    if syntax.amount == 0 {
      problems.append(.durationZero(syntax.span))
      return nil
    }
    if syntax.minutes > maxMinutes {
      problems.append(.durationTooLong(syntax.span))
      return nil
    }
    return FlowIR.Duration(syntax.amount, unit)
  }

  /// Validates a time of day (`25:00` and `09:60` are wrong).
  static func time(_ syntax: TimeLiteral, _ problems: inout [CheckProblem]) -> LocalTime? {
    guard (0...23).contains(syntax.hour), (0...59).contains(syntax.minute) else {
      problems.append(.invalidTimeOfDay(hour: syntax.hour, minute: syntax.minute, syntax.span))
      return nil
    }
    return LocalTime(hour: syntax.hour, minute: syntax.minute)
  }

  /// A checked frequency cap; nil for `limit none` or after a reported problem.
  static func limit(_ syntax: LimitSyntax, _ problems: inout [CheckProblem]) -> FrequencyLimit? {
    guard case .cap(let count, let countSpan, let per) = syntax else { return nil }
    let window = duration(per, &problems)
    guard count > 0 else {
      problems.append(.limitCountZero(countSpan))
      return nil
    }
    return window.map { FrequencyLimit(count: count, window: $0) }
  }
}
