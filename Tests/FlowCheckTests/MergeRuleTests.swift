import FlowCheck
import FlowDiagnostics
import FlowIR
import Testing

/// Merge rules lower to `Program.identity` with only what the program
/// states, checked across files.
@Suite struct MergeRuleTests {
  private func compile(_ texts: [String: String]) -> CompileResult {
    let files = texts.keys.sorted().map { SourceFile(path: $0, text: texts[$0] ?? "") }
    return compileProgram(files: files, templates: ["t"])
  }

  @Test func statedRulesFromEveryFileAreLowered() throws {
    let result = compile([
      "a.flow": "merge on email, shopify\nnever merge on visitor\n",
      "b.flow":
        "merge on phone, pos_id unless emails differ\nmatch email ignoring plus addressing\n",
      "c.flow": "identity pos_id\n",
    ])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    let identity = try #require(result.program?.identity)
    #expect(
      identity.policies == [
        "email": .merge, "shopify": .merge, "visitor": .never,
        "phone": .mergeUnlessEmailsDiffer, "pos_id": .mergeUnlessEmailsDiffer,
      ])
    #expect(identity.ignoresPlusAddressing)
    // Kinds the program does not mention keep their defaults.
    #expect(identity.policy(for: "woo") == .merge)
  }

  @Test func aProgramWithoutRulesStatesNothing() throws {
    let result = compile(["a.flow": "identity pos_id\nsegment s = member.order_count > 1\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(try #require(result.program).identity == IdentityRules())
  }

  @Test func aPolicyGivenTwiceAcrossFilesPointsAtBoth() throws {
    let result = compile([
      "a.flow": "merge on shopify\n",
      "b.flow": "never merge on woo, shopify\n",
    ])
    #expect(result.program == nil)
    let diagnostic = try #require(result.diagnostics.first)
    #expect(result.diagnostics.count == 1)
    #expect(diagnostic.code == .duplicateMergeRule)
    #expect(diagnostic.span == Span(file: 1, start: 20, end: 27))
    #expect(diagnostic.notes.map(\.span) == [Span(file: 0, start: 9, end: 16)])
  }

  @Test func unknownKindsSuggestDeclaredOnes() {
    let result = compile(["a.flow": "identity loyalty_id\nmerge on loyalty_ids, phon\n"])
    #expect(result.diagnostics.map(\.code) == [.unknownIdentityKind, .unknownIdentityKind])
    #expect(
      result.diagnostics.map(\.help) == ["did you mean 'loyalty_id'?", "did you mean 'phone'?"])
  }

  @Test func emailNeverStopsMerging() {
    let never = compile(["a.flow": "never merge on email\n"]).diagnostics
    #expect(never.map(\.code) == [.emailAlwaysMerges])
    #expect(never.first?.message == "'never merge on email' is not allowed: email always merges")
    let unless = compile(["a.flow": "merge on email unless emails differ\n"]).diagnostics
    #expect(unless.map(\.code) == [.emailAlwaysMerges])
    #expect(compile(["a.flow": "merge on email\n"]).diagnostics.isEmpty)
  }

  @Test func mergingOnSharedKeysWarnsButCompiles() throws {
    let result = compile(["a.flow": "merge on visitor, woo\nmerge on phone\n"])
    #expect(result.diagnostics.map(\.code) == [.sharedKeyMerges, .sharedKeyMerges])
    #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
    #expect(
      result.diagnostics.map(\.help) == [
        "write 'merge on visitor unless emails differ'",
        "write 'merge on phone unless emails differ'",
      ])
    let identity = try #require(result.program?.identity)
    #expect(identity.policies == ["visitor": .merge, "woo": .merge, "phone": .merge])
  }

  @Test func identityDeclarationsMustBeNew() {
    let result = compile([
      "a.flow": "identity pos_id\nidentity shopify\n", "b.flow": "identity pos_id\n",
    ])
    #expect(result.diagnostics.map(\.code) == [.duplicateIdentityKind, .duplicateIdentityKind])
    #expect(
      result.diagnostics.map { $0.notes.map(\.message) } == [
        ["'shopify' is built in"], ["first declared here"],
      ])
  }

  @Test func matchingIgnoringPlusAddressingIsStatedOnce() {
    let result = compile([
      "a.flow": "match email ignoring plus addressing\n",
      "b.flow": "match email ignoring plus addressing\n",
    ])
    #expect(result.diagnostics.map(\.code) == [.duplicateEmailMatching])
    #expect(result.diagnostics.first?.span.file == 1)
  }
}
