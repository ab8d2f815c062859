import FlowDiagnostics
import FlowIR
import FlowSyntax
import Synchronization
import Templates

/// Every name of the program, collected from all files before anything is
/// checked, since names are global to the program and may be used before
/// the declaration.
struct Environment: Sendable {
  /// Member field types by path (built-in and declared).
  var memberFields: [String: ValueType] = Builtins.memberFields
  /// Event field types by event name, then field name.
  var eventFields: [String: [String: ValueType]] = [:]
  /// Events in program order (built-ins first).
  var events: [EventDecl] = Builtins.events
  /// Where each declared name was first declared, per kind, for duplicates.
  var segments: [String: SegmentDeclSyntax] = [:]
  var segmentOrder: [SegmentDeclSyntax] = []
  var fields: [FieldDecl] = []
  var fieldSyntax: [FieldDeclSyntax] = []
  /// The templates that exist, by base name (`welcome`).
  var templates: [String: TemplateSummary]
  /// The program's `limit`, which flows without their own inherit.
  var defaultLimit: FrequencyLimit?

  /// Subject lines parsed so far: programs reuse a handful of subjects
  /// across thousands of sends, and each is parsed once.
  let subjects = SubjectCache()

  init(templates: [String: TemplateSummary]) {
    self.templates = templates
    for event in Builtins.events {
      eventFields[event.name] = Dictionary(event.fields.map { ($0.name, $0.type) }) { a, _ in a }
    }
  }

  /// The names that `type` may be (for did-you-mean on unknown types).
  static let typeNames = ["string", "number", "money", "bool", "date", "timestamp", "item"]

  /// Resolves a written type, reporting unknown names.
  static func resolve(_ type: TypeSyntax, _ problems: inout [CheckProblem]) -> ValueType? {
    let resolved: ValueType?
    switch type.kind {
    case .missing: resolved = nil
    case .list(let element): resolved = resolve(element, &problems).map(ValueType.list)
    case .named(let name):
      switch name.text {
      case "string": resolved = .string
      case "number": resolved = .number
      case "money": resolved = .money
      case "bool": resolved = .bool
      case "date": resolved = .date
      case "timestamp": resolved = .timestamp
      case _ where Builtins.records[name.text] != nil: resolved = .record(name.text)
      default:
        problems.append(.unknownType(name.text, name.span, candidates: typeNames))
        resolved = nil
      }
    }
    guard let resolved else { return nil }
    return type.isOptional ? .optional(resolved) : resolved
  }
}

/// Liquid subject lines by text, parsed once per program check (flows are
/// checked on several threads, hence the lock).
final class SubjectCache: Sendable {
  private let parsed = Mutex<[String: Result<[VariableReference], TemplateError>]>([:])

  /// The variables `subject` reads, or its Liquid syntax error.
  func variables(of subject: String) -> Result<[VariableReference], TemplateError> {
    if let known = parsed.withLock({ $0[subject] }) { return known }
    let result = Result { () throws(TemplateError) in
      try Template(source: subject, name: "subject").freeVariables
    }
    parsed.withLock { $0[subject] = result }
    return result
  }
}
