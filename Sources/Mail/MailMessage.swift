/// A marketing email with an HTML body and a plain-text alternative.
///
/// Everything that varies between runs (date, Message-ID and, in
/// `MIMEWriter.render`, the boundary) is an input, so rendering is
/// deterministic.
public struct MailMessage: Sendable {
  /// The sender.
  public var from: MailAddress
  /// The single recipient.
  public var to: MailAddress
  /// Where replies go, when different from `from`.
  public var replyTo: MailAddress?
  /// The subject, unencoded; non-ASCII is written as RFC 2047 encoded-words.
  public var subject: String
  /// The HTML body.
  public var html: String
  /// The plain-text body; `nil` derives it from `html` with `HTMLText`.
  public var text: String?
  /// Seconds since 1970-01-01T00:00:00Z; the Date header is written in UTC (`+0000`).
  public var date: Int64
  /// The Message-ID without angle brackets, e.g. `abc123@shop.example.com`.
  public var messageID: String
  /// An HTTPS one-click unsubscribe URL (RFC 8058).
  public var listUnsubscribeURL: String?
  /// An unsubscribe mailbox, `unsubscribe@host?subject=...` or a full `mailto:` URL.
  public var listUnsubscribeMailto: String?
  /// Extra header fields (e.g. `X-Flow`, `X-Flow-Step`), written last in order.
  public var extraHeaders: [MailHeader]
  /// Images the HTML shows by `cid:` reference; with any, the message is
  /// multipart/related around the alternative parts.
  public var inlineImages: [InlineImage] = []

  /// Creates a message; only the addresses, subject, HTML body, date and Message-ID are required.
  public init(
    from: MailAddress,
    to: MailAddress,
    replyTo: MailAddress? = nil,
    subject: String,
    html: String,
    text: String? = nil,
    date: Int64,
    messageID: String,
    listUnsubscribeURL: String? = nil,
    listUnsubscribeMailto: String? = nil,
    extraHeaders: [MailHeader] = []
  ) {
    self.from = from
    self.to = to
    self.replyTo = replyTo
    self.subject = subject
    self.html = html
    self.text = text
    self.date = date
    self.messageID = messageID
    self.listUnsubscribeURL = listUnsubscribeURL
    self.listUnsubscribeMailto = listUnsubscribeMailto
    self.extraHeaders = extraHeaders
  }
}

/// An image sent inside the message, shown by `<img src="cid:CONTENT_ID">`.
public struct InlineImage: Sendable, Hashable {
  /// Without angle brackets: `logo.png@flowc`.
  public var contentID: String
  /// `image/png`, `image/jpeg`, `image/gif`, ...
  public var contentType: String
  public var filename: String
  public var data: [UInt8]

  public init(contentID: String, contentType: String, filename: String, data: [UInt8]) {
    self.contentID = contentID
    self.contentType = contentType
    self.filename = filename
    self.data = data
  }
}
