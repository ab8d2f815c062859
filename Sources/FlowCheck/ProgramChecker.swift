import FlowDiagnostics
import FlowIR
import FlowSyntax

/// Collects the declarations of all files, checks them and builds the `Program`.
struct ProgramChecker {
  let templates: [String: TemplateSummary]

  func check(_ files: [FileSyntax], _ problems: inout [CheckProblem]) -> Program {
    var env = Environment(templates: templates)
    var fieldSpans: [String: Span] = [:]
    var eventSpans: [String: Span] = [:]
    var segmentSpans: [String: Span] = [:]
    var tagSpans: [String: Span] = [:]
    var flowSpans: [String: Span] = [:]
    var tags: [TagDeclSyntax] = []
    var flows: [FlowDeclSyntax] = []
    var declaredEvents: [EventDecl] = []
    var limitSpan: Span?

    // Pass 1: every name, from every file, before any use is checked.
    for file in files {
      for decl in file.decls {
        switch decl {
        case .field(let field):
          let name = field.name.text
          if Builtins.memberFields[name] != nil {
            problems.append(
              .duplicateDeclaration(kind: "field", name: name, field.name.span, first: nil))
          } else if let first = fieldSpans[name] {
            problems.append(
              .duplicateDeclaration(kind: "field", name: name, field.name.span, first: first))
          } else if let type = Environment.resolve(field.type, &problems) {
            fieldSpans[name] = field.name.span
            env.memberFields[name] = type
            env.fieldSyntax.append(field)
          }
        case .event(let event):
          let name = event.name.text
          if Builtins.events.contains(where: { $0.name == name }) {
            problems.append(
              .duplicateDeclaration(kind: "event", name: name, event.name.span, first: nil))
            continue
          }
          if let first = eventSpans[name] {
            problems.append(
              .duplicateDeclaration(kind: "event", name: name, event.name.span, first: first))
            continue
          }
          eventSpans[name] = event.name.span
          var fields: [EventField] = []
          var fieldFirst: [String: Span] = [:]
          for field in event.fields {
            if let first = fieldFirst[field.name.text] {
              problems.append(
                .duplicateDeclaration(
                  kind: "event field", name: field.name.text, field.name.span, first: first))
              continue
            }
            fieldFirst[field.name.text] = field.name.span
            if let type = Environment.resolve(field.type, &problems) {
              fields.append(EventField(name: field.name.text, type: type))
            }
          }
          declaredEvents.append(EventDecl(name: name, fields: fields))
          env.eventFields[name] = Dictionary(fields.map { ($0.name, $0.type) }) { a, _ in a }
        case .segment(let segment):
          let name = segment.name.text
          if let first = segmentSpans[name] {
            problems.append(
              .duplicateDeclaration(kind: "segment", name: name, segment.name.span, first: first))
          } else {
            segmentSpans[name] = segment.name.span
            env.segments[name] = segment
            env.segmentOrder.append(segment)
          }
        case .tag(let tag):
          if let first = tagSpans[tag.tag.value] {
            problems.append(
              .duplicateDeclaration(kind: "tag", name: tag.tag.value, tag.tag.span, first: first))
          } else {
            tagSpans[tag.tag.value] = tag.tag.span
            tags.append(tag)
          }
        case .flow(let flow):
          if let first = flowSpans[flow.name.text] {
            problems.append(.duplicateFlow(flow.name.text, flow.name.span, first: first))
          } else {
            flowSpans[flow.name.text] = flow.name.span
            flows.append(flow)
          }
        case .limit(let limit, let span):
          if let first = limitSpan {
            problems.append(.duplicateClause(clause: "limit", span, first: first))
          } else {
            limitSpan = span
            env.defaultLimit = ExpressionChecker.limit(limit, &problems)
          }
        case .mergeRule, .matchIgnoringPlusAddressing, .identity:
          continue  // IdentityRulesChecker's
        }
      }
    }
    env.events = Builtins.events + declaredEvents

    // Pass 2: check uses.
    let checker = ExpressionChecker(env: env)
    var program = Program(events: env.events)
    program.fields = env.fieldSyntax.compactMap { fieldDecl($0, env, &problems) }
    program.identity = IdentityRulesChecker.check(files, &problems)

    let outside = ExprScope(trigger: .notInFlow, event: nil)
    var predicates: [String: Expr] = [:]
    for segment in env.segmentOrder {
      predicates[segment.name.text] = checker.condition(
        segment.predicate, "segment '\(segment.name.text)'", outside, &problems)
    }
    for name in SegmentOrder.sort(env.segmentOrder, &problems) {
      if let predicate = predicates[name] {
        program.segments.append(SegmentDecl(name: name, predicate: predicate))
      }
    }
    for tag in tags {
      if let predicate = checker.condition(
        tag.predicate, "the 'when' condition", outside, &problems)
      {
        program.tags.append(TagDecl(tag: tag.tag.value, predicate: predicate))
      }
    }
    let flowChecker = FlowChecker(env: env)
    let checked = concurrentMap(flows) { flow in
      var found: [CheckProblem] = []
      return (flow: flowChecker.check(flow, &found), problems: found)
    }
    program.flows = checked.map(\.flow)
    problems += checked.flatMap(\.problems)
    Self.reportSharedTemplatesOnce(&problems)
    return program
  }

  /// A declared field with its default checked against its type.
  private func fieldDecl(
    _ syntax: FieldDeclSyntax, _ env: Environment, _ problems: inout [CheckProblem]
  )
    -> FieldDecl?
  {
    guard let type = env.memberFields[syntax.name.text] else { return nil }
    var decl = FieldDecl(name: syntax.name.text, type: type)
    guard let value = syntax.defaultValue else { return decl }
    guard case .literal(let literal) = value.kind else {
      if value.kind != .missing {
        problems.append(
          .badFieldDefault(field: syntax.name.text, expected: type, found: nil, value.span))
      }
      return decl
    }
    guard let typed = ExpressionChecker.literal(literal, &problems),
      case .literal(let constant) = typed.expr
    else { return decl }
    guard typed.type == type.base else {
      problems.append(
        .badFieldDefault(field: syntax.name.text, expected: type, found: typed.type, value.span))
      return decl
    }
    decl.defaultValue = constant
    return decl
  }

  /// A template used by several sends has each wrong read reported once, with
  /// the first send that uses it: the fix is in the template.
  private static func reportSharedTemplatesOnce(_ problems: inout [CheckProblem]) {
    var seen: Set<[AnyHashable]> = []
    problems.removeAll {
      guard case .unsuppliedTemplateVariable(_, _, let problem, let span, _) = $0 else {
        return false
      }
      return !seen.insert([problem, span]).inserted
    }
  }
}
