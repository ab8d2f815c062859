import FlowDiagnostics
import FlowIR

// All wording for checker problems lives here; detection sites emit facts.
extension CheckProblem {
  /// The user-facing diagnostic for this problem.
  var diagnostic: Diagnostic {
    switch self {
    case .unknownMemberField(let path, let span, let candidates):
      return Diagnostic(
        .unknownMemberField, "unknown member field '\(path)'", at: span,
        label: "not a member field",
        help: didYouMean(path, candidates) ?? "declare it with 'field \(path): TYPE'")
    case .unknownEvent(let name, let span, let candidates):
      return Diagnostic(
        .unknownEvent, "unknown event '\(name)'", at: span, label: "not defined",
        help: didYouMean(name, candidates) ?? "declare it with 'event \(name) { ... }'")
    case .unknownSegment(let name, let span, let candidates):
      return Diagnostic(
        .unknownSegment, "unknown segment '\(name)'", at: span, label: "not defined",
        help: didYouMean(name, candidates) ?? "declare it with 'segment \(name) = ...'")
    case .unknownTemplate(let name, let span, let candidates):
      return Diagnostic(
        .unknownTemplate, "unknown template '\(name)'", at: span, label: "no such template",
        notes: [.init("expected a file Templates/\(name).html.liquid")],
        help: didYouMean(name, candidates))
    case .subjectSyntax(let message, let span):
      return Diagnostic(
        .subjectSyntax, "the subject is not valid Liquid", at: span, label: message,
        help: "a subject is a Liquid template: close every '{{' with '}}' and '{%' with '%}'")
    case .unknownEventField(let field, let event, let viaTrigger, let span, let candidates):
      let owner = viaTrigger ? "trigger event '\(event)'" : "event '\(event)'"
      return Diagnostic(
        .unknownEventField, "\(owner) has no field '\(field)'", at: span, label: "unknown field",
        help: didYouMean(field, candidates)
          ?? (candidates.isEmpty
            ? nil : "its fields are: \(candidates.sorted().joined(separator: ", "))"))
    case .unknownType(let name, let span, let candidates):
      return Diagnostic(
        .unknownType, "unknown type '\(name)'", at: span, label: "not a type",
        help: didYouMean(name, candidates)
          ?? "types are string, number, money, bool, date, timestamp, item and list<T>")
    case .duplicateFlow(let name, let span, let first):
      return Diagnostic(
        .duplicateFlow, "flow '\(name)' is defined twice", at: span, label: "second definition",
        notes: [.init("first defined here", at: first)], help: "rename one of the flows")
    case .duplicateStep(let name, let span, let first):
      return Diagnostic(
        .duplicateStep, "step name '\(name)' is used twice in this flow", at: span,
        label: "second use", notes: [.init("first used here", at: first)],
        help: "step names identify positions in the flow; give each step its own name")
    case .duplicateDeclaration(let kind, let name, let span, let first):
      let note: Diagnostic.Note =
        first.map { .init("first declared here", at: $0) } ?? .init("'\(name)' is built in")
      return Diagnostic(
        .duplicateDeclaration, "\(kind) '\(name)' is declared twice", at: span,
        label: "second declaration", notes: [note], help: "remove or rename one of them")
    case .segmentCycle(let path, let span):
      return Diagnostic(
        .segmentCycle, "segment '\(path[0])' depends on itself", at: span,
        label: "cycle starts here",
        notes: [.init("the cycle is \(path.joined(separator: " -> "))")],
        help: "a segment may only refer to segments that do not refer back to it")
    case .eventOutsideExit(let field, let span):
      return Diagnostic(
        .eventOutsideExit, "'event.\(field)' is only available in 'exit when ... where'", at: span,
        label: "no event here", help: "use 'trigger.\(field)' for the event that started the flow")
    case .comparisonMismatch(let expected, let found, let span):
      return Diagnostic(
        .comparisonTypeMismatch, "cannot compare \(expected.spelled) with \(found.spelled)",
        at: span,
        label: "expected \(expected.spelled), found \(found.spelled)")
    case .currencyMismatch(let left, let right, let span):
      return Diagnostic(
        .currencyMismatch, "cannot compare money in \(left) with money in \(right)", at: span,
        label: "different currencies", help: "write both amounts in the same currency")
    case .timeOperatorOnNonTime(let op, let found, let span):
      return Diagnostic(
        .timeOperatorOnNonTime, "'\(op)' needs a date or timestamp, found \(found.spelled)",
        at: span,
        label: "expected date or timestamp, found \(found.spelled)")
    case .nonBoolCondition(let context, let found, let span):
      return Diagnostic(
        .nonBoolCondition, "\(context) must be a bool, found \(found.spelled)", at: span,
        label: "expected bool, found \(found.spelled)",
        help: "compare it with something, e.g. '== ...'")
    case .anniversaryNotDate(let field, let found, let span):
      return Diagnostic(
        .anniversaryNotDate, "'trigger on' needs a date field, but '\(field)' is \(found.spelled)",
        at: span, label: "expected date, found \(found.spelled)",
        help: "declare the field as 'field \(field): date'")
    case .badFieldDefault(let field, let expected, let found, let span):
      let message =
        found.map {
          "default for field '\(field)' is \($0.spelled), but the field is \(expected.spelled)"
        }
        ?? "default for field '\(field)' must be a literal"
      return Diagnostic(
        .badFieldDefault, message, at: span,
        label: found.map { "expected \(expected.spelled), found \($0.spelled)" } ?? "not a literal")
    case .incomparableType(let op, let type, let ordering, let span):
      return Diagnostic(
        .unorderedComparison,
        ordering
          ? "'\(op)' cannot order values of type \(type.spelled)"
          : "'\(op)' cannot compare values of type \(type.spelled)",
        at: span, label: "\(type.spelled) here",
        help: ordering ? "ordering works on number, money, date and timestamp" : nil)
    case .badHasOperands(let left, let right, let span):
      return Diagnostic(
        .badHasOperands,
        "'has' needs a set or list of strings and a string, found \(left.spelled) and \(right.spelled)",
        at: span, label: "e.g. member.tags has \"vip\"")
    case .unknownRFMLayer(let name, let span, let candidates):
      return Diagnostic(
        .unknownRFMLayer, "'\(name)' is not an RFM layer", at: span,
        label: "member.rfm_layer is never this",
        help: didYouMean(name, candidates)
          ?? "layers: \(candidates.joined(separator: ", "))")
    case .missingTrigger(let flow, let span):
      return Diagnostic(
        .missingTrigger, "flow '\(flow)' has no trigger", at: span, label: "never starts",
        help: "add e.g. 'trigger member_joined' or 'trigger event NAME'")
    case .duplicateTrigger(let span, let first):
      return Diagnostic(
        .duplicateTrigger, "flow has more than one trigger", at: span, label: "second trigger",
        notes: [.init("first trigger here", at: first)],
        help: "a flow has exactly one trigger; write a second flow for the other one")
    case .duplicateClause(let clause, let span, let first):
      return Diagnostic(
        .duplicateClause, "'\(clause)' is given twice", at: span, label: "second '\(clause)'",
        notes: [.init("first given here", at: first)], help: "keep only one")
    case .durationZero(let span):
      return Diagnostic(
        .badDuration, "duration is zero", at: span, label: "zero", help: "use at least 1m")
    case .durationTooLong(let span):
      return Diagnostic(
        .badDuration, "duration is longer than 5 years", at: span, label: "too long",
        help: "durations are limited to 5 years")
    case .invalidTimeOfDay(let hour, let minute, let span):
      return Diagnostic(
        .invalidTimeOfDay, "invalid time of day \(twoDigits(hour)):\(twoDigits(minute))", at: span,
        label: hour > 23 ? "hour must be 00-23" : "minute must be 00-59")
    case .splitWeightOutOfRange(let percent, let span):
      return Diagnostic(
        .badSplitWeights, "split weight \(percent)% is out of range", at: span,
        label: "must be 1% to 99%", help: "the 'else' arm takes the remainder")
    case .splitWeightsTooLarge(let sum, let span):
      return Diagnostic(
        .badSplitWeights, "split weights add up to \(sum)%, leaving nothing for 'else'", at: span,
        label: "sum must be below 100%", help: "the 'else' arm takes 100% minus the stated weights")
    case .joinNeverComes(let construct, let span):
      return Diagnostic(
        .exitOnJoin, "'\(construct) member_joined' can never happen", at: span,
        label: "members join before they enter a flow",
        help: construct.hasPrefix("exit") ? "remove this exit rule" : "remove this wait")
    case .unknownWeekday(let word, let span, let candidates):
      return Diagnostic(
        .unknownWeekday, "unknown day '\(word)'", at: span, label: "not a day",
        help: didYouMean(word, candidates)
          ?? "use 'weekday', 'weekend' or a day such as 'monday'")
    case .limitCountZero(let span):
      return Diagnostic(
        .badLimit, "a limit of 0 emails would stop every send", at: span, label: "zero",
        help: "allow at least 1 email, or remove the limit")
    case .triggerFieldUnavailable(let field, let trigger, let span):
      return Diagnostic(
        .triggerFieldUnavailable,
        trigger.map { "'trigger.\(field)' is not available: \($0) carries no fields" }
          ?? "'trigger.\(field)' is only available inside a flow",
        at: span, label: "no such trigger field",
        help: trigger == nil ? nil : "use 'trigger event NAME' with an event that has this field")
    case .unknownIdentityKind(let kind, let span, let candidates):
      return Diagnostic(
        .unknownIdentityKind, "unknown identity kind '\(kind)'", at: span,
        label: "not an identity kind",
        help: didYouMean(kind, candidates)
          ?? "declare it with 'identity \(kind)', or use one of \(candidates.joined(separator: ", "))"
      )
    case .duplicateIdentityKind(let kind, let span, let first):
      let note: Diagnostic.Note =
        first.map { .init("first declared here", at: $0) } ?? .init("'\(kind)' is built in")
      return Diagnostic(
        .duplicateIdentityKind, "identity kind '\(kind)' is declared twice", at: span,
        label: "second declaration", notes: [note], help: "remove this declaration")
    case .duplicateMergeRule(let kind, let span, let first):
      return Diagnostic(
        .duplicateMergeRule, "identity kind '\(kind)' is given a merge rule twice", at: span,
        label: "second rule", notes: [.init("first rule here", at: first)],
        help: "keep one rule for '\(kind)'")
    case .emailAlwaysMerges(let never, let span):
      return Diagnostic(
        .emailAlwaysMerges,
        never
          ? "'never merge on email' is not allowed: email always merges"
          : "'unless emails differ' cannot apply to email: email always merges",
        at: span, label: "email names one member",
        notes: [
          .init(
            "an email address reaches one inbox, so two records with the same email are one "
              + "person; merge rules only choose what the other kinds do")
        ],
        help: "remove 'email' from this rule (it merges by default), or write 'merge on email'")
    case .duplicateEmailMatching(let span, let first):
      return Diagnostic(
        .duplicateEmailMatching, "'match email ignoring plus addressing' is given twice",
        at: span, label: "second time", notes: [.init("first given here", at: first)],
        help: "keep only one")
    case .seriesWithoutGoal(let flow, let sends, let span):
      return Diagnostic(
        .seriesWithoutGoal, "flow '\(flow)' can send a member \(sends) emails but has no goal",
        at: span,
        label: "no 'exit when'",
        notes: [.init("members who already did what the series asks keep getting it")],
        help: "add a goal, e.g. 'exit when event order_placed'")
    case .waitOutlastsSegment(let segment, let lifetime, let waited, let span):
      return Diagnostic(
        .waitOutlastsSegment,
        "this wait ends \(waited) after entry, but segment '\(segment)' holds for at most "
          + "\(lifetime) after the member's last activity",
        at: span, label: "\(waited) after entry",
        notes: [
          .init("members may have left '\(segment)' by then, and the flow still emails them")
        ],
        help: "wait less than \(lifetime) in total, or re-check with 'if \(segment) { ... }'")
    case .identicalSplitArms(let span, let first):
      return Diagnostic(
        .identicalSplitArms, "this split arm does the same as an earlier one", at: span,
        label: "same steps", notes: [.init("identical to this arm", at: first)],
        help: "make the variants differ, or remove the split")
    case .unreachableArm(let reason, let span, let cause):
      let note: String =
        switch reason {
        case .alwaysFalse: "its condition is always false"
        case .afterAlwaysTrue: "this earlier condition is always true"
        case .repeatsCondition: "an earlier arm has the same condition, and takes every such member"
        }
      return Diagnostic(
        .unreachableArm, "these steps can never run", at: span, label: "unreachable",
        notes: [.init(note, at: cause)], help: "remove the arm, or fix its condition")
    case .sharedKeyMerges(let kind, let span):
      let sharer = kind == "phone" ? "a family phone" : "a shared browser"
      return Diagnostic(
        .sharedKeyMerges, "'merge on \(kind)' joins members even when their emails differ",
        at: span, label: "\(sharer) would join two people into one member",
        notes: [
          .init(
            "one person's orders, consent and emails would go to the other; the default keeps "
              + "them apart and records a conflict")
        ],
        help: "write 'merge on \(kind) unless emails differ'")
    case .unsuppliedTemplateVariable(
      let template, let variable, let problem, let span, let candidates):
      let detail: String
      let label: String
      var help = didYouMean(variable.split(separator: ".").last.map(String.init) ?? "", candidates)
      switch problem {
      case .unknownVariable:
        detail = "there is no such variable when an email is sent"
        label = "unknown variable"
        help = help ?? "templates can use \(candidates.joined(separator: ", "))"
      case .unknownField(let object):
        detail = "'\(object)' has no such field"
        label = "not a field of '\(object)'"
        help = help ?? "its fields are: \(candidates.joined(separator: ", "))"
      case .unknownTriggerField(let event):
        detail = "trigger event '\(event)' has no such field"
        label = "not a field of '\(event)'"
        help = help ?? "its fields are: \(candidates.joined(separator: ", "))"
      case .triggerHasNoFields(let trigger):
        detail = "\(trigger) carries no fields"
        label = "no trigger fields"
        help = "use 'trigger event NAME' with an event that has this field"
      }
      let reader = template.map { "template '\($0.name)'" } ?? "the subject"
      return Diagnostic(
        .unknownTemplateVariable, "\(reader) reads '\(variable)', but \(detail)", at: span,
        label: label,
        notes: template.map { [.init("used by send '\($0.usedBy)' here", at: $0.at)] } ?? [],
        help: help)
    case .missingUnsubscribeLink(let template, let span):
      return Diagnostic(
        .missingUnsubscribeLink, "template '\(template)' has no unsubscribe link", at: span,
        label: "marketing email without a way out",
        notes: [.init("every marketing email must let the member unsubscribe")],
        help:
          "add a footer link to Templates/\(template).html.liquid, e.g. "
          + "<a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>")
    }
  }
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

private func didYouMean(_ name: String, _ candidates: [String]) -> String? {
  Suggestion.closest(to: name, among: candidates).map { "did you mean '\($0)'?" }
}

extension ValueType {
  /// The type as a user writes it.
  var spelled: String {
    switch self {
    case .string: "string"
    case .number: "number"
    case .money: "money"
    case .bool: "bool"
    case .date: "date"
    case .timestamp: "timestamp"
    case .duration: "duration"
    case .list(let element): "list<\(element.spelled)>"
    case .record(let name): name
    case .stringSet: "set of strings"
    case .optional(let wrapped): wrapped.spelled + "?"
    }
  }

  /// The type with any optional marker removed.
  var base: ValueType {
    if case .optional(let wrapped) = self { return wrapped.base }
    return self
  }
}
