import FlowDiagnostics
import FlowIR

/// A name-resolution, type or flow-semantics problem, as data.
/// `Diagnostics+Check.swift` holds every word the user reads about these.
enum CheckProblem: Sendable {
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
  /// `member.rfm_layer` compared with a string that names no layer.
  case unknownRFMLayer(String, Span, candidates: [String])
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
  case unknownIdentityKind(String, Span, candidates: [String])
  /// `first` is nil when the kind is built in.
  case duplicateIdentityKind(String, Span, first: Span?)
  /// `first` is the same kind in the earlier rule.
  case duplicateMergeRule(kind: String, Span, first: Span)
  /// `never merge on email`, or `merge on email unless emails differ`.
  case emailAlwaysMerges(never: Bool, Span)
  case duplicateEmailMatching(Span, first: Span)

  // Warnings: the flow runs, but probably not as meant.
  case seriesWithoutGoal(flow: String, sends: Int, Span)
  /// `lifetime` and `waited` are durations as written, e.g. `30d`.
  case waitOutlastsSegment(segment: String, lifetime: String, waited: String, Span)
  case identicalSplitArms(Span, first: Span)
  /// `cause` is the condition that makes the arm unreachable.
  case unreachableArm(UnreachableReason, Span, cause: Span)
  /// `merge on phone` or `merge on visitor` without `unless emails differ`.
  case sharedKeyMerges(kind: String, Span)
  // Templates.
  /// `template` is nil for a subject line, else the template and the send using it.
  case unsuppliedTemplateVariable(
    template: (name: String, usedBy: String, at: Span)?, variable: String, TemplateReadProblem,
    Span, candidates: [String])
  case missingUnsubscribeLink(template: String, Span)
}

/// Why an `if` arm can never run.
enum UnreachableReason {
  /// Its condition is the literal `false`.
  case alwaysFalse
  /// An earlier arm's condition is the literal `true`.
  case afterAlwaysTrue
  /// Its condition repeats an earlier arm's.
  case repeatsCondition
}
