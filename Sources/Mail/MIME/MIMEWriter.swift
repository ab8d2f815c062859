// Renders a MailMessage as an RFC 5322 message with a MIME
// multipart/alternative body (text/plain, then text/html), wrapped in
// multipart/related (RFC 2387) when the HTML shows inline images.

/// Turns a `MailMessage` into the bytes of an Internet message.
public enum MIMEWriter {
  /// Header fields the writer produces itself; extra headers with these
  /// names are dropped so they cannot contradict the structure.
  private static let reservedNames: Set<String> = [
    "from", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
    "content-type", "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post",
  ]

  /// The whole message, CRLF line endings, no line over 998 octets (78 where practical:
  /// fold headers).
  ///
  /// The output depends only on `message` and `boundary`, so it can be
  /// compared byte for byte. `boundary` is reduced to RFC 2046 boundary
  /// characters (at most 70); it should be unique per message, but a body
  /// that happens to contain it is base64-encoded so the structure holds.
  public static func render(_ message: MailMessage, boundary: String) -> [UInt8] {
    let boundaryBytes = Sanitize.boundary(boundary)
    let text = message.text ?? HTMLText.plainText(fromHTML: message.html)
    var writer = HeaderWriter(
      capacity: 1_024 + message.subject.utf8.count * 2 + (text.utf8.count + message.html.utf8.count)
        * 5 / 4)
    // The related boundary differs from the alternative one in its prefix,
    // so neither is a prefix of the other's delimiter line.
    let relatedBoundary = message.inlineImages.isEmpty ? nil : Sanitize.boundary("rel-" + boundary)
    writeHeaders(message, boundary: relatedBoundary ?? boundaryBytes, to: &writer)
    var out = writer.out
    out.appendCRLF()
    if let relatedBoundary {
      appendRelated(
        message, text: text, boundary: relatedBoundary, alternative: boundaryBytes, to: &out)
    } else {
      appendAlternative(message.html, text: text, boundary: boundaryBytes, to: &out)
    }
    return out
  }

  /// `multipart/related; type="multipart/alternative"`: the alternative
  /// parts first, then each image with its Content-ID.
  private static func appendRelated(
    _ message: MailMessage, text: String, boundary: [UInt8], alternative: [UInt8],
    to out: inout [UInt8]
  ) {
    var delimiter: [UInt8] = [ASCII.hyphen, ASCII.hyphen]
    delimiter.append(contentsOf: boundary)
    out.append(contentsOf: delimiter)
    out.appendCRLF()
    out.append(ascii: "Content-Type: multipart/alternative; boundary=\"")
    out.append(contentsOf: alternative)
    out.append(ascii: "\"\r\n\r\n")
    appendAlternative(message.html, text: text, boundary: alternative, to: &out)
    for image in message.inlineImages {
      out.append(contentsOf: delimiter)
      out.appendCRLF()
      let type = Sanitize.mediaType(image.contentType)
      out.append(ascii: "Content-Type: ")
      out.append(contentsOf: type.isEmpty ? Array("application/octet-stream".utf8) : type)
      out.append(ascii: "\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <")
      out.append(contentsOf: Sanitize.addrSpec(image.contentID))
      out.append(ascii: ">\r\nContent-Disposition: inline; filename=\"")
      out.append(contentsOf: Sanitize.filename(image.filename))
      out.append(ascii: "\"\r\n\r\n")
      image.data.withUnsafeBufferPointer { Base64.encode($0, to: &out) }
      out.appendCRLF()
    }
    appendClosing(delimiter, to: &out)
  }

  /// The text and HTML alternatives, closed by the final delimiter.
  private static func appendAlternative(
    _ html: String, text: String, boundary: [UInt8], to out: inout [UInt8]
  ) {
    var delimiter: [UInt8] = [ASCII.hyphen, ASCII.hyphen]
    delimiter.append(contentsOf: boundary)
    out.append(contentsOf: delimiter)
    out.appendCRLF()
    appendPart(text, subtype: "plain", boundary: delimiter, to: &out)
    out.appendCRLF()
    out.append(contentsOf: delimiter)
    out.appendCRLF()
    appendPart(html, subtype: "html", boundary: delimiter, to: &out)
    out.appendCRLF()
    appendClosing(delimiter, to: &out)
  }

  /// The close-delimiter line that ends a multipart body: `--BOUNDARY--`.
  private static func appendClosing(_ delimiter: [UInt8], to out: inout [UInt8]) {
    out.append(contentsOf: delimiter)
    out.append(ASCII.hyphen)
    out.append(ASCII.hyphen)
    out.appendCRLF()
  }

  private static func writeHeaders(
    _ message: MailMessage, boundary: [UInt8], to w: inout HeaderWriter
  ) {
    w.begin("From")
    w.append(address: message.from)
    w.end()
    w.begin("To")
    w.append(address: message.to)
    w.end()
    if let replyTo = message.replyTo {
      w.begin("Reply-To")
      w.append(address: replyTo)
      w.end()
    }
    w.begin("Subject")
    w.append(unstructured: Sanitize.text(message.subject))
    w.end()

    w.begin("Date")
    var date: [UInt8] = []
    date.reserveCapacity(31)
    DateHeader.append(epochSeconds: message.date, to: &date)
    w.append(atom: date)
    w.end()

    var id = Sanitize.addrSpec(message.messageID)
    if !id.isEmpty {
      id.insert(ASCII.lessThan, at: 0)
      id.append(ASCII.greaterThan)
      w.begin("Message-ID")
      w.append(atom: id)
      w.end()
    }

    w.begin("MIME-Version")
    w.append(literal: "1.0")
    w.end()
    w.begin("Content-Type")
    if message.inlineImages.isEmpty {
      w.append(literal: "multipart/alternative;")
    } else {
      w.append(literal: "multipart/related;")
      w.append(literal: "type=\"multipart/alternative\";")
    }
    var parameter = Array("boundary=\"".utf8)
    parameter.append(contentsOf: boundary)
    parameter.append(ASCII.quote)
    w.append(atom: parameter)
    w.end()

    writeListUnsubscribe(message, to: &w)

    for header in message.extraHeaders {
      let name = Sanitize.fieldName(header.name)
      if name.isEmpty || reservedNames.contains(String(decoding: name, as: UTF8.self).lowercased())
      {
        continue
      }
      w.begin(name: name)
      w.append(unstructured: Sanitize.text(header.value))
      w.end()
    }
  }

  /// List-Unsubscribe (RFC 2369) and, for an HTTPS URL, the RFC 8058
  /// one-click marker. RFC 8058 requires an HTTPS URI for one-click, so a
  /// plain-http URL is listed but not advertised as one-click.
  private static func writeListUnsubscribe(_ message: MailMessage, to w: inout HeaderWriter) {
    var uris: [[UInt8]] = []
    var oneClick = false
    if let url = message.listUnsubscribeURL {
      let clean = Sanitize.addrSpec(url)
      if !clean.isEmpty {
        uris.append(clean)
        oneClick = hasPrefix(clean, "https://")
      }
    }
    if let mailto = message.listUnsubscribeMailto {
      var clean = Sanitize.addrSpec(mailto)
      if !clean.isEmpty {
        if !hasPrefix(clean, "mailto:") { clean.insert(contentsOf: "mailto:".utf8, at: 0) }
        uris.append(clean)
      }
    }
    guard !uris.isEmpty else { return }
    w.begin("List-Unsubscribe")
    for (index, uri) in uris.enumerated() {
      var atom: [UInt8] = [ASCII.lessThan]
      atom.append(contentsOf: uri)
      atom.append(ASCII.greaterThan)
      if index + 1 < uris.count { atom.append(UInt8(ascii: ",")) }
      w.append(atom: atom)
    }
    w.end()
    if oneClick {
      w.begin("List-Unsubscribe-Post")
      w.append(literal: "List-Unsubscribe=One-Click")
      w.end()
    }
  }

  /// Case-insensitive ASCII prefix test.
  private static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
    prefix.withUTF8Buffer { p in
      guard bytes.count >= p.count else { return false }
      for index in 0..<p.count where bytes[index] | 0x20 != p[index] | 0x20 { return false }
      return true
    }
  }

  /// Appends one body part: its headers, a blank line and the encoded body.
  private static func appendPart(
    _ body: String, subtype: StaticString, boundary: [UInt8], to out: inout [UInt8]
  ) {
    withUTF8Bytes(of: body) { bytes in
      let profile = TransferEncoding.profile(bytes)
      let encoding = TransferEncoding.choose(for: bytes, profile: profile, boundary: boundary)
      out.append(ascii: "Content-Type: text/")
      out.append(ascii: subtype)
      out.append(ascii: "; charset=utf-8\r\nContent-Transfer-Encoding: ")
      out.append(ascii: encoding.headerValue)
      out.append(ascii: "\r\n\r\n")
      TransferEncoding.append(bytes, encoding: encoding, profile: profile, to: &out)
    }
  }
}
