import Foundation
import Testing

@testable import MailDelivery

/// Delivers to a real aiosmtpd server on 127.0.0.1.
@Suite struct SMTPTransportTests {
  func envelopes(_ recipients: [String]) -> [Envelope] {
    recipients.enumerated().map { index, recipient in
      Envelope(
        sender: "bounces@shop.example.com", recipient: recipient, name: "m\(index)",
        message: Samples.all[index % Samples.all.count])
    }
  }

  @Test func sendsSeveralMessagesOverOneConnectionByteForByte() throws {
    let server = try TestSMTPServer()
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .off, connections: 1))
    let sent = envelopes(["a@example.org", "b@example.org", "c@example.net", ".dot@example.com"])
    #expect(transport.deliver(sent) == Array(repeating: .delivered, count: 4))
    let received = try server.received()
    #expect(received.map(\.bytes) == sent.map(\.message))
    #expect(received.map(\.to) == sent.map { [$0.recipient] })
    #expect(received.map(\.from) == Array(repeating: "bounces@shop.example.com", count: 4))
    #expect(Set(received.map(\.clientPort)).count == 1)
    // A second pass reuses the same connection.
    #expect(transport.deliver(Array(sent.prefix(1))) == [.delivered])
    #expect(Set(try server.received().map(\.clientPort)).count == 1)
  }

  @Test func parallelConnectionsDeliverEveryMessageOnce() throws {
    let server = try TestSMTPServer()
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .off, connections: 3))
    let sent = envelopes((0..<30).map { "member\($0)@example.org" })
    #expect(transport.deliver(sent) == Array(repeating: .delivered, count: 30))
    let received = try server.received()
    #expect(received.map { $0.to[0] }.sorted() == sent.map(\.recipient).sorted())
    #expect(Set(received.map(\.clientPort)).count == 3)
  }

  @Test func refusalsAreClassified() throws {
    let server = try TestSMTPServer()
    try server.refuse([
      "later@example.org": "451 4.7.1 try again later",
      "gone@example.org": "550 5.1.1 no such user",
      "DATA spam@example.org": "554 5.7.1 looks like spam",
    ])
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .off, connections: 1, attempts: 2, retryDelay: 0.01))
    let outcomes = transport.deliver(
      envelopes(["later@example.org", "gone@example.org", "spam@example.org", "fine@example.org"]))
    #expect(
      outcomes == [
        .deferred(reason: "RCPT failed: 451"), .bounced(reason: "RCPT failed: 550"),
        .failed(reason: "message refused: 554"), .delivered,
      ])
    #expect(try server.received().map(\.to) == [["fine@example.org"]])
  }

  @Test func authenticatesWithUsernameAndPassword() throws {
    let server = try TestSMTPServer(auth: "shop:s3cret")
    let good = try SMTPTransport(
      SMTPSettings(
        url: server.url, username: "shop", password: "s3cret", startTLS: .off, connections: 1))
    #expect(good.deliver(envelopes(["a@example.org"])) == [.delivered])
    let bad = try SMTPTransport(
      SMTPSettings(
        url: server.url, username: "shop", password: "wrong", startTLS: .off, connections: 1,
        attempts: 1))
    let outcome = bad.deliver(envelopes(["b@example.org"]))
    #expect(outcome.count == 1)
    guard case .deferred = outcome[0] else {
      Issue.record("a refused login must leave the message pending, got \(outcome)")
      return
    }
    #expect(try server.received().map(\.to) == [["a@example.org"]])
  }

  @Test func requiredSTARTTLSRefusesAServerWithoutIt() throws {
    let server = try TestSMTPServer()
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .required, connections: 1, attempts: 1))
    let outcome = transport.deliver(envelopes(["a@example.org"]))
    guard case .deferred = outcome.first else {
      Issue.record("expected a deferral, got \(outcome)")
      return
    }
    #expect(try server.received().isEmpty)
  }

  /// A self-signed certificate for 127.0.0.1 in `directory`: (cert.pem, key.pem) paths.
  private func selfSignedCertificate(in directory: URL) throws -> (String, String) {
    let (certificate, key) = (directory.path + "/cert.pem", directory.path + "/key.pem")
    try runTool([
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
      "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
      certificate,
    ])
    return (certificate, key)
  }

  @Test func implicitTLSDeliversOverOneConnection() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (certificate, key) = try selfSignedCertificate(in: directory)
    let server = try TestSMTPServer(implicitTLS: "\(certificate),\(key)")
    #expect(server.url.hasPrefix("smtps://"))
    let transport = try SMTPTransport(
      SMTPSettings(url: server.url, caFile: certificate, connections: 1))
    #expect(
      transport.deliver(envelopes(["a@example.org", "b@example.org"])) == [
        .delivered, .delivered,
      ])
    let received = try server.received()
    #expect(received.map(\.to) == [["a@example.org"], ["b@example.org"]])
    #expect(Set(received.map(\.clientPort)).count == 1)
  }

  @Test func startTLSWithASelfSignedCertificateTrustedThroughCAFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (certificate, key) = try selfSignedCertificate(in: directory)
    let server = try TestSMTPServer(tls: "\(certificate),\(key)")
    let trusting = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .required, caFile: certificate, connections: 1))
    #expect(
      trusting.deliver(envelopes(["a@example.org", "b@example.org"])) == [
        .delivered, .delivered,
      ])
    // Without the certificate in the trusted set, nothing is sent.
    let doubting = try SMTPTransport(
      SMTPSettings(url: server.url, startTLS: .required, connections: 1, attempts: 1))
    let outcome = doubting.deliver(envelopes(["c@example.org"]))
    guard case .deferred = outcome.first else {
      Issue.record("expected a deferral, got \(outcome)")
      return
    }
    #expect(try server.received().map(\.to) == [["a@example.org"], ["b@example.org"]])
  }

  @Test func badSettingsAreRefused() {
    #expect(throws: DeliveryError("the SMTP URL 'http://x' must start with smtp:// or smtps://")) {
      try SMTPTransport(SMTPSettings(url: "http://x"))
    }
    #expect(throws: DeliveryError("SMTP connections must be between 1 and 64, not 0")) {
      try SMTPTransport(SMTPSettings(url: "smtp://127.0.0.1", connections: 0))
    }
  }
}
