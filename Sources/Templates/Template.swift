/// A parsed Liquid template, ready to render many times.
///
/// Parsing happens once in `init`; `render` walks the immutable node tree, so one `Template`
/// can be shared across threads and renders.
public struct Template: Sendable {
  /// Name used in error messages, e.g. "welcome.html.liquid".
  public let name: String
  let source: [UInt8]
  let nodes: [Node]

  /// Parses `source`; throws the first syntax error, located by line and column.
  public init(source: String, name: String) throws(TemplateError) {
    self.name = name
    self.source = Array(source.utf8)
    do {
      let tokens = try Lexer.tokenize(self.source)
      var parser = Parser(bytes: self.source, tokens: tokens)
      nodes = try parser.parseDocument()
    } catch {
      throw TemplateError(error, source: self.source, name: name)
    }
  }

  /// Renders with `context` as the global variables.
  ///
  /// Throws on errors Liquid cannot render past (a failing filter, an undefined variable in
  /// strict mode) and when the output or step limits in `options` are exceeded.
  public func render(_ context: [String: TemplateValue], options: RenderOptions = RenderOptions())
    throws(TemplateError) -> String
  {
    var renderer = Renderer(environment: context, options: options)
    do {
      _ = try renderer.render(nodes)
    } catch {
      throw TemplateError(error, source: source, name: name)
    }
    return renderer.output
  }
}
