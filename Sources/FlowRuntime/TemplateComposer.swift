import FlowIR
import Foundation
import Mail
import MemberStore
import Templates

/// Renders a send with Liquid and builds the MIME message.
///
/// Output is deterministic for a given instance and step: the Message-ID and
/// MIME boundary derive from the idempotency key and the Date header is the
/// (possibly virtual) send time, so a rerun after a crash rebuilds the same bytes.
struct TemplateComposer: MessageComposing {
  let library: TemplateLibrary
  let shop: ShopSettings
  /// Signs a payload into a link token (HMAC, supplied by the host).
  let signToken: @Sendable (String) -> String
  private let subjects: [String: Template]
  /// `shop.*` is the same for every send, so it is built once.
  private let shopObject: TemplateValue
  /// Set when the shop has a tracking URL.
  private let tracking: LinkTracking?

  init(
    library: TemplateLibrary, shop: ShopSettings, program: Program,
    signToken: @escaping @Sendable (String) -> String
  ) throws {
    self.library = library
    self.shop = shop
    self.signToken = signToken
    var subjects: [String: Template] = [:]
    for flow in program.flows {
      for step in flow.steps {
        guard case .send(let action) = step.action, subjects[action.subject] == nil else {
          continue
        }
        subjects[action.subject] = try Template(
          source: action.subject, name: "\(flow.name).\(step.name).subject")
      }
    }
    self.subjects = subjects
    tracking = shop.trackingURL.map { LinkTracking(baseURL: $0, sign: signToken) }
    shopObject = .object([
      "name": .string(shop.name), "url": .string(shop.url), "currency": .string(shop.currency),
      "email": .string(shop.fromEmail),
    ])
  }

  func compose(_ request: SendRequest) throws -> ComposedMessage {
    let member = request.member
    guard let entry = library.entry(request.action.template, locale: member.record.locale) else {
      throw TemplateMissing(name: request.action.template)
    }
    let token = signToken("u.\(member.record.id)")
    // On the tracking host when there is one: that is where the intake answers.
    let unsubscribeURL = "\(tracking?.baseURL ?? shop.url)/u/\(token)"
    let context = self.context(request, unsubscribeURL: unsubscribeURL)
    var options = RenderOptions()
    options.timeZone = member.calendar.zone
    options.now = request.now
    options.currency = shop.currency
    options.strictVariables = shop.strictVariables
    let subjectTemplate =
      try subjects[request.action.subject]
      ?? Template(source: request.action.subject, name: "\(request.flow).\(request.step).subject")
    let subject = try subjectTemplate.render(context, options: options)
    let (embedded, images) = InlineImages.embed(
      try entry.html.render(context, options: options), images: library.images)
    var html = embedded
    if let tracking {
      html = tracking.rewrite(
        html, memberID: member.record.id, instanceID: request.instanceID, step: request.step,
        keeping: [unsubscribeURL])
    }
    let text = try entry.text?.render(context, options: options)
    let digest = Self.hex(request.idempotencyKey)
    let name = [member.record.firstName, member.record.lastName].compactMap { $0 }
      .joined(separator: " ")
    var message = MailMessage(
      from: MailAddress(email: shop.fromEmail, displayName: shop.fromName),
      to: MailAddress(email: member.record.email, displayName: name.isEmpty ? nil : name),
      subject: subject, html: html, text: text, date: request.now,
      // The signed token is unique to this store's key, so two databases
      // never reuse an id for different mail.
      messageID:
        "\(Self.hex(signToken(request.idempotencyKey))).\(request.instanceID)@\(shop.mailDomain)",
      listUnsubscribeURL: unsubscribeURL,
      listUnsubscribeMailto: "unsubscribe@\(shop.mailDomain)?subject=\(token)",
      extraHeaders: [
        MailHeader("X-Flow", request.flow), MailHeader("X-Flow-Step", request.step),
      ])
    message.inlineImages = images
    return ComposedMessage(
      recipient: member.record.email, message: message,
      bytes: MIMEWriter.render(message, boundary: "flowc-\(digest)"))
  }

  private func context(_ request: SendRequest, unsubscribeURL: String) -> [String: TemplateValue] {
    let trigger = TemplateValue.json(request.trigger)
    return [
      "member": memberObject(request.member),
      "shop": shopObject,
      "trigger": trigger,
      "event": trigger,
      "flow": .object(["name": .string(request.flow), "step": .string(request.step)]),
      "unsubscribe_url": .string(unsubscribeURL),
      "recommendations": .array(request.recommendations.map(Self.productObject)),
    ]
  }

  /// A product as templates see it; the price in cents, like all money.
  private static func productObject(_ product: ProductRecord) -> TemplateValue {
    .object([
      "id": .string(product.id), "title": .string(product.title),
      "url": product.url.map(TemplateValue.string) ?? .null,
      "image": product.imageURL.map(TemplateValue.string) ?? .null,
      "price": product.priceCents.map { .int(Int($0)) } ?? .null,
      "currency": product.currency.map(TemplateValue.string) ?? .null,
      "tags": .array(product.tags.map(TemplateValue.string)),
    ])
  }

  private func memberObject(_ member: MemberView) -> TemplateValue {
    var object: [String: TemplateValue] = [:]
    for (name, value) in member.fields { object[name] = .init(value) }
    for path in Self.plainMemberFields {
      object[path] = .init(member.value(path, currency: shop.currency))
    }
    object["consent"] = .object(["email": .bool(member.mayEmail)])
    return .object(object)
  }

  /// Built-in member fields without a dot (`consent.email` is nested separately).
  private static let plainMemberFields = Builtins.memberFields.keys.filter {
    !$0.utf8.contains(UInt8(ascii: "."))
  }.sorted()

  /// 16 hex digits of FNV-1a: stable across runs and machines.
  static func hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

/// A send names a template the library does not have.
struct TemplateMissing: Error, CustomStringConvertible {
  var name: String
  var description: String { "no template '\(name).html.liquid'" }
}

extension TemplateValue {
  /// Liquid's view of a language value. Money is in cents, as Shopify's
  /// objects are, so `{{ member.total_spent | money }}` reads "$12.30".
  init(_ value: Value) {
    switch value {
    case .null: self = .null
    case .string(let s): self = .string(s)
    case .number(let n): self = n.rounded() == n && abs(n) < 1e15 ? .int(Int(n)) : .double(n)
    case .money(let m): self = .int(Int(m.cents))
    case .bool(let b): self = .bool(b)
    case .date(let d): self = .string(d.isoText)
    case .timestamp(let t): self = .string(Self.iso8601(t))
    case .duration(let d): self = .string("\(d.amount)\(d.unit.rawValue)")
    case .list(let items): self = .array(items.map(TemplateValue.init))
    }
  }

  /// A decoded JSON payload as template data. Money objects
  /// (`{"amount": "12.30", "currency": "USD"}`) become cents, like member money,
  /// so `{{ trigger.value | money }}` and `{{ item.price | money }}` work.
  static func json(_ raw: Any) -> TemplateValue {
    switch raw {
    case let object as [String: Any]:
      if object.count == 2, let money = PayloadCodec.money(object) { return .int(Int(money.cents)) }
      return .object(object.mapValues(json))
    case let array as [Any]: return .array(array.map(json))
    case let string as String: return .string(string)
    case let number as NSNumber:
      if PayloadCodec.isBoolean(number) { return .bool(number.boolValue) }
      let double = number.doubleValue
      return double.rounded() == double && abs(double) < 1e15 ? .int(Int(double)) : .double(double)
    default: return .null
    }
  }

  /// `1997-01-12T12:00:00Z`, formatted by hand: this runs for every field of every send.
  static func iso8601(_ t: Int64) -> String {
    let secondOfDay = Int(((t % 86_400) + 86_400) % 86_400)
    let two = CalendarDate.twoDigits
    return CalendarDate(utcDayOf: t).isoText + "T" + two(secondOfDay / 3600) + ":"
      + two(secondOfDay / 60 % 60) + ":" + two(secondOfDay % 60) + "Z"
  }

}
