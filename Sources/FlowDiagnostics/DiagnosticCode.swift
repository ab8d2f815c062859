/// Every diagnostic code the compiler can emit, declared once, here.
///
/// Codes are `FL` plus four digits; the first digit is the phase:
/// 0 lexing, 1 parsing, 2 names, 3 types, 4 flow semantics, 5 templates,
/// 8 CLI/config, 9 internal. Within phase 4, `FL41nn` codes are warnings:
/// the flow runs, but probably not as meant. A code is never reused for another meaning;
/// a retired one stays in this list. `Docs/errors.md` has one entry per code.
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable, Comparable {
  // MARK: 0 lexing
  case unexpectedCharacter = "FL0001"
  case unterminatedString = "FL0002"
  case malformedNumber = "FL0003"
  case malformedDuration = "FL0004"
  case malformedTime = "FL0005"
  case invalidEscape = "FL0006"

  // MARK: 1 parsing
  case expectedToken = "FL1001"
  case nestingTooDeep = "FL1002"
  /// Retired: `wait for event` and `wait until` were not supported before 0.2.
  case notSupportedYet = "FL1003"
  case missingSendProperty = "FL1004"
  case duplicateSendProperty = "FL1005"

  // MARK: 2 names
  case unknownMemberField = "FL2001"
  case unknownEvent = "FL2002"
  case unknownSegment = "FL2003"
  case unknownTemplate = "FL2004"
  case unknownEventField = "FL2005"
  case duplicateFlow = "FL2006"
  case duplicateStep = "FL2007"
  case duplicateDeclaration = "FL2008"
  case segmentCycle = "FL2009"
  case eventOutsideExit = "FL2010"
  case unknownType = "FL2011"
  case unknownWeekday = "FL2012"
  case unknownIdentityKind = "FL2013"
  case duplicateIdentityKind = "FL2014"

  // MARK: 3 types
  case comparisonTypeMismatch = "FL3001"
  case currencyMismatch = "FL3002"
  case timeOperatorOnNonTime = "FL3003"
  case nonBoolCondition = "FL3004"
  case anniversaryNotDate = "FL3005"
  case badFieldDefault = "FL3006"
  case unorderedComparison = "FL3007"
  case badHasOperands = "FL3008"
  case unknownRFMLayer = "FL3009"

  // MARK: 4 flow semantics
  case missingTrigger = "FL4001"
  case duplicateTrigger = "FL4002"
  case duplicateClause = "FL4003"
  case badDuration = "FL4004"
  case invalidTimeOfDay = "FL4005"
  case badSplitWeights = "FL4006"
  case exitOnJoin = "FL4007"
  case triggerFieldUnavailable = "FL4008"
  case badLimit = "FL4009"
  case duplicateMergeRule = "FL4010"
  case emailAlwaysMerges = "FL4011"
  case duplicateEmailMatching = "FL4012"
  case seriesWithoutGoal = "FL4101"
  case waitOutlastsSegment = "FL4102"
  case identicalSplitArms = "FL4103"
  case unreachableArm = "FL4104"
  case sharedKeyMerges = "FL4105"

  // MARK: 5 templates
  case templateSyntax = "FL5001"
  case subjectSyntax = "FL5002"
  case unknownTemplateVariable = "FL5003"
  case missingUnsubscribeLink = "FL5004"

  // MARK: 8 CLI/config
  case invalidScenario = "FL8001"

  // MARK: 9 internal
  case internalError = "FL9001"

  /// The stable code, e.g. `FL2003`.
  public var code: String { rawValue }

  /// The phase digit (0 lexing ... 9 internal).
  public var phase: Int { Int(rawValue.utf8.dropFirst(2).first.map { $0 - 48 } ?? 9) }

  /// The default severity when the emitter does not override it.
  public var defaultSeverity: Severity {
    switch self {
    case .seriesWithoutGoal, .waitOutlastsSegment, .identicalSplitArms, .unreachableArm,
      .sharedKeyMerges:
      .warning
    default: .error
    }
  }

  /// Codes that fixtures cannot provoke (internal errors); the test that
  /// demands a fixture for every code skips these.
  public var isInternal: Bool { phase == 9 }

  /// Codes no longer emitted; kept so that no code is ever reused.
  public var isRetired: Bool { self == .notSupportedYet }

  /// Codes reported about files the host reads (templates, `.flowtest`
  /// scenarios) rather than by the compiler over `.flow` sources.
  public var isReportedByHost: Bool { self == .templateSyntax || self == .invalidScenario }

  public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool {
    a.rawValue < b.rawValue
  }
}
