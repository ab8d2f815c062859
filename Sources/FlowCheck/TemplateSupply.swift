import FlowDiagnostics
import FlowIR

/// Why a send cannot supply a variable its template reads.
enum TemplateReadProblem: Hashable {
  /// No variable of that name exists when the email is rendered.
  case unknownVariable
  /// `member.X`, `member.consent.X`, `shop.X`, `flow.X`: the object has no field X.
  case unknownField(object: String)
  /// `trigger.X` or `event.X`: the trigger event has no field X.
  case unknownTriggerField(event: String)
  /// `trigger.X` or `event.X` where the trigger carries no fields; the string describes it.
  case triggerHasNoFields(trigger: String)
}

/// The variables a `send` hands its templates, mirroring the context that
/// FlowRuntime's `TemplateComposer` builds at send time.
struct TemplateSupply {
  /// The first step of every `member.` path: built-in and declared fields.
  let memberFields: [String]
  let trigger: TriggerScope

  init(memberFields: some Sequence<String>, trigger: TriggerScope) {
    // `consent.email` is the nested object `consent`.
    let firstSteps = memberFields.map { String($0.prefix { $0 != "." }) }
    self.memberFields = Array(Set(firstSteps)).sorted()
    self.trigger = trigger
  }

  static let roots = ["member", "shop", "trigger", "event", "flow", "unsubscribe_url"]
  private static let shopFields = ["name", "url", "currency", "email"]
  private static let flowFields = ["name", "step"]

  /// Problems with a template's reads: a file template's, with the send
  /// that uses it, or (`template` nil) a subject line's.
  func check(
    _ reads: [TemplateSummary.Read], template: (name: String, usedBy: String, at: Span)?,
    _ problems: inout [CheckProblem]
  ) {
    for read in reads {
      guard let (problem, candidates) = problem(read) else { continue }
      problems.append(
        .unsuppliedTemplateVariable(
          template: template, variable: ([read.root] + read.path).joined(separator: "."), problem,
          read.span, candidates: candidates))
    }
  }

  private func problem(_ read: TemplateSummary.Read) -> (TemplateReadProblem, [String])? {
    let field = read.path.first
    switch read.root {
    case "unsubscribe_url": return nil
    case "member":
      guard let field else { return nil }
      if !memberFields.contains(field) { return (.unknownField(object: "member"), memberFields) }
      if field == "consent", read.path.count > 1, read.path[1] != "email" {
        return (.unknownField(object: "member.consent"), ["email"])
      }
      return nil
    case "shop": return Self.known(field, in: Self.shopFields, object: "shop")
    case "flow": return Self.known(field, in: Self.flowFields, object: "flow")
    // `event` is the composer's other name for the trigger event.
    case "trigger", "event":
      guard let field else { return nil }
      switch trigger {
      case .unknown, .notInFlow: return nil
      case .noFields(let description): return (.triggerHasNoFields(trigger: description), [])
      case .fields(let event, let fields):
        return fields[field] == nil
          ? (.unknownTriggerField(event: event), fields.keys.sorted()) : nil
      }
    default: return (.unknownVariable, Self.roots)
    }
  }

  private static func known(_ field: String?, in fields: [String], object: String)
    -> (TemplateReadProblem, [String])?
  {
    guard let field, !fields.contains(field) else { return nil }
    return (.unknownField(object: object), fields)
  }
}
