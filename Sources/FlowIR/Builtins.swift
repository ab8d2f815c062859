/// Names the language predeclares: member fields, events and records.
/// The checker resolves against these; the runtime supplies their values.
public enum Builtins {
  /// Built-in member fields and their types, by the path written after `member.`.
  public static let memberFields: [String: ValueType] = [
    "id": .string,
    "email": .string,
    "phone": .optional(.string),
    "first_name": .optional(.string),
    "last_name": .optional(.string),
    "locale": .optional(.string),
    "timezone": .optional(.string),
    "joined_at": .timestamp,
    "tags": .stringSet,
    "consent.email": .bool,
    "order_count": .number,
    "total_spent": .money,
    "average_order_value": .optional(.money),
    "first_order_at": .optional(.timestamp),
    "last_order_at": .optional(.timestamp),
    "last_open_at": .optional(.timestamp),
    "last_click_at": .optional(.timestamp),
    "rfm_recency": .optional(.number),
    "rfm_frequency": .optional(.number),
    "rfm_monetary": .optional(.number),
    "rfm_layer": .optional(.string),
  ]

  /// Built-in records, usable as `list<item>` in event schemas.
  public static let records: [String: [EventField]] = [
    "item": [
      EventField(name: "product_id", type: .string),
      EventField(name: "title", type: .string),
      EventField(name: "price", type: .money),
      EventField(name: "quantity", type: .number),
    ]
  ]

  /// Predeclared events. `email_*` events carry the flow and step that sent the mail.
  public static let events: [EventDecl] = [
    EventDecl(name: "member_joined", fields: [], isBuiltin: true),
    EventDecl(
      name: "order_placed",
      fields: [
        EventField(name: "order_id", type: .string),
        EventField(name: "total", type: .money),
        EventField(name: "items", type: .list(.record("item"))),
        // The checkout's cart, when the store reports it: lets a cart flow end on its own order.
        EventField(name: "cart_id", type: .optional(.string)),
      ], isBuiltin: true),
    EventDecl(name: "email_sent", fields: emailFields, isBuiltin: true),
    EventDecl(name: "email_opened", fields: emailFields, isBuiltin: true),
    EventDecl(
      name: "email_clicked", fields: emailFields + [EventField(name: "url", type: .string)],
      isBuiltin: true),
    EventDecl(name: "unsubscribed", fields: [], isBuiltin: true),
  ]

  private static let emailFields = [
    EventField(name: "flow", type: .string),
    EventField(name: "step", type: .string),
  ]
}
