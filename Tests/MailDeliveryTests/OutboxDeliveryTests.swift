import FlowHost
import Foundation
import MailDelivery
import MemberStore
import Testing

/// The outbox delivered over SMTP: rows change only after the server answered.
@Suite struct OutboxDeliveryTests {
  let directory: URL
  let store: SQLiteFlowStore

  init() throws {
    directory = try temporaryDirectory()
    store = try SQLiteFlowStore(path: directory.appendingPathComponent("flow.db").path)
  }

  func enqueue(_ recipients: [String]) throws {
    for (index, recipient) in recipients.enumerated() {
      _ = try store.enqueue(
        idempotencyKey: "welcome.hello.i\(index)", instanceID: Int64(index), memberID: 1,
        flow: "welcome", step: "hello", recipient: recipient, createdAt: 100,
        message: Samples.all[index % Samples.all.count])
    }
  }

  @Test func deliversSignedMessagesAndHandlesRefusals() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try TestSMTPServer()
    try server.refuse([
      "later@example.org": "451 4.7.1 greylisted", "gone@example.org": "550 5.1.1 no such user",
    ])
    let key = try makeDKIMKey(in: directory)
    let signer = try DKIMSigner(
      DKIMSettings(domain: "shop.example.com", selector: "s1", privateKeyPath: key.path))
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .off, connections: 2, attempts: 2, retryDelay: 0))
    let delivery = OutboxDelivery(
      store: store, transport: transport, signer: signer, sender: "bounces@shop.example.com")
    try enqueue(["ada@example.org", "later@example.org", "gone@example.org", "li@example.cn"])

    #expect(try delivery.deliverPending(at: 200) == 2)
    let received = try server.received()
    #expect(Set(received.map { $0.to[0] }) == ["ada@example.org", "li@example.cn"])
    for message in received {
      // Exactly the stored bytes, behind a DKIM-Signature field.
      let text = String(decoding: message.bytes, as: UTF8.self)
      #expect(text.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256;"))
      let original = Samples.all[0]  // ada and li are messages 0 and 3 of 3 samples
      #expect(Array(message.bytes.suffix(original.count)) == original)
      #expect(message.from == "bounces@shop.example.com")
    }
    // The 451 stays pending; the 550 is suppressed and done.
    #expect(try store.pendingOutbox(limit: 10).map(\.recipient) == ["later@example.org"])
    #expect(try store.isSuppressed(email: "gone@example.org"))
    #expect(try !store.isSuppressed(email: "later@example.org"))

    // Once the server takes it, the next pass delivers it; the bounce is not retried.
    try server.refuse(["gone@example.org": "550 5.1.1 no such user"])
    #expect(try delivery.deliverPending(at: 300) == 1)
    #expect(try store.pendingOutbox(limit: 10).isEmpty)
    #expect(try server.received().map { $0.to[0] }.filter { $0 == "later@example.org" }.count == 1)
    #expect(try server.received().count == 3)
  }

  @Test func newMessagesGoOutWithoutRetryingDeferredOnesAndOutcomesAreCounted() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try TestSMTPServer()
    try server.refuse([
      "later@example.org": "451 4.7.1 greylisted", "gone@example.org": "550 5.1.1 no such user",
    ])
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .off, connections: 1, attempts: 1, retryDelay: 0))
    let delivery = OutboxDelivery(
      store: store, transport: transport, sender: "bounces@shop.example.com")
    try enqueue(["ada@example.org", "later@example.org", "gone@example.org"])
    #expect(try delivery.deliverPending(at: 200) == 1)
    #expect(delivery.totals == DeliveryCounts(delivered: 1, failed: 1))

    // The server would now take the deferred message, but a pass for new
    // messages does not try it: only the one queued since (by the intake) goes out.
    try server.refuse([:])
    #expect(try delivery.deliverNew(at: 210) == 0)
    _ = try store.enqueue(
      idempotencyKey: "confirm.1", instanceID: 0, memberID: 2, flow: "intake", step: "confirm",
      recipient: "new@example.org", createdAt: 220, message: Samples.all[0])
    #expect(try delivery.deliverNew(at: 230) == 1)
    #expect(try server.received().map { $0.to[0] } == ["ada@example.org", "new@example.org"])
    #expect(delivery.totals == DeliveryCounts(delivered: 2, failed: 1))
    #expect(try store.pendingOutbox(limit: 10).map(\.recipient) == ["later@example.org"])

    // A full pass tries it again.
    #expect(try delivery.deliverPending(at: 240) == 1)
    #expect(delivery.totals == DeliveryCounts(delivered: 3, failed: 1))
  }

  @Test func shopSettingsReadTheDeliverySections() throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("shop.json").path
    try Data(
      """
      {"name": "Shop", "from_email": "hello@shop.example.com",
       "smtp": {"url": "smtp://127.0.0.1:2525", "username": "shop", "password_env": "PW",
                "starttls": "opportunistic", "connections": 8, "per_domain_per_second": 10,
                "attempts": 1, "retry_delay": 0, "mail_from": "bounces@shop.example.com"},
       "dkim": {"domain": "shop.example.com", "selector": "s1", "private_key": "keys/dkim.pem"}}
      """.utf8
    ).write(to: URL(fileURLWithPath: path))
    _ = try ShopConfig.load(path: path)
    let settings = try ShopConfig.delivery(path: path, environment: ["PW": "s3cret"])
    #expect(
      settings
        == DeliverySettings(
          smtp: SMTPSettings(
            url: "smtp://127.0.0.1:2525", username: "shop", password: "s3cret",
            startTLS: .opportunistic, connections: 8, perDomainPerSecond: 10, attempts: 1,
            retryDelay: 0),
          mailFrom: "bounces@shop.example.com",
          dkim: DKIMSettings(
            domain: "shop.example.com", selector: "s1",
            privateKeyPath: directory.path + "/keys/dkim.pem")))
    #expect(throws: HostError("\(path): \"smtp\".\"password_env\" names PW, which is not set")) {
      try ShopConfig.delivery(path: path, environment: [:])
    }
  }

  @Test(arguments: [
    (
      #"{"smtp": {"url": "smtp://h", "conections": 2}}"#,
      #": "smtp": unknown setting "conections"; did you mean "connections"?"#
    ),
    (
      #"{"smtp": {"url": "smtp://h", "starttls": "maybe"}}"#,
      #": "smtp"."starttls" must be required, opportunistic or off, not 'maybe'"#
    ),
    (
      #"{"smtp": {"url": "smtp://h", "connections": 0}}"#,
      #": "smtp"."connections" must be a whole number from 1 to 64"#
    ),
    (
      #"{"smtp": {"url": "smtp://h", "connections": true}}"#,
      #": "smtp"."connections" must be a whole number from 1 to 64"#
    ),
    (#"{"smtp": {"username": "u"}}"#, #": "smtp" needs "url""#),
    (#"{"dkim": {"domain": "d.example", "selector": "s"}}"#, #": "dkim" needs "private_key""#),
    (#"{"dkim": "yes"}"#, #": "dkim" must be an object"#),
  ])
  func badDeliverySettingsAreExplained(json: String, error: String) throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("shop.json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: HostError(path + error)) { try ShopConfig.delivery(path: path) }
  }
}
