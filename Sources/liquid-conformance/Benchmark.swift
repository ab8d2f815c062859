import Foundation
import Templates

/// `liquid-conformance --bench`: renders a small membership email repeatedly on one thread
/// and prints renders per second, to catch regressions in the render hot path.
func runBenchmark() throws {
  let source = """
    <p>Hi {{ member.first_name | default: "there" | capitalize }},</p>
    {% if member.tier == "gold" and member.points > 100 %}
    <p>You have {{ member.points }} points, worth {{ member.points | times: 5 | money }}.</p>
    {% elsif member.tier == "silver" %}<p>Silver perks await.</p>{% else %}<p>Welcome!</p>{% endif %}
    <ul>{% for item in cart.items limit: 5 %}
      <li>{{ forloop.index }}. {{ item.title | escape }} — {{ item.price | money }}</li>{% endfor %}
    </ul>
    <p>Joined {{ member.joined_at | date: "%B %-d, %Y" }}. {{ shop.name | upcase }}</p>
    """
  let template = try Template(source: source, name: "bench.liquid")
  let context: [String: TemplateValue] = [
    "member": .object([
      "first_name": .string("ada"), "tier": .string("gold"), "points": .int(420),
      "joined_at": .string("2021-06-01T09:30:00Z"),
    ]),
    "cart": .object([
      "items": .array(
        (1...3).map { .object(["title": .string("Item <\($0)>"), "price": .int($0 * 1250)]) })
    ]),
    "shop": .object(["name": .string("Acme")]),
  ]
  let iterations = 200_000
  var bytes = 0
  let start = Date()
  for _ in 0..<iterations {
    bytes &+= try template.render(context).utf8.count
  }
  let seconds = Date().timeIntervalSince(start)
  print("\(Int(Double(iterations) / seconds)) renders/s (\(bytes / iterations) bytes each)")
}
