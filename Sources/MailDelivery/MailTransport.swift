import Mail

/// One message ready to leave: its SMTP envelope and final bytes.
public struct Envelope: Sendable, Hashable {
  /// The envelope sender (MAIL FROM), where bounces go.
  public var sender: String
  /// The envelope recipient (RCPT TO).
  public var recipient: String
  /// A stable, file-safe name for the message, e.g. its outbox idempotency key.
  public var name: String
  /// The whole message, CRLF line endings.
  public var message: [UInt8]

  public init(sender: String, recipient: String, name: String, message: [UInt8]) {
    self.sender = sender
    self.recipient = recipient
    self.name = name
    self.message = message
  }
}

/// What became of one envelope.
public enum DeliveryOutcome: Sendable, Hashable {
  /// The destination took the message.
  case delivered
  /// A temporary failure (4xx, a lost connection): try again on a later pass.
  case deferred(reason: String)
  /// The recipient's address was refused for good (5xx to RCPT TO): a bounce.
  case bounced(reason: String)
  /// This message was refused for good (5xx after DATA), though not the address.
  case failed(reason: String)
}

/// Somewhere messages can be handed over to.
public protocol MailTransport: Sendable {
  /// Hands over every envelope, each message DKIM-signed first when `signer`
  /// is set (a transport signs where it has spare cores, e.g. its workers);
  /// returns one outcome per envelope, in order. Throws only when the
  /// transport itself is unusable.
  func deliver(_ envelopes: [Envelope], signer: DKIMSigner?) throws -> [DeliveryOutcome]
}

extension OutboxFolder: MailTransport {
  /// Writes `<name>.eml` for each envelope; a failed write stops the pass.
  public func deliver(_ envelopes: [Envelope], signer: DKIMSigner?) throws -> [DeliveryOutcome] {
    try envelopes.map { envelope in
      let message = signer?.sign(envelope.message) ?? envelope.message
      try write(fileName: envelope.name + ".eml", contents: message)
      return .delivered
    }
  }
}
