import FlowDiagnostics
import FlowIR
import FlowSyntax

/// Checks the merge rules of every file (`merge on`, `never merge on`,
/// `match email ...`, `identity`) and lowers them to the `IdentityRules` the
/// program states; the defaults stay in `IdentityRules.policy(for:)`.
enum IdentityRulesChecker {
  static func check(_ files: [FileSyntax], _ problems: inout [CheckProblem]) -> IdentityRules {
    var kinds = IdentityRules.builtinKinds  // in order, for did-you-mean
    var declared: [String: Span] = [:]
    var rules: [MergeRuleSyntax] = []
    var plusAddressing: Span?
    for decl in files.lazy.flatMap(\.decls) {
      switch decl {
      case .identity(let name, _):
        if IdentityRules.builtinKinds.contains(name.text) {
          problems.append(.duplicateIdentityKind(name.text, name.span, first: nil))
        } else if let first = declared[name.text] {
          problems.append(.duplicateIdentityKind(name.text, name.span, first: first))
        } else {
          declared[name.text] = name.span
          kinds.append(name.text)
        }
      case .mergeRule(let rule): rules.append(rule)
      case .matchIgnoringPlusAddressing(let span):
        if let first = plusAddressing {
          problems.append(.duplicateEmailMatching(span, first: first))
        } else {
          plusAddressing = span
        }
      case .field, .event, .segment, .tag, .flow, .limit: continue
      }
    }

    var identity = IdentityRules(ignoresPlusAddressing: plusAddressing != nil)
    var ruled: [String: Span] = [:]
    for rule in rules {
      let policy = lowered(rule.policy)
      for kind in rule.kinds {
        guard declared[kind.text] != nil || IdentityRules.builtinKinds.contains(kind.text) else {
          problems.append(.unknownIdentityKind(kind.text, kind.span, candidates: kinds))
          continue
        }
        if let first = ruled[kind.text] {
          problems.append(.duplicateMergeRule(kind: kind.text, kind.span, first: first))
          continue
        }
        ruled[kind.text] = kind.span
        if kind.text == "email", policy != .merge {
          problems.append(.emailAlwaysMerges(never: policy == .never, kind.span))
          continue
        }
        // Keys people share merge only when emails agree unless told otherwise.
        if policy == .merge, IdentityRules().policy(for: kind.text) == .mergeUnlessEmailsDiffer {
          problems.append(.sharedKeyMerges(kind: kind.text, kind.span))
        }
        identity.policies[kind.text] = policy
      }
    }
    return identity
  }

  private static func lowered(_ policy: MergeRuleSyntax.Policy) -> IdentityRules.Policy {
    switch policy {
    case .merge: .merge
    case .mergeUnlessEmailsDiffer: .mergeUnlessEmailsDiffer
    case .never: .never
    }
  }
}
