import FlowDiagnostics
import FlowIR
import FlowSyntax

/// Every name of the program, collected from all files before anything is
/// checked, since names are global to the program and may be used before
/// the declaration.
struct Environment {
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
  var templates: Set<String>
  /// The program's `limit`, which flows without their own inherit.
  var defaultLimit: FrequencyLimit?

  init(templates: Set<String>) {
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
