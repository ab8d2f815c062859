import Foundation
import Mail
import Testing

@testable import MailDelivery

/// Signs with `DKIMSigner` and checks the signatures with dkimpy.
@Suite struct DKIMSignerTests {
  /// One verdict ("pass"/"fail") per message from dkimpy.
  func verify(_ messages: [[UInt8]], record: String, in directory: URL) throws -> [String] {
    var paths: [String] = []
    for (index, message) in messages.enumerated() {
      let url = directory.appendingPathComponent("\(index).eml")
      try Data(message).write(to: url)
      paths.append(url.path)
    }
    let script = supportDirectory.appendingPathComponent("dkim_verify.py").path
    let output = try runTool([try testPython.get(), script, record] + paths)
    return output.split(separator: "\n").map(String.init)
  }

  @Test func dkimpyVerifiesSignedMessagesAndRejectsTamperedOnes() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let key = try makeDKIMKey(in: directory)
    let signer = try DKIMSigner(
      DKIMSettings(domain: "shop.example.com", selector: "flowc2026", privateKeyPath: key.path))
    let signed = Samples.all.map(signer.sign)
    for (original, message) in zip(Samples.all, signed) {
      // The signature is a prefix; the message itself is unchanged.
      #expect(Array(message.suffix(original.count)) == original)
      let text = String(decoding: message.prefix(message.count - original.count), as: UTF8.self)
      #expect(
        text.hasPrefix(
          "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
            + "\td=shop.example.com; s=flowc2026;\r\n"))
      #expect(
        text.contains(
          "\th=from:to:subject:date:message-id:mime-version:content-type:list-unsubscribe:\r\n"
            + "\tlist-unsubscribe-post;\r\n"))
      #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    var tampered = signed
    tampered[0] = Array(
      String(decoding: signed[0], as: UTF8.self)
        .replacingOccurrences(of: "Hello Ada", with: "Hello Bob").utf8)
    tampered[1] = Array(
      String(decoding: signed[1], as: UTF8.self)
        .replacingOccurrences(of: "To: ", with: "To: \"Eve\" <eve@example.org>, ").utf8)
    let verdicts = try verify(signed + tampered[0...1], record: key.record, in: directory)
    #expect(verdicts == ["pass", "pass", "pass", "fail", "fail"])
  }

  @Test func relaxedCanonicalisationFollowsRFC6376Examples() {
    // RFC 6376 section 3.4.5.
    #expect(
      String(decoding: DKIMCanonical.header(Array("A: X".utf8)), as: UTF8.self) == "a:X")
    #expect(
      String(decoding: DKIMCanonical.header(Array("B : Y\t\r\n\tZ  ".utf8)), as: UTF8.self)
        == "b:Y Z")
    #expect(
      String(
        decoding: DKIMCanonical.body(Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)[...]),
        as: UTF8.self) == " C\r\nD E\r\n")
    #expect(DKIMCanonical.body([][...]).isEmpty)
  }

  @Test func badKeysAndNamesAreRefusedWithClearErrors() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("none.pem").path
    #expect(throws: DeliveryError("cannot read the DKIM private key '\(missing)'")) {
      try DKIMSigner(DKIMSettings(domain: "a.example", selector: "s", privateKeyPath: missing))
    }
    let notPEM = directory.appendingPathComponent("text.pem")
    try Data("hello".utf8).write(to: notPEM)
    #expect(
      throws: DeliveryError("'\(notPEM.path)' holds no PEM private key (expected an RSA key)")
    ) {
      try DKIMSigner(
        DKIMSettings(domain: "a.example", selector: "s", privateKeyPath: notPEM.path))
    }
    #expect(throws: DeliveryError("DKIM selector 'a b' is not a domain name")) {
      try DKIMSigner(DKIMSettings(domain: "a.example", selector: "a b", privateKeyPath: missing))
    }
  }
}
