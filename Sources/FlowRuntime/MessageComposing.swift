import Mail
import FlowIR
import MemberStore

/// What a send step asks to be turned into a message.
struct SendRequest {
  var flow: String
  var step: String
  var action: SendAction
  var member: MemberView
  var trigger: [String: Any]
  var instanceID: Int64
  var now: Int64
  /// Unique per instance and step: the outbox's guard against sending twice.
  var idempotencyKey: String
  /// Catalog products picked for this member (empty without a catalog).
  var recommendations: [ProductRecord] = []
}

/// A rendered message ready for the outbox.
public struct ComposedMessage: Sendable {
  public var recipient: String
  /// The message before MIME encoding: subject, parts and headers as rendered.
  public var message: MailMessage
  /// The complete message as it is sent.
  public var bytes: [UInt8]
}

/// Renders a send request into a complete MIME message.
protocol MessageComposing {
  func compose(_ request: SendRequest) throws -> ComposedMessage
}
