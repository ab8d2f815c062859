import LinkTokens
import FlowDiagnostics
import FlowIR
import FlowRuntime
import MemberStore

/// `flowc preview`: the exact message a send step would give one member now,
/// built by the engine's own composer and written nowhere.
public enum MessagePreview {
  /// Composes `step` (`flow.step`, or a step name used by one flow only) for
  /// `member` (an email address or a member id) at `now`.
  public static func compose(
    project: Project, shop: ShopSettings, databasePath: String, step: String, member: String,
    now: Int64
  ) throws -> ComposedMessage {
    guard let program = project.program, let templates = project.templates else {
      throw HostError("the flows have errors; run 'flowc check' to see them")
    }
    let (flow, stepName) = try resolve(step, in: program)
    let store = try SQLiteFlowStore(path: databasePath)
    let memberID = try resolveMember(member, in: store)
    let signer = LinkSigner(key: try FlowService.signingKey(store))
    // A preview starts no instance, so no flow version is recorded.
    let engine = try FlowEngine(
      program: program, versions: [:], store: store, templates: templates, shop: shop,
      signToken: { signer.token(for: $0) })
    return try engine.preview(flow: flow, step: stepName, memberID: memberID, now: now)
  }

  /// `flow.step`, or a bare step name that exactly one flow sends from.
  static func resolve(_ text: String, in program: Program) throws -> (flow: String, step: String) {
    let sends = program.flows.flatMap { flow in
      flow.steps.compactMap { step -> (flow: String, step: String)? in
        guard case .send = step.action else { return nil }
        return (flow.name, step.name)
      }
    }
    let matches = sends.filter { "\($0.flow).\($0.step)" == text || $0.step == text }
    if matches.count == 1, let only = matches.first { return only }
    if matches.count > 1 {
      let names = matches.map { "\($0.flow).\($0.step)" }.joined(separator: ", ")
      throw HostError("step '\(text)' is in several flows; name one of \(names)")
    }
    let candidates = sends.map { "\($0.flow).\($0.step)" } + sends.map(\.step)
    let hint = Suggestion.closest(to: text, among: candidates).map { " (did you mean '\($0)'?)" }
    throw HostError("no send step '\(text)'\(hint ?? "")")
  }

  private static func resolveMember(_ text: String, in store: SQLiteFlowStore) throws -> Int64 {
    if let id = Int64(text), try store.member(id: id) != nil { return id }
    let email = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let id = try store.memberID(identity: "email", value: email) else {
      throw HostError("no member '\(text)' in the store")
    }
    return id
  }
}
