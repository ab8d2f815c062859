import Foundation
import Mail
import Templates

// W6 and issue 4's render benchmark: the reference template for N members,
// parsed once. Usage: render-bench TEMPLATE N OUT [--mime]
// Writes every render to OUT (each followed by a NUL byte, as the Python
// baseline does) and prints renders (or messages) per second; only the loop
// is timed. With --mime each render also becomes a complete
// multipart/alternative message (text part derived from the HTML).

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[2]) else {
  FileHandle.standardError.write(Data("usage: render-bench TEMPLATE N OUT [--mime]\n".utf8))
  exit(2)
}
let buildMIME = arguments.dropFirst(4).contains("--mime")
let source = try String(contentsOfFile: arguments[1], encoding: .utf8)
let template = try Template(source: source, name: "email.liquid")

let firstNames = ["alice", "bob", "", "dora", "erik"]
let products: TemplateValue = .array(
  (1...5).map { k in
    .object([
      "slug": .string("prod-\(k)"), "title": .string("Product <\(k)> & co"),
      "price": .double(19.99 + Double(k)),
    ])
  })
let offer: TemplateValue = .object(["discount": .int(15), "code": .string("spring24")])

func member(_ i: Int) -> TemplateValue {
  let day = 1 + i % 28
  return .object([
    "id": .int(i), "first_name": .string(firstNames[i % 5]), "total_spent": .int((i * 37) % 1000),
    "last_order_at": .string("2024-03-\(day < 10 ? "0" : "")\(day)"),
    "token": .string("tok" + String(repeating: "0", count: 8 - String(i, radix: 16).count)
      + String(i, radix: 16)),
  ])
}

var outputs: [String] = []
outputs.reserveCapacity(count)
var messageBytes = 0
let start = ContinuousClock.now
for i in 0..<count {
  let html = try template.render(["member": member(i), "offer": offer, "products": products])
  if buildMIME {
    let message = MailMessage(
      from: MailAddress(email: "shop@example.com", displayName: "Example Shop"),
      to: MailAddress(email: "member\(i)@example.com"), subject: "Spring offer", html: html,
      date: 1_711_000_000, messageID: "m\(i)@example.com",
      listUnsubscribeURL: "https://shop.example.com/u/\(i)",
      listUnsubscribeMailto: "unsubscribe@example.com?subject=\(i)")
    messageBytes += MIMEWriter.render(message, boundary: "b\(i)").count
  }
  outputs.append(html)
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
var data = Data()
for output in outputs {
  data.append(contentsOf: Array(output.utf8))
  data.append(0)
}
try data.write(to: URL(fileURLWithPath: arguments[3]))
print(String(format: "%.0f", Double(count) / seconds))
