import LinkTokens

/// What a double opt-in confirmation email needs.
public struct ConfirmationRequest: Sendable, Hashable {
  public var memberID: Int64
  public var email: String
  public var firstName: String?
  /// BCP 47, the member's language when known.
  public var locale: String?
  /// The signed `GET /v1/confirm/TOKEN` link.
  public var confirmURL: String
  /// Unix seconds.
  public var now: Int64

  public init(
    memberID: Int64, email: String, firstName: String?, locale: String?, confirmURL: String,
    now: Int64
  ) {
    self.memberID = memberID
    self.email = email
    self.firstName = firstName
    self.locale = locale
    self.confirmURL = confirmURL
    self.now = now
  }
}

/// Builds confirmation emails; the intake queues the bytes in the outbox in
/// the same transaction that records the signup, and the runner delivers them.
public protocol ConfirmationMailer: Sendable {
  /// The whole RFC 5322 message.
  func message(for request: ConfirmationRequest) throws -> [UInt8]
}

/// What the intake needs from the host beyond settings: the link signer,
/// the pages, the confirmation mailer and the public base URL of this server.
public struct IntakeServices: Sendable {
  public var signer: LinkSigner
  public var pages: any IntakePages
  /// Nil refuses signups (503): without it no confirmation could be sent.
  public var mailer: (any ConfirmationMailer)?
  /// `https://track.example.com`, where `/v1/confirm/...` and `/u/...` are reached.
  public var publicURL: String
  /// The shop's name as pages show it (`shop_name`).
  public var shopName: String
  /// Where failures only the shop's operator should see go (`flowc run`'s standard error).
  public var log: @Sendable (String) -> Void

  public init(
    signer: LinkSigner, pages: any IntakePages, mailer: (any ConfirmationMailer)?,
    publicURL: String, shopName: String, log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.signer = signer
    self.pages = pages
    self.mailer = mailer
    self.publicURL = publicURL
    self.shopName = shopName
    self.log = log
  }

  /// `publicURL + path`, however many slashes the setting ends with.
  func link(_ path: String) -> String {
    var base = publicURL
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }
}
