import FlowDiagnostics
import FlowIR

/// A name-resolution, type or flow-semantics problem, as data.
/// `Diagnostics+Check.swift` holds every word the user reads about these.
enum CheckProblem {
  case unknownMemberField(path: String, Span, candidates: [String])
  case unknownEvent(String, Span, candidates: [String])
  case unknownSegment(String, Span, candidates: [String])
  case unknownTemplate(String, Span, candidates: [String])
  /// A subject line that is not valid Liquid: the parser's message.
  case subjectSyntax(String, Span)
  /// `viaTrigger` is true for `trigger.F`, false for `event.F`.
  case unknownEventField(field: String, event: String, viaTrigger: Bool, Span, candidates: [String])
  case unknownType(String, Span, candidates: [String])
  case duplicateFlow(String, Span, first: Span)
  case duplicateStep(String, Span, first: Span)
  /// `first` is nil when the name is built in.
  case duplicateDeclaration(kind: String, name: String, Span, first: Span?)
  case segmentCycle(path: [String], Span)
  case eventOutsideExit(field: String, Span)
  case comparisonMismatch(expected: ValueType, found: ValueType, Span)
  case currencyMismatch(left: String, right: String, Span)
  case timeOperatorOnNonTime(op: String, found: ValueType, Span)
  case nonBoolCondition(context: String, found: ValueType, Span)
  case anniversaryNotDate(field: String, found: ValueType, Span)
  /// `found` is nil when the default is not a literal at all.
  case badFieldDefault(field: String, expected: ValueType, found: ValueType?, Span)
  /// `ordering` is false for `==`/`!=` on a type with no equality (lists, sets).
  case incomparableType(op: String, type: ValueType, ordering: Bool, Span)
  case badHasOperands(left: ValueType, right: ValueType, Span)
  case missingTrigger(flow: String, Span)
  case duplicateTrigger(Span, first: Span)
  case duplicateClause(clause: String, Span, first: Span)
  case durationZero(Span)
  case durationTooLong(Span)
  case invalidTimeOfDay(hour: Int, minute: Int, Span)
  case splitWeightOutOfRange(percent: Int, Span)
  case splitWeightsTooLarge(sum: Int, Span)
  /// `construct` is `exit when event` or `wait for event`.
  case joinNeverComes(construct: String, Span)
  case unknownWeekday(String, Span, candidates: [String])
  case limitCountZero(Span)
  /// `trigger` describes the flow's trigger, or is nil outside any flow.
  case triggerFieldUnavailable(field: String, trigger: String?, Span)
}
