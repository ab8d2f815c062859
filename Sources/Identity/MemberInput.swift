import FlowIR

/// One person as a source describes them: a CSV row, a webhook body, a
/// signup. Values are as the source wrote them (trimmed of surrounding
/// spaces); `IdentityResolver` normalises keys and decides which member this is.
public struct MemberInput: Sendable, Hashable {
  /// Where the record came from (`import:shopify-customers`, `webhook:shopify`),
  /// kept on consent records and in the merge log.
  public var source: String
  public var email: String?
  public var phone: String?
  /// Store ids as `kind:value`: `shopify:7000000000001`, `woo:45`, `mailchimp:100000001`.
  public var externalIDs: [String]
  /// An anonymous browser id from the store's site.
  public var visitorID: String?
  public var firstName: String?
  public var lastName: String?
  /// BCP 47 (`fr`, `fr-CA`).
  public var locale: String?
  /// IANA zone name.
  public var timezone: String?
  /// Custom fields (`field` declarations) as text, converted by their declared type.
  public var fields: [String: String]
  /// Tags the source gives the member; added, never removed by an import.
  public var tags: [String]
  public var consent: [ConsentInput]
  /// When the person joined, if the source knows; else the import time.
  public var joinedAt: Int64?
  /// Order totals the source reports without listing the orders (Shopify's
  /// customer export, purchasing summaries).
  public var orderSummary: OrderSummary?

  public init(
    source: String, email: String? = nil, phone: String? = nil, externalIDs: [String] = [],
    visitorID: String? = nil, firstName: String? = nil, lastName: String? = nil,
    locale: String? = nil, timezone: String? = nil, fields: [String: String] = [:],
    tags: [String] = [], consent: [ConsentInput] = [], joinedAt: Int64? = nil,
    orderSummary: OrderSummary? = nil
  ) {
    self.source = source
    self.email = email
    self.phone = phone
    self.externalIDs = externalIDs
    self.visitorID = visitorID
    self.firstName = firstName
    self.lastName = lastName
    self.locale = locale
    self.timezone = timezone
    self.fields = fields
    self.tags = tags
    self.consent = consent
    self.joinedAt = joinedAt
    self.orderSummary = orderSummary
  }
}

/// One consent statement from a source.
public struct ConsentInput: Sendable, Hashable {
  /// `email` or `sms`.
  public var channel: String
  /// `opted_in`, `confirmed` (double opt-in), `pending`, `not_subscribed`,
  /// `unsubscribed`, `bounced` or `complained`.
  public var status: String
  /// When the person gave or withdrew it, if the source says; else the import time.
  public var occurredAt: Int64?
  /// What proves it: a form, an IP, the source's own timestamps, as text.
  public var evidence: String?

  public init(channel: String, status: String, occurredAt: Int64? = nil, evidence: String? = nil) {
    self.channel = channel
    self.status = status
    self.occurredAt = occurredAt
    self.evidence = evidence
  }
}

/// Order figures reported as totals (no individual orders).
public struct OrderSummary: Sendable, Hashable {
  public var orderCount: Int
  /// In the shop's currency.
  public var totalSpent: Money
  /// The moment the figures describe; orders placed later add to them.
  public var asOf: Int64

  public init(orderCount: Int, totalSpent: Money, asOf: Int64) {
    self.orderCount = orderCount
    self.totalSpent = totalSpent
    self.asOf = asOf
  }
}

/// One order as a source describes it.
public struct OrderInput: Sendable, Hashable {
  /// `shopify:order:820982911946154508`, `woo:order:1006`: a second import is a no-op.
  public var externalID: String
  /// The buyer as the order names them (customer id, email, phone).
  public var customer: MemberInput
  public var placedAt: Int64
  /// In the shop's currency (Shopify's `shop_money`).
  public var total: Money
  /// In the buyer's currency when it differs (Shopify's `presentment_money`).
  public var presentmentTotal: Money?
  public var items: [OrderItem]
  /// The cart the order was placed from, when the store reports it.
  public var cartID: String?
  /// Discount codes used (`welcome10`).
  public var discountCodes: [String]
  /// The checkout's marketing checkbox, for this order only.
  public var buyerAcceptsMarketing: Bool?

  public init(
    externalID: String, customer: MemberInput, placedAt: Int64, total: Money,
    presentmentTotal: Money? = nil, items: [OrderItem] = [], cartID: String? = nil,
    discountCodes: [String] = [], buyerAcceptsMarketing: Bool? = nil
  ) {
    self.externalID = externalID
    self.customer = customer
    self.placedAt = placedAt
    self.total = total
    self.presentmentTotal = presentmentTotal
    self.items = items
    self.cartID = cartID
    self.discountCodes = discountCodes
    self.buyerAcceptsMarketing = buyerAcceptsMarketing
  }
}

/// A line of an order.
public struct OrderItem: Sendable, Hashable {
  public var productID: String
  public var title: String
  public var price: Money
  public var quantity: Int

  public init(productID: String, title: String, price: Money, quantity: Int) {
    self.productID = productID
    self.title = title
    self.price = price
    self.quantity = quantity
  }
}
