import Foundation
import Templates

// Literal conformances keep test contexts readable; the library does not export them, to
// keep its public surface to what the runtime needs.
extension TemplateValue: ExpressibleByStringLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
  }
  public init(nilLiteral: ()) { self = .null }
}

/// Parses and renders `source` in one step.
func render(
  _ source: String, _ context: [String: TemplateValue] = [:],
  options: RenderOptions = RenderOptions()
) throws -> String {
  try Template(source: source, name: "test.liquid").render(context, options: options)
}

/// The error thrown while parsing or rendering `source`, or nil if it succeeded.
func renderError(
  _ source: String, _ context: [String: TemplateValue] = [:],
  options: RenderOptions = RenderOptions(), name: String = "test.liquid"
) -> TemplateError? {
  do {
    _ = try Template(source: source, name: name).render(context, options: options)
    return nil
  } catch {
    return error
  }
}
