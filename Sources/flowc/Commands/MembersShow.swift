import FlowIR
import Foundation
import MemberStore

/// `flowc members show MEMBER`: everything the store knows about one member.
enum MembersShow: MembersSubcommand {
  static let name = "show"
  static let summary = "Print a member: identities, consent, tags, aggregates, flows, merges."
  static let synopsis = "flowc members show MEMBER --db DB [--format text|json]"
  static let discussion = """
    MEMBER is a member id, an email, a phone in E.164 (+15555550103) or a
    store id (shopify:7000000000003).
    Consent lists every record, also those that did not take effect (an imported
    opt-in after an unsubscribe), and the status now. A member merged into
    another says which.
    """
  static let options: [OptionSpec] = [
    .value("db", "DB", "SQLite member store."),
    .value("format", "FORMAT", "text (default) or json."),
  ]

  static func run(_ arguments: Arguments, _ terminal: Terminal) throws -> Int32 {
    let format = try arguments.outputFormat()
    guard arguments.positionals.count == 1 else {
      throw UsageError(message: "expected one email or member id: \(synopsis)")
    }
    let store = try MemberLookup.openStore(arguments)
    let word = arguments.positionals[0]
    guard let id = try MemberLookup.memberID(word, in: store),
      let state = try store.memberState(id: id, at: Int64(Date().timeIntervalSince1970))
    else { throw UsageError(message: "no member '\(word)'") }
    if let survivor = try store.mergedInto(memberID: id) {
      switch format {
      case .json: terminal.out(MemberLookup.json(["id": id, "merged_into": survivor]))
      case .text: terminal.out("member \(id) was merged into member \(survivor)\n")
      }
      return 0
    }
    let profile = Profile(
      state: state, identities: try store.identities(memberID: id),
      consent: try store.consentHistory(memberID: id), orders: try store.orders(memberID: id),
      instances: try store.instanceHistory(memberID: id),
      merges: try store.merges(involving: id), conflicts: try store.conflicts(involving: id))
    switch format {
    case .json: terminal.out(MemberLookup.json(profile.json))
    case .text: terminal.out(profile.text)
    }
    return 0
  }

  struct Profile {
    var state: MemberState
    var identities: [IdentityKey]
    var consent: [ConsentRecord]
    var orders: [OrderRecord]
    var instances: [InstanceHistory]
    var merges: [MergeLogEntry]
    var conflicts: [IdentityConflict]

    /// The latest effective status per channel.
    var currentConsent: [String: String] {
      var result: [String: String] = [:]
      for record in consent where record.effective { result[record.channel] = record.status }
      return result
    }

    var json: [String: Any] {
      let r = state.record
      let a = state.aggregates
      var profile: [String: Any] = ["id": r.id, "email": r.email]
      profile["first_name"] = r.firstName
      profile["last_name"] = r.lastName
      profile["phone"] = r.phone
      profile["locale"] = r.locale
      profile["timezone"] = r.timezone
      profile["joined_at"] = r.joinedAt.map(MemberLookup.time)
      profile["fields"] = (try? JSONSerialization.jsonObject(with: Data(r.fieldsJSON.utf8))) ?? [:]
      var aggregates: [String: Any] = ["order_count": a.orderCount]
      if let currency = a.currency {
        aggregates["total_spent"] = [
          "amount": Money(cents: a.totalSpentCents, currency: currency).decimalString,
          "currency": currency,
        ]
      }
      aggregates["first_order_at"] = a.firstOrderAt.map(MemberLookup.time)
      aggregates["last_order_at"] = a.lastOrderAt.map(MemberLookup.time)
      aggregates["last_open_at"] = a.lastOpenAt.map(MemberLookup.time)
      aggregates["last_click_at"] = a.lastClickAt.map(MemberLookup.time)
      return [
        "profile": profile,
        "identities": identities.map { ["kind": $0.kind, "value": $0.value] },
        "consent": [
          "current": currentConsent, "suppressed": state.suppressed,
          "history": consent.map { record -> [String: Any] in
            var item: [String: Any] = [
              "channel": record.channel, "status": record.status, "source": record.source,
              "occurred_at": MemberLookup.time(record.occurredAt),
              "recorded_at": MemberLookup.time(record.recordedAt), "effective": record.effective,
            ]
            item["evidence"] = record.evidence
            return item
          },
        ] as [String: Any],
        "tags": state.tags.sorted(), "segments": state.segments.sorted(),
        "aggregates": aggregates,
        "orders": orders.map { order -> [String: Any] in
          var item: [String: Any] = [
            "placed_at": MemberLookup.time(order.placedAt), "items": order.itemCount,
            "total": [
              "amount": Money(cents: order.totalCents, currency: order.currency).decimalString,
              "currency": order.currency,
            ],
          ]
          item["id"] = order.externalID
          if let cents = order.presentmentCents, let currency = order.presentmentCurrency {
            item["presentment_total"] = [
              "amount": Money(cents: cents, currency: currency).decimalString,
              "currency": currency,
            ]
          }
          return item
        },
        "flows": instances.map { instance -> [String: Any] in
          var item: [String: Any] = [
            "id": instance.id, "flow": instance.flow, "status": instance.status,
            "entered_at": MemberLookup.time(instance.enteredAt),
          ]
          item["step"] = instance.step
          item["ended_at"] = instance.endedAt.map(MemberLookup.time)
          item["end_reason"] = instance.endReason
          return item
        },
        "merges": merges.map(MemberLookup.mergeJSON),
        "conflicts": conflicts.map(MemberLookup.conflictJSON),
      ]
    }

    var text: String {
      let r = state.record
      let a = state.aggregates
      var lines = ["member \(r.id)  \(r.email.isEmpty ? "(no email)" : r.email)"]
      let name = [r.firstName, r.lastName].compactMap { $0 }.joined(separator: " ")
      if !name.isEmpty { lines.append("  name      \(name)") }
      if let phone = r.phone { lines.append("  phone     \(phone)") }
      if let locale = r.locale { lines.append("  locale    \(locale)") }
      if let zone = r.timezone { lines.append("  timezone  \(zone)") }
      if let joined = r.joinedAt { lines.append("  joined    \(MemberLookup.time(joined))") }
      if r.fieldsJSON != "{}" { lines.append("  fields    \(r.fieldsJSON)") }
      lines.append("identities")
      lines += identities.map { "  \($0.kind):\($0.value)" }
      let current = currentConsent.sorted { $0.key < $1.key }
        .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      lines.append(
        "consent (now: \(current.isEmpty ? "none" : current)\(state.suppressed ? ", suppressed" : ""))"
      )
      for record in consent {
        var line =
          "  \(MemberLookup.time(record.occurredAt))  \(record.channel) \(record.status)"
          + "  source \(record.source)"
        if let evidence = record.evidence { line += "  evidence \(evidence)" }
        if !record.effective { line += "  (no effect)" }
        lines.append(line)
      }
      func list(_ names: Set<String>) -> String {
        names.isEmpty ? "none" : names.sorted().joined(separator: ", ")
      }
      lines.append("tags      \(list(state.tags))")
      lines.append("segments  \(list(state.segments))")
      var orders = "aggregates  \(a.orderCount) orders"
      if let currency = a.currency {
        orders +=
          ", \(Money(cents: a.totalSpentCents, currency: currency).decimalString) \(currency) spent"
      }
      if let first = a.firstOrderAt { orders += ", first \(MemberLookup.time(first))" }
      if let last = a.lastOrderAt { orders += ", last \(MemberLookup.time(last))" }
      if let open = a.lastOpenAt { orders += ", last open \(MemberLookup.time(open))" }
      if let click = a.lastClickAt { orders += ", last click \(MemberLookup.time(click))" }
      lines.append(orders)
      for order in self.orders {
        var line =
          "  \(MemberLookup.time(order.placedAt))  \(order.externalID ?? "(no id)")  "
          + "\(Money(cents: order.totalCents, currency: order.currency).decimalString) \(order.currency)"
        if let cents = order.presentmentCents, let currency = order.presentmentCurrency {
          line += " (\(Money(cents: cents, currency: currency).decimalString) \(currency))"
        }
        lines.append(line)
      }
      lines.append("flows")
      for instance in instances {
        var line =
          "  \(instance.flow)  \(instance.status)  entered \(MemberLookup.time(instance.enteredAt))"
        if let step = instance.step { line += "  step \(step)" }
        if let ended = instance.endedAt { line += "  ended \(MemberLookup.time(ended))" }
        if let reason = instance.endReason { line += "  (\(reason))" }
        lines.append(line)
      }
      if !merges.isEmpty || !conflicts.isEmpty {
        lines.append("merges")
        lines += merges.map { "  " + MemberLookup.mergeLine($0) }
        lines += conflicts.map { "  " + MemberLookup.conflictLine($0) }
      }
      return lines.joined(separator: "\n") + "\n"
    }
  }
}
