/// A member's profile row.
public struct MemberRecord: Sendable, Hashable {
  public var id: Int64
  public var email: String
  public var firstName: String?
  public var lastName: String?
  public var phone: String?
  public var locale: String?
  public var timezone: String?
  public var joinedAt: Int64?
  /// Custom field values as a JSON object.
  public var fieldsJSON: String

  public init(
    id: Int64, email: String, firstName: String? = nil, lastName: String? = nil,
    phone: String? = nil, locale: String? = nil, timezone: String? = nil, joinedAt: Int64? = nil,
    fieldsJSON: String = "{}"
  ) {
    self.id = id
    self.email = email
    self.firstName = firstName
    self.lastName = lastName
    self.phone = phone
    self.locale = locale
    self.timezone = timezone
    self.joinedAt = joinedAt
    self.fieldsJSON = fieldsJSON
  }
}

/// Purchase and engagement figures kept up to date as events are processed.
public struct MemberAggregates: Sendable, Hashable {
  public var orderCount: Int64 = 0
  public var totalSpentCents: Int64 = 0
  public var currency: String?
  public var firstOrderAt: Int64?
  public var lastOrderAt: Int64?
  public var lastOpenAt: Int64?
  public var lastClickAt: Int64?

  public init() {}
}

/// A member's RFM quintiles, each 1 (lowest fifth) to 5 (highest).
public struct RFMScores: Sendable, Hashable {
  public var recency: Int
  public var frequency: Int
  public var monetary: Int

  public init(recency: Int, frequency: Int, monetary: Int) {
    self.recency = recency
    self.frequency = frequency
    self.monetary = monetary
  }
}

/// An event as stored: its payload is JSON shaped by the event's schema.
public struct StoredEvent: Sendable, Hashable {
  public var id: Int64
  public var memberID: Int64
  public var name: String
  public var occurredAt: Int64
  public var payload: String
}

/// Why a timer exists; each kind is created and consumed by the runtime.
public enum TimerKind: String, Sendable {
  /// A flow instance waiting at a step (`wait`, quiet hours) resumes.
  case resume
  /// A time-based segment or tag may change truth for a member.
  case segments
  /// A date-field trigger (`trigger on member.birthday`) fires.
  case anniversary
  /// Daily at midnight in the shop's zone: RFM scores are recomputed (member 0).
  case rfm
}

extension TimerKind {
  /// The key of an instance's `resume` timer (`parkedInstances` matches it in SQL).
  public static func resumeKey(instanceID: Int64) -> String { "i\(instanceID)" }
}

/// A durable timer; at most one per (kind, member, key).
public struct StoredTimer: Sendable, Hashable {
  public var id: Int64
  public var kind: TimerKind
  public var memberID: Int64
  public var instanceID: Int64?
  public var key: String
  public var dueAt: Int64
}

/// Where a flow instance is in its life.
public enum InstanceStatus: String, Sendable {
  /// Inside the flow, at `step` (or about to start).
  case active
  /// Ran past its last step.
  case completed
  /// Left early: a goal/exit event, a failed `only if`, or a removed step.
  case exited
}

/// One member's pass through one flow.
public struct FlowInstanceRecord: Sendable, Hashable {
  public var id: Int64
  public var flow: String
  public var version: String
  public var memberID: Int64
  public var status: InstanceStatus
  public var step: String?
  public var enteredAt: Int64
  public var triggerPayload: String

  public init(
    id: Int64, flow: String, version: String, memberID: Int64, status: InstanceStatus,
    step: String?, enteredAt: Int64, triggerPayload: String
  ) {
    self.id = id
    self.flow = flow
    self.version = version
    self.memberID = memberID
    self.status = status
    self.step = step
    self.enteredAt = enteredAt
    self.triggerPayload = triggerPayload
  }
}

/// What happened at a step, as recorded in the step log.
public enum StepOutcome: String, Sendable, CaseIterable {
  case entered
  case sent
  /// A send not made: no consent, suppressed, or a failed render.
  case skipped
  /// The member left the flow while at this step.
  case exited
}

/// A count from the step log.
public struct StepCount: Sendable, Hashable {
  public var flow: String
  public var step: String
  public var outcome: StepOutcome
  public var count: Int
}

/// A message committed to the outbox, not yet delivered.
public struct OutboxMessage: Sendable, Hashable {
  public var id: Int64
  public var idempotencyKey: String
  public var flow: String
  public var step: String
  public var recipient: String
  public var message: [UInt8]
}

/// Everything about one member the runtime reads before acting on them,
/// loaded in one query.
public struct MemberState: Sendable, Hashable {
  public var record: MemberRecord
  public var aggregates: MemberAggregates
  /// The latest email consent status at the moment asked, if any was recorded.
  public var emailConsent: String?
  public var suppressed: Bool
  public var tags: Set<String>
  public var segments: Set<String>
}

/// How many sends were skipped at a step, for one reason.
public struct SkippedSends: Sendable, Hashable {
  public var flow: String
  public var step: String
  public var reason: String
  public var count: Int
}

/// An active flow instance with what a deploy needs to decide where it goes.
public struct ParkedInstance: Sendable, Hashable {
  public var id: Int64
  public var flow: String
  /// The version of the flow it entered.
  public var version: String
  public var memberID: Int64
  public var step: String?
  /// The member's IANA zone, if they have one.
  public var timezone: String?
  /// When the instance last entered `step`, from the step log.
  public var stepEnteredAt: Int64?
  /// When its `resume` timer is due, if it has one.
  public var resumeDueAt: Int64?
}

/// What one deploy did, as the store records it.
public struct DeployRecord: Sendable, Hashable {
  public var at: Int64
  public var resumed: Int
  public var moved: Int
  public var exited: Int
  public var newFlows: Int
  /// The whole plan as JSON.
  public var plan: String

  public init(at: Int64, resumed: Int, moved: Int, exited: Int, newFlows: Int, plan: String) {
    self.at = at
    self.resumed = resumed
    self.moved = moved
    self.exited = exited
    self.newFlows = newFlows
    self.plan = plan
  }
}

/// A product of the shop's catalog, for recommendations.
public struct ProductRecord: Sendable, Hashable {
  /// The store's product id (Shopify's numeric id, a SKU, a handle).
  public var id: String
  public var title: String
  public var url: String?
  public var imageURL: String?
  public var priceCents: Int64?
  public var currency: String?
  /// Lower-cased tags (`shoes`, `summer`), matched against member interests.
  public var tags: [String]

  public init(
    id: String, title: String, url: String? = nil, imageURL: String? = nil,
    priceCents: Int64? = nil, currency: String? = nil, tags: [String] = []
  ) {
    self.id = id
    self.title = title
    self.url = url
    self.imageURL = imageURL
    self.priceCents = priceCents
    self.currency = currency
    self.tags = tags
  }
}

/// The flow names of outbox rows no flow sent, in parentheses, which no
/// flow name in the language can hold.
public enum OutboxFlow {
  /// The double opt-in confirmation email queued by the intake.
  public static let signup = "(signup)"
}
