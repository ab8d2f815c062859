import FlowDiagnostics

/// `flow NAME { clauses and steps }`. Clauses and steps may interleave; each
/// list keeps source order.
package struct FlowDeclSyntax: Sendable, Hashable {
  package var name: Name
  package var clauses: [FlowClauseSyntax]
  package var steps: [StepSyntax]
  package var span: Span
}

/// A flow-level clause (`trigger`, `only if`, `reentry`, `exit when`, `quiet hours`).
package struct FlowClauseSyntax: Sendable, Hashable {
  /// Clause shapes.
  package enum Kind: Sendable, Hashable {
    case trigger(TriggerSyntax)
    case onlyIf(ExprSyntax)
    case reentryNever
    case reentryAfter(DurationLiteral)
    case exitWhen(event: Name, condition: ExprSyntax?)
    case quietHours(start: TimeLiteral, end: TimeLiteral)
    /// `limit N emails per DURATION` or `limit none`, overriding the program's.
    case limit(LimitSyntax)
  }
  package var kind: Kind
  package var span: Span
}

/// The forms of `trigger`.
package enum TriggerSyntax: Sendable, Hashable {
  /// `trigger member_joined`; the span is that word's.
  case memberJoined(Span)
  case event(Name)
  /// `trigger on member.F at HH:MM local`
  case anniversary(field: String, fieldSpan: Span, at: TimeLiteral)
  case entersSegment(Name)
  /// A `trigger` whose form could not be parsed (already reported); kept so
  /// the checker does not also report a missing trigger.
  case invalid(Span)
}

/// A step in a flow or in an arm of an `if`/`split`.
package struct StepSyntax: Sendable, Hashable {
  /// Step shapes.
  package indirect enum Kind: Sendable, Hashable {
    /// `send NAME { template "T" subject "S" }`; a missing property was reported.
    case send(name: Name, template: StringLiteral?, subject: StringLiteral?)
    case wait(DurationLiteral)
    /// `wait for event NAME [where C] up to D [else { }]`
    case waitForEvent(WaitForEventSyntax)
    /// `wait until [DAYS] [HH:MM local]`
    case waitUntil(days: Name?, time: TimeLiteral?)
    /// `if C { } else if C { } else { }`: one arm per condition.
    case branch(arms: [BranchArm], otherwise: [StepSyntax]?)
    /// `split N% { } ... else { }`
    case split(arms: [SplitArm], otherwise: [StepSyntax])
  }
  package var kind: Kind
  package var span: Span
}

/// One `if`/`else if` arm.
package struct BranchArm: Sendable, Hashable {
  package var condition: ExprSyntax
  package var steps: [StepSyntax]
}

/// One stated `N% { ... }` arm of a split.
package struct SplitArm: Sendable, Hashable {
  package var percent: Int
  package var percentSpan: Span
  package var steps: [StepSyntax]
}

/// `wait for event NAME [where C] up to D [else { ... }]`: the `else` block
/// runs when the event does not come in time.
package struct WaitForEventSyntax: Sendable, Hashable {
  package var event: Name
  package var condition: ExprSyntax?
  package var timeout: DurationLiteral
  package var otherwise: [StepSyntax]?
}

/// A frequency cap: `limit 3 emails per 7d`, or `limit none` (a flow only).
package enum LimitSyntax: Sendable, Hashable {
  case none(Span)
  case cap(count: Int, countSpan: Span, per: DurationLiteral)
}
