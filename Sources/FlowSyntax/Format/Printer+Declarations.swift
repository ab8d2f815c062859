import FlowDiagnostics

extension Printer {
  /// Event schemas longer than this go one field per line.
  static let maxLineLength = 100

  mutating func printFile(_ file: FileSyntax) {
    let decls = file.decls
    var index = 0
    while index < decls.count {
      switch decls[index] {
      case .segment, .tag:
        let run = alignedRun(decls, from: index)
        printAligned(decls[run])
        index = run.upperBound
        continue
      case .field(let field):
        var text = "field \(field.name.text): \(typeText(field.type))"
        if let value = field.defaultValue { text += " = " + expression(value, .primary) }
        line(text, from: field.span.start, to: field.span.end)
      case .event(let event): printEvent(event)
      case .limit(let limit, let span):
        line("limit " + limitText(limit), from: span.start, to: span.end)
      case .flow(let flow): printFlow(flow)
      case .mergeRule(let rule):
        line(mergeRuleText(rule), from: rule.span.start, to: rule.span.end)
      case .matchIgnoringPlusAddressing(let span):
        line("match email ignoring plus addressing", from: span.start, to: span.end)
      case .identity(let name, let span):
        line("identity " + name.text, from: span.start, to: span.end)
      }
      index += 1
    }
    finish()
  }

  /// The run of `segment`s (or of `tag`s) starting at `start` with no blank
  /// line between them: their `=` (or `when`) line up.
  private func alignedRun(_ decls: [DeclSyntax], from start: Int) -> Range<Int> {
    var end = start + 1
    while end < decls.count, decls[end].isSegment == decls[start].isSegment,
      decls[end].isSegment || decls[end].isTag,
      !hasBlankLine(decls[end - 1].span.end, decls[end].span.start)
    {
      end += 1
    }
    return start..<end
  }

  private mutating func printAligned(_ run: ArraySlice<DeclSyntax>) {
    let heads = run.map { decl -> String in
      switch decl {
      case .segment(let segment): "segment " + segment.name.text
      case .tag(let tag): "tag " + quoted(tag.tag.value)
      default: ""
      }
    }
    let width = heads.map(\.count).max() ?? 0
    for (decl, head) in zip(run, heads) {
      let padded = head + String(repeating: " ", count: width - head.count)
      switch decl {
      case .segment(let segment):
        line(
          padded + " = " + expression(segment.predicate, .or), from: segment.span.start,
          to: segment.span.end)
      case .tag(let tag):
        line(
          padded + " when " + expression(tag.predicate, .or), from: tag.span.start,
          to: tag.span.end)
      default: break
      }
    }
  }

  /// `event NAME { f: T, ... }` on one line when it fits and holds no
  /// comment between its braces; else one field per line, each with a trailing comma.
  private mutating func printEvent(_ event: EventDeclSyntax) {
    let fields = event.fields.map { "\($0.name.text): \(typeText($0.type))" }
    let head = "event \(event.name.text) {"
    let oneLine = fields.isEmpty ? head + "}" : head + " " + fields.joined(separator: ", ") + " }"
    let open = token(atOrAfter: event.name.span.end)
    // Comments before the `{` move above the declaration either way.
    let holdsComment = comments.contains {
      open.end <= $0.lowerBound && $0.lowerBound < event.span.end
    }
    if !holdsComment, oneLine.count <= Self.maxLineLength {
      line(oneLine, from: event.span.start, to: event.span.end)
      return
    }
    openingLine(head, from: event.span.start, to: open.end)
    for (field, text) in zip(event.fields, fields) {
      let after = token(atOrAfter: field.type.span.end)
      let end = after.kind == .comma ? after.end : field.type.span.end
      line(text + ",", from: field.name.span.start, to: end)
    }
    closingLine(at: token(atOrAfter: event.span.end - 1))
  }

  /// `merge on a, b`, `merge on a unless emails differ` or `never merge on a`.
  private func mergeRuleText(_ rule: MergeRuleSyntax) -> String {
    let kinds = rule.kinds.map(\.text).joined(separator: ", ")
    switch rule.policy {
    case .merge: return "merge on " + kinds
    case .mergeUnlessEmailsDiffer: return "merge on \(kinds) unless emails differ"
    case .never: return "never merge on " + kinds
    }
  }

  /// `3 emails per 7d` or `none`.
  func limitText(_ limit: LimitSyntax) -> String {
    switch limit {
    case .none: "none"
    case .cap(_, let countSpan, let per):
      "\(source(countSpan.start, countSpan.end)) emails per \(source(per.span.start, per.span.end))"
    }
  }
}

extension DeclSyntax {
  fileprivate var isSegment: Bool {
    if case .segment = self { true } else { false }
  }

  fileprivate var isTag: Bool {
    if case .tag = self { true } else { false }
  }

  /// The declaration's source range.
  var span: Span {
    switch self {
    case .field(let field): field.span
    case .event(let event): event.span
    case .segment(let segment): segment.span
    case .tag(let tag): tag.span
    case .flow(let flow): flow.span
    case .limit(_, let span): span
    case .mergeRule(let rule): rule.span
    case .matchIgnoringPlusAddressing(let span), .identity(_, let span): span
    }
  }
}
