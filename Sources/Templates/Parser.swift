/// Builds the node tree from tokens. Each block tag parses its body up to one of its
/// delimiter tags (`elsif`, `else`, `endif` ...), so nesting errors are reported at the tag
/// that opened the block.
struct Parser {
  private let bytes: [UInt8]
  private let tokens: [Token]
  private var index = 0
  /// How many blocks enclose the current position; bounded so a hostile
  /// template cannot exhaust the stack.
  private var depth = 0
  static let maxDepth = 100

  init(bytes: [UInt8], tokens: [Token]) {
    self.bytes = bytes
    self.tokens = tokens
  }

  /// Parses all tokens; a stray end tag or an unclosed block is an error.
  mutating func parseDocument() throws(Failure) -> [Node] {
    let (nodes, stop) = try parseBody(until: [])
    if let stop { throw Failure("unexpected tag '\(stop.name)'", at: stop.start) }
    return nodes
  }

  /// Parses nodes until a tag named in `delimiters` (returned) or the end of input (nil).
  private mutating func parseBody(until delimiters: Set<String>) throws(Failure) -> ([Node], Token?)
  {
    var nodes: [Node] = []
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      switch token.kind {
      case .text:
        nodes.append(.text(String(decoding: bytes[token.body], as: UTF8.self)))
      case .output:
        var parser = try ExpressionParser(bytes, token.body)
        let expression = try parser.parseFiltered()
        try parser.expectEnd()
        nodes.append(.output(expression, at: token.start))
      case .tag:
        if delimiters.contains(token.name) { return (nodes, token) }
        if let node = try parseTag(token) { nodes.append(node) }
      }
    }
    return (nodes, nil)
  }

  /// Parses a block body that must end with one of `delimiters`.
  private mutating func parseBlock(_ opener: Token, until delimiters: Set<String>) throws(Failure)
    -> ([Node], Token)
  {
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maxDepth {
      throw Failure("blocks are nested more than \(Self.maxDepth) deep", at: opener.start)
    }
    let (nodes, stop) = try parseBody(until: delimiters)
    guard let stop else {
      throw Failure("'\(opener.name)' tag was never closed", at: opener.start)
    }
    return (nodes, stop)
  }

  private mutating func parseTag(_ token: Token) throws(Failure) -> Node? {
    switch token.name {
    case "if", "unless": return try parseConditional(token)
    case "for", "tablerow": return try parseFor(token)
    case "case": return try parseCase(token)
    case "assign": return try parseAssign(token)
    case "capture":
      var parser = try ExpressionParser(bytes, token.body)
      let name = try parseVariableName(&parser)
      try parser.expectEnd()
      let (body, _) = try parseBlock(token, until: ["endcapture"])
      return .capture(name, Parser.removingBlankText(body))
    case "echo":
      var parser = try ExpressionParser(bytes, token.body)
      let expression = try parser.parseFiltered()
      try parser.expectEnd()
      return .output(expression, at: token.start)
    case "comment":
      try skipComment(token)
      return nil
    case "doc":
      // The lexer turned the body into one text token followed by `enddoc`.
      try ExpressionParser(bytes, token.body).expectEnd()
      _ = try parseBlock(token, until: ["enddoc"])
      return nil
    case "#":
      // Every line of a multi-line inline comment must start with `#`.
      var lineStart = false
      for i in token.body {
        let b = bytes[i]
        if b == UInt8(ascii: "\n") {
          lineStart = true
        } else if lineStart && !Lexer.isSpace(b) {
          guard b == UInt8(ascii: "#") else {
            throw Failure("every line of an inline comment must start with '#'", at: token.start)
          }
          lineStart = false
        }
      }
      return nil
    case "raw":
      // The lexer turned the body into a text token followed by `endraw`.
      let (body, _) = try parseBlock(token, until: ["endraw"])
      return .sequence(body)
    case "cycle": return try parseCycle(token)
    case "increment", "decrement":
      var parser = try ExpressionParser(bytes, token.body)
      let name = try parseVariableName(&parser)
      try parser.expectEnd()
      return token.name == "increment" ? .increment(name) : .decrement(name)
    case "break", "continue":
      try ExpressionParser(bytes, token.body).expectEnd()
      return token.name == "break" ? .breakLoop : .continueLoop
    case "ifchanged":
      let (body, _) = try parseBlock(token, until: ["endifchanged"])
      return .ifChanged(body)
    case "liquid": return try parseLiquidTag(token)
    case "render", "include": return try parsePartial(token)
    default:
      throw Failure("unknown tag '\(token.name)'", at: token.start)
    }
  }

  private mutating func parseConditional(_ token: Token) throws(Failure) -> Node {
    let end = token.name == "if" ? "endif" : "endunless"
    var node = ConditionalNode(
      branches: [], elseBody: [], negatesFirst: token.name == "unless", at: token.start)
    var header = token
    while true {
      var parser = try ExpressionParser(bytes, header.body)
      let condition = try parser.parseCondition()
      try parser.expectEnd()
      let (body, stop) = try parseBlock(token, until: ["elsif", "else", end])
      node.branches.append((condition, body))
      if stop.name == "elsif" {
        header = stop
        continue
      }
      if stop.name == "else" {
        // Ruby Liquid ignores anything after the first `else`, including more branches.
        var (elseBody, next) = try parseBlock(token, until: [end, "else", "elsif"])
        node.elseBody = elseBody
        while next.name != end { (_, next) = try parseBlock(token, until: [end, "else", "elsif"]) }
      }
      // Whitespace is dropped only when every branch is blank, as in Ruby Liquid.
      if Node.conditional(node).isBlank {
        node.elseBody = Parser.removingBlankText(node.elseBody)
        for n in node.branches.indices {
          node.branches[n].body = Parser.removingBlankText(node.branches[n].body)
        }
      }
      return .conditional(node)
    }
  }

  private mutating func parseFor(_ token: Token) throws(Failure) -> Node {
    var parser = try ExpressionParser(bytes, token.body)
    let variable = try parseVariableName(&parser, allowQuestionMark: true)
    guard parser.accept(.identifier, "in") else {
      throw Failure(
        "expected 'in' in '\(token.name)' tag (syntax: \(token.name) item in collection)",
        at: token.start)
    }
    let collectionStart = parser.current.range.lowerBound
    let collection = try parser.parseExpression()
    let collectionText = String(
      decoding: bytes[collectionStart..<parser.current.range.lowerBound], as: UTF8.self)
    var node = ForNode(
      variable: variable, collection: collection, limit: nil, offset: nil,
      offsetContinues: false, reversed: false, columns: nil, body: [], elseBody: [],
      key: "\(variable)-\(collectionText.trimmingSpaces)", at: token.start)
    // Options may be separated by commas and come in any order.
    while !parser.atEnd {
      if parser.accept(.comma) { continue }
      let option = try parser.expect(.identifier, "'limit', 'offset' or 'reversed'")
      switch option.text {
      case "reversed" where token.name == "for": node.reversed = true
      case "limit", "offset", "cols":
        _ = try parser.expect(.colon, "':' after '\(option.text)'")
        if option.text == "offset" && parser.accept(.identifier, "continue") {
          node.offsetContinues = true
          continue
        }
        let value = try parser.parseExpression()
        switch option.text {
        case "limit": node.limit = value
        case "offset": node.offset = value
        default: node.columns = value
        }
      default:
        throw Failure(
          "unknown option '\(option.text)' in '\(token.name)' tag", at: option.range.lowerBound)
      }
    }
    if token.name == "tablerow" {
      (node.body, _) = try parseBlock(token, until: ["endtablerow"])
      node.body = Parser.removingBlankText(node.body)
      return .tableRow(node)
    }
    let (body, stop) = try parseBlock(token, until: ["else", "endfor"])
    node.body = body
    if stop.name == "else" {
      (node.elseBody, _) = try parseBlock(token, until: ["endfor"])
    }
    if Node.loop(node).isBlank {
      node.body = Parser.removingBlankText(node.body)
      node.elseBody = Parser.removingBlankText(node.elseBody)
    }
    return .loop(node)
  }

  private mutating func parseCase(_ token: Token) throws(Failure) -> Node {
    var parser = try ExpressionParser(bytes, token.body)
    let subject = try parser.parseExpression()
    try parser.expectEnd()
    var node = CaseNode(subject: subject, blocks: [], at: token.start)
    // Anything between `case` and the first `when` is ignored, as in Ruby Liquid.
    var (_, stop) = try parseBlock(token, until: ["when", "else", "endcase"])
    while stop.name != "endcase" {
      let (body, next) = try parseBlock(token, until: ["when", "else", "endcase"])
      if stop.name == "when" {
        var values: [Expression] = []
        var whenParser = try ExpressionParser(bytes, stop.body)
        repeat {
          values.append(try whenParser.parseExpression())
        } while whenParser.accept(.comma) || whenParser.accept(.identifier, "or")
        try whenParser.expectEnd()
        node.blocks.append(.when(values, body))
      } else {
        node.blocks.append(.otherwise(body))
      }
      stop = next
    }
    if Node.caseBlock(node).isBlank {
      node.blocks = node.blocks.map {
        switch $0 {
        case .when(let values, let body): return .when(values, Parser.removingBlankText(body))
        case .otherwise(let body): return .otherwise(Parser.removingBlankText(body))
        }
      }
    }
    return .caseBlock(node)
  }

  private mutating func parseAssign(_ token: Token) throws(Failure) -> Node {
    var parser = try ExpressionParser(bytes, token.body)
    let name = try parseVariableName(&parser)
    _ = try parser.expect(.equals, "'=' in 'assign' tag")
    let value = try parser.parseFiltered()
    try parser.expectEnd()
    return .assign(name, value, at: token.start)
  }

  private mutating func parseCycle(_ token: Token) throws(Failure) -> Node {
    var parser = try ExpressionParser(bytes, token.body)
    var group: Expression?
    var values: [Expression] = [try parser.parseExpression()]
    if parser.accept(.colon) {
      group = values[0]
      values = [try parser.parseExpression()]
    }
    while parser.accept(.comma) { values.append(try parser.parseExpression()) }
    try parser.expectEnd()
    // Unnamed cycles with the same values share a counter, as in Ruby Liquid.
    let key = String(decoding: bytes[token.body], as: UTF8.self)
    return .cycle(key: group == nil ? key : "", group: group, values: values, at: token.start)
  }

  private mutating func parsePartial(_ token: Token) throws(Failure) -> Node {
    var parser = try ExpressionParser(bytes, token.body)
    let isolated = token.name == "render"
    let name = try parser.parseExpression()
    if isolated, case .literal(.string) = name {
    } else if isolated {
      throw Failure("'render' needs a quoted template name", at: token.start)
    }
    var node = PartialNode(
      isolated: isolated, name: name, value: nil, iterates: false, alias: nil, arguments: [],
      at: token.start)
    if parser.accept(.identifier, "with") {
      node.value = try parser.parseExpression()
    } else if parser.accept(.identifier, "for") {
      node.value = try parser.parseExpression()
      node.iterates = true
    }
    if parser.accept(.identifier, "as") {
      node.alias = try parser.expect(.identifier, "a name after 'as'").text
    }
    while !parser.atEnd {
      _ = parser.accept(.comma)
      let key = try parser.expect(.identifier, "an argument name")
      _ = try parser.expect(.colon, "':' after '\(key.text)'")
      node.arguments.append((key.text, try parser.parseExpression()))
    }
    return .partial(node)
  }

  /// `{% liquid %}`: one tag per line, without delimiters.
  private mutating func parseLiquidTag(_ token: Token) throws(Failure) -> Node? {
    var lineTokens: [Token] = []
    var lineStart = token.body.lowerBound
    var i = lineStart
    while i <= token.body.upperBound {
      if i == token.body.upperBound || bytes[i] == UInt8(ascii: "\n") {
        let (name, markup) = Lexer.splitTag(bytes, lineStart..<i)
        if !name.isEmpty {
          // An `echo` line is the tag form of output, like `{% echo x %}`.
          lineTokens.append(Token(kind: .tag, start: lineStart, body: markup, name: name))
        } else if markup.contains(where: { !Lexer.isSpace(bytes[$0]) }) {
          throw Failure("expected a tag name in 'liquid' tag", at: lineStart)
        }
        lineStart = i + 1
      }
      i += 1
    }
    var inner = Parser(bytes: bytes, tokens: lineTokens)
    return .sequence(try inner.parseDocument())
  }

  /// Skips to the matching `endcomment`/`enddoc`; nested comments must balance.
  private mutating func skipComment(_ opener: Token) throws(Failure) {
    var depth = 1
    let end = "end" + opener.name
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      guard token.kind == .tag else { continue }
      if token.name == opener.name {
        depth += 1
      } else if token.name == end {
        depth -= 1
        if depth == 0 { return }
      }
    }
    throw Failure("'\(opener.name)' tag was never closed", at: opener.start)
  }

  /// A name for `assign`, `capture`, `for`, `increment`: an identifier or, leniently, digits.
  private func parseVariableName(_ parser: inout ExpressionParser, allowQuestionMark: Bool = false)
    throws(Failure) -> String
  {
    let token = parser.current
    guard token.kind == .identifier || token.kind == .integer || token.kind == .string else {
      throw parser.unexpected(expected: "a variable name")
    }
    if token.kind == .identifier && token.text.hasSuffix("?") && !allowQuestionMark {
      throw Failure("variable name '\(token.text)' cannot end in '?'", at: token.range.lowerBound)
    }
    _ = parser.advance()
    return token.text
  }

  /// Ruby Liquid renders nothing for a block body made only of whitespace and silent tags
  /// (`assign`, `capture`, comments, blank nested blocks), so templates can be laid out
  /// freely without leaking blank lines into emails.
  static func removingBlankText(_ nodes: [Node]) -> [Node] {
    guard nodes.allSatisfy(\.isBlank) else { return nodes }
    return nodes.filter { if case .text = $0 { return false } else { return true } }
  }
}

extension Node {
  /// Whether the node renders no visible output by construction.
  var isBlank: Bool {
    switch self {
    case .text(let text): return text.utf8.allSatisfy(Lexer.isSpace)
    case .assign, .capture, .breakLoop, .continueLoop: return true
    case .sequence(let nodes): return nodes.allSatisfy(\.isBlank)
    case .conditional(let node):
      return node.branches.allSatisfy { $0.body.allSatisfy(\.isBlank) }
        && node.elseBody.allSatisfy(\.isBlank)
    case .loop(let node):
      return node.body.allSatisfy(\.isBlank) && node.elseBody.allSatisfy(\.isBlank)
    case .caseBlock(let node):
      return node.blocks.allSatisfy {
        switch $0 {
        case .when(_, let body), .otherwise(let body): return body.allSatisfy(\.isBlank)
        }
      }
    default: return false
    }
  }
}
