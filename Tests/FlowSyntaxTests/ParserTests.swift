import FlowDiagnostics
import Testing

@testable import FlowSyntax

@Suite struct ParserTests {
  private func parse(_ text: String) -> (FileSyntax, [SyntaxProblem]) {
    Parser.parseProblems(Array(text.utf8), file: 0)
  }

  @Test func precedence() throws {
    let (file, problems) = parse("segment s = not a and b or c == 1")
    #expect(problems.isEmpty)
    guard case .segment(let s) = try #require(file.decls.first) else {
      Issue.record("not a segment")
      return
    }
    // ((not a) and b) or (c == 1)
    guard case .or(let left, let right) = s.predicate.kind,
      case .and(let notA, _) = left.kind, case .not = notA.kind,
      case .compare(.equal, _, _) = right.kind
    else {
      Issue.record("wrong tree: \(s.predicate.kind)")
      return
    }
  }

  @Test func memberPathsAndTimeOperators() throws {
    let (file, problems) = parse(
      "segment s = member.consent.email and member.last_order_at before 90d ago")
    #expect(problems.isEmpty)
    guard case .segment(let s) = file.decls[0], case .and(let l, let r) = s.predicate.kind else {
      Issue.record("shape")
      return
    }
    #expect(l.kind == .member(path: "consent.email", pathSpan: Span(file: 0, start: 19, end: 32)))
    guard case .before(_, let duration) = r.kind else {
      Issue.record("before")
      return
    }
    #expect(duration.amount == 90 && duration.unit == .days)
  }

  @Test func moneyLiteralIsExact() {
    let (file, problems) = parse("field f: money = 19.99 EUR")
    #expect(problems.isEmpty)
    guard case .field(let f) = file.decls[0] else { return }
    #expect(f.defaultValue?.kind == .literal(.money(cents: 1999, currency: "EUR")))
    #expect(f.type.kind == .named(Name(text: "money", span: Span(file: 0, start: 9, end: 14))))
  }

  @Test func fieldTypes() {
    let (file, problems) = parse(
      "field a: list<string>?\nevent e { flow: string, items: list<item>, }")
    #expect(problems.isEmpty)
    guard case .field(let a) = file.decls[0], case .event(let e) = file.decls[1] else { return }
    #expect(a.type.isOptional)
    if case .list = a.type.kind {} else { Issue.record("list") }
    #expect(e.fields.map(\.name.text) == ["flow", "items"])
  }

  @Test func flowClausesAndSteps() throws {
    let (file, problems) = parse(
      """
      flow f {
        trigger on member.birthday at 09:00 local
        quiet hours 21:00-08:00 local
        send s { subject "x" template "t" }
        split 10% { wait 1d } 20% { } else { }
        if a { } else if b { } else { wait 2h }
        exit when event order_placed where event.total > 5 USD
      }
      """)
    #expect(problems.isEmpty, "\(problems)")
    guard case .flow(let f) = file.decls[0] else { return }
    #expect(f.clauses.count == 3)
    #expect(f.steps.count == 3)
    guard case .branch(let arms, let otherwise) = f.steps[2].kind else { return }
    #expect(arms.count == 2 && otherwise?.count == 1)
    guard case .split(let splitArms, _) = f.steps[1].kind else { return }
    #expect(splitArms.map(\.percent) == [10, 20])
  }

  @Test func recoversAndReportsSeveralProblems() {
    let (file, problems) = parse(
      """
      segment = 3
      flow a {
        trigger member_joined
        nonsense here
        wait 2d
      }
      flow b { trigger member_joined }
      """)
    #expect(problems.count == 2)
    #expect(file.decls.count == 2)
  }

  @Test func expectedMessageSaysWhatWasExpected() {
    let (_, problems) = parse("segment vip member.x")
    #expect(problems.first?.diagnostic.message == "expected '=', found 'member'")
  }

  @Test func waitForEventWithTimeoutArm() throws {
    let (file, problems) = parse(
      "flow f { trigger member_joined\n wait for event x where event.n > 1 up to 2d else { wait 1d }\n wait 1d }"
    )
    #expect(problems.isEmpty)
    guard case .flow(let f) = file.decls[0] else { throw Unexpected() }
    #expect(f.steps.count == 2)
    guard case .waitForEvent(let wait) = f.steps[0].kind else { throw Unexpected() }
    #expect(wait.event.text == "x")
    #expect(wait.condition != nil)
    #expect(wait.timeout.amount == 2)
    #expect(wait.otherwise?.count == 1)
  }

  @Test func waitUntilTakesDaysTimeOrBoth() throws {
    let (file, problems) = parse(
      "flow f { trigger member_joined\n wait until 09:00 local\n wait until weekday\n wait until monday 10:30 local }"
    )
    #expect(problems.isEmpty)
    guard case .flow(let f) = file.decls[0] else { throw Unexpected() }
    let shapes = f.steps.map { step -> String in
      guard case .waitUntil(let days, let time) = step.kind else { return "?" }
      return "\(days?.text ?? "-") \(time.map { "\($0.hour):\($0.minute)" } ?? "-")"
    }
    #expect(shapes == ["- 9:0", "weekday -", "monday 10:30"])
  }

  @Test func waitForWithoutUpToSaysWhatIsMissing() {
    let (_, problems) = parse("flow f { trigger member_joined\n wait for event x 2d }")
    #expect(problems.first?.diagnostic.message == "expected 'up', found '2d'")
  }

  @Test func limitAtTopLevelAndInAFlow() throws {
    let (file, problems) = parse(
      "limit 3 emails per 7d\nflow f { trigger member_joined\n limit none\n wait 1d }")
    #expect(problems.isEmpty)
    guard case .limit(.cap(let count, _, let per), _) = file.decls[0] else { throw Unexpected() }
    #expect(count == 3 && per.amount == 7)
    guard case .flow(let f) = file.decls[1], case .limit(.none) = f.clauses[1].kind else {
      throw Unexpected()
    }
  }

  @Test func mergeRules() throws {
    let (file, problems) = parse(
      """
      merge on email, shopify
      merge on phone unless emails differ
      never merge on visitor
      match email ignoring plus addressing
      identity pos_id
      """)
    #expect(problems.isEmpty, "\(problems)")
    guard case .mergeRule(let merge) = file.decls[0], case .mergeRule(let unless) = file.decls[1],
      case .mergeRule(let never) = file.decls[2],
      case .matchIgnoringPlusAddressing(let matchSpan) = file.decls[3],
      case .identity(let kind, _) = file.decls[4]
    else { throw Unexpected() }
    #expect(merge.policy == .merge && merge.kinds.map(\.text) == ["email", "shopify"])
    #expect(merge.kinds[1].span == Span(file: 0, start: 16, end: 23))
    #expect(unless.policy == .mergeUnlessEmailsDiffer && unless.kinds.map(\.text) == ["phone"])
    #expect(never.policy == .never && never.span == Span(file: 0, start: 60, end: 82))
    #expect(matchSpan == Span(file: 0, start: 83, end: 119))
    #expect(kind.text == "pos_id")
  }

  @Test func brokenMergeRulesSayWhatIsMissing() {
    let messages = { (text: String) in parse(text).1.map(\.diagnostic.message) }
    #expect(messages("merge email") == ["expected 'on', found 'email'"])
    #expect(
      messages("merge on phone, ")
        == ["expected an identity kind such as 'email', 'phone' or 'visitor', found end of file"])
    #expect(messages("merge on phone unless differ") == ["expected 'emails', found 'differ'"])
    #expect(messages("match email ignoring plus") == ["expected 'addressing', found end of file"])
    // `never merge` takes no `unless`: the rule ends, and `unless` starts nothing.
    #expect(
      messages("never merge on visitor unless emails differ").first?.hasPrefix(
        "expected a declaration") == true)
  }

  @Test func recoveryResumesAtNeverMerge() throws {
    let (file, problems) = parse("segment = 3\nnever merge on visitor\nidentity pos_id")
    #expect(problems.count == 1)
    guard case .mergeRule(let rule) = try #require(file.decls.first) else { throw Unexpected() }
    #expect(rule.policy == .never)
    #expect(file.decls.count == 2)
  }
}

@Suite struct DateLiteralTests {
  @Test func calendarIsChecked() {
    let good = Parser.parseProblems(Array("field d: date = 2024-02-29".utf8), file: 0).1
    #expect(good.isEmpty)
    let bad = Parser.parseProblems(Array("field d: date = 2023-02-29".utf8), file: 0).1
    #expect(bad.map(\.diagnostic.code) == [.malformedNumber])
  }
}

/// Thrown when a parse result does not have the expected shape.
struct Unexpected: Error {}
