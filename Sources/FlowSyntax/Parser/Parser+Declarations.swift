import FlowDiagnostics

extension Parser {
  /// `file = { declaration } EOF`
  mutating func parseDeclarations() -> [DeclSyntax] {
    var decls: [DeclSyntax] = []
    while !atEnd {
      let before = index
      let problemsBefore = problemCount
      if let decl = parseDeclaration() { decls.append(decl) }
      // After a broken declaration, resynchronise on the next one.
      if problemCount > problemsBefore {
        if index == before, !atEnd { advance() }
        if !atDeclarationStart {
          recover(to: Self.topLevelStops)
          while at(.never), !atDeclarationStart {  // a `never` that starts nothing
            advance()
            recover(to: Self.topLevelStops)
          }
          if at(.rightBrace) {  // a stray '}' at top level
            expected(Self.expectedDeclaration)
            advance()
          }
        }
      }
      if index == before, !atEnd { advance() }  // progress, whatever happened
    }
    return decls
  }

  private mutating func parseDeclaration() -> DeclSyntax? {
    switch current.keyword {
    case .field where at(.word): return parseField().map(DeclSyntax.field)
    case .event where at(.word): return parseEvent().map(DeclSyntax.event)
    case .segment where at(.word): return parseSegment().map(DeclSyntax.segment)
    case .tag where at(.word): return parseTag().map(DeclSyntax.tag)
    case .flow where at(.word): return parseFlow().map(DeclSyntax.flow)
    case .limit where at(.word):
      let start = advance()
      return parseLimit().map { DeclSyntax.limit($0, span(from: start)) }
    case .merge where at(.word), .never where at(.word) && peek().keyword == .merge:
      return parseMergeRule().map(DeclSyntax.mergeRule)
    case .match where at(.word):
      let start = advance()
      for word in ["email", "ignoring", "plus", "addressing"] where !expectWord(word) {
        return nil
      }
      return .matchIgnoringPlusAddressing(span(from: start))
    case .identity where at(.word):
      let start = advance()
      return expectName("an identity kind name, such as 'pos_id'").map {
        DeclSyntax.identity($0, span(from: start))
      }
    default:
      expected(Self.expectedDeclaration)
      return nil
    }
  }

  /// True at a word that starts a declaration (`never` only before `merge`).
  private var atDeclarationStart: Bool {
    at(.word)
      && (Self.declarationKeywords.contains(current.keyword)
        || (current.keyword == .never && peek().keyword == .merge))
  }

  static let expectedDeclaration =
    "a declaration ('field', 'event', 'segment', 'tag', 'flow', 'limit', 'merge', 'match' or 'identity')"

  /// `[ 'never' ] 'merge' 'on' NAME { ',' NAME } [ 'unless' 'emails' 'differ' ]`;
  /// `never merge` takes no `unless`.
  private mutating func parseMergeRule() -> MergeRuleSyntax? {
    let start = current
    let never = at(.never)
    if never { advance() }
    advance()  // merge
    guard expect(.on) else { return nil }
    var kinds: [Name] = []
    repeat {
      if !kinds.isEmpty { advance() }  // ','
      guard let kind = expectName("an identity kind such as 'email', 'phone' or 'visitor'") else {
        return nil
      }
      kinds.append(kind)
    } while at(.comma)
    var policy: MergeRuleSyntax.Policy = never ? .never : .merge
    if !never, atWord("unless") {
      advance()
      guard expectWord("emails"), expectWord("differ") else { return nil }
      policy = .mergeUnlessEmailsDiffer
    }
    return MergeRuleSyntax(policy: policy, kinds: kinds, span: span(from: start))
  }

  /// `field NAME ':' type [ '=' primary ]`
  private mutating func parseField() -> FieldDeclSyntax? {
    let start = advance()
    guard let name = expectName("a field name") else { return nil }
    guard expect(.colon, "':' and a type") != nil else { return nil }
    let type = parseType()
    var defaultValue: ExprSyntax?
    if at(.equal) {
      advance()
      defaultValue = parsePrimary()
    }
    return FieldDeclSyntax(
      name: name, type: type, defaultValue: defaultValue, span: span(from: start))
  }

  /// `event NAME '{' [ NAME ':' type { ',' NAME ':' type } [','] ] '}'`
  private mutating func parseEvent() -> EventDeclSyntax? {
    let start = advance()
    guard let name = expectName("an event name") else { return nil }
    guard expect(.leftBrace, "'{'") != nil else { return nil }
    var fields: [EventDeclSyntax.Field] = []
    while !at(.rightBrace), !atEnd {
      let before = index
      // Field names may be keywords (`flow: string`): the colon disambiguates.
      guard at(.word) else {
        expected("a field name or '}'")
        break
      }
      let token = advance()
      let fieldName = Name(text: text(token), span: span(token))
      guard expect(.colon, "':' and a type") != nil else { break }
      fields.append(.init(name: fieldName, type: parseType()))
      if at(.comma) {
        advance()
      } else if !at(.rightBrace) {
        expected("',' or '}'")
        break
      }
      if index == before { break }
    }
    guard expect(.rightBrace, "'}'") != nil else { return nil }
    return EventDeclSyntax(name: name, fields: fields, span: span(from: start))
  }

  /// `segment NAME '=' expr`
  private mutating func parseSegment() -> SegmentDeclSyntax? {
    let start = advance()
    guard let name = expectName("a segment name") else { return nil }
    guard expect(.equal, "'='") != nil else { return nil }
    let predicate = parseExpression()
    return SegmentDeclSyntax(name: name, predicate: predicate, span: span(from: start))
  }

  /// `tag STRING 'when' expr`
  private mutating func parseTag() -> TagDeclSyntax? {
    let start = advance()
    guard at(.string) else {
      expected("a tag string such as \"tier:vip\"")
      return nil
    }
    let tag = parseString()
    guard expect(.when) else { return nil }
    let predicate = parseExpression()
    return TagDeclSyntax(tag: tag, predicate: predicate, span: span(from: start))
  }

  /// `type = ( 'list' '<' type '>' | NAME ) [ '?' ]`
  mutating func parseType() -> TypeSyntax {
    let start = current
    var kind = TypeSyntax.Kind.missing
    if at(.word), current.keyword == .none {
      let token = advance()
      if text(token) == "list", at(.less) {
        advance()
        if enterNesting() {
          kind = .list(parseType())
        }
        leaveNesting()
        expect(.greater, "'>'")
      } else {
        kind = .named(Name(text: text(token), span: span(token)))
      }
    } else {
      expected("a type")
    }
    var isOptional = false
    if at(.question) {
      advance()
      isOptional = true
    }
    return TypeSyntax(kind: kind, isOptional: isOptional, span: span(from: start))
  }

  /// After `limit`: `NUMBER ('emails' | 'email') 'per' DURATION` or `'none'`.
  mutating func parseLimit() -> LimitSyntax? {
    if atWord("none") { return .none(span(advance())) }
    guard at(.number) else {
      expected("a number of emails, as in 'limit 3 emails per 7d', or 'none'")
      return nil
    }
    let token = advance()
    let count = parseInteger(token.start, token.end)
    if atWord("email") { advance() } else if !expectWord("emails") { return nil }
    guard expectWord("per"), let window = parseDuration() else { return nil }
    return .cap(count: count, countSpan: span(token), per: window)
  }
}
