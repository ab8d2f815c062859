/// How to reach an SMTP server and how hard to push it.
public struct SMTPSettings: Sendable, Hashable {
  /// Whether a `smtp://` connection upgrades to TLS with STARTTLS.
  /// (`smtps://` is TLS from the first byte and ignores this.)
  public enum StartTLS: String, Sendable, Hashable, CaseIterable {
    /// Refuse to send unless the server offers STARTTLS.
    case required
    /// Use STARTTLS when offered, else send in the clear.
    case opportunistic
    /// Never use STARTTLS.
    case off
  }

  /// `smtp://host:port` or `smtps://host:port`.
  public var url: String
  public var username: String?
  public var password: String?
  public var startTLS: StartTLS
  /// A PEM bundle of CA certificates to trust instead of the system's.
  public var caFile: String?
  /// Parallel connections, each kept open across messages by its own worker thread.
  public var connections: Int
  /// At most this many messages per second to any one recipient domain; nil is no limit.
  public var perDomainPerSecond: Double?
  /// Tries per message in one delivery pass, for temporary (4xx) failures.
  public var attempts: Int
  /// Seconds before the second try; each further try waits twice as long.
  public var retryDelay: Double
  /// Seconds one message may take, connection included, before it counts as a temporary failure.
  public var timeout: Int

  public init(
    url: String, username: String? = nil, password: String? = nil,
    startTLS: StartTLS = .required, caFile: String? = nil, connections: Int = 4,
    perDomainPerSecond: Double? = nil, attempts: Int = 3, retryDelay: Double = 1,
    timeout: Int = 60
  ) {
    self.url = url
    self.username = username
    self.password = password
    self.startTLS = startTLS
    self.caFile = caFile
    self.connections = connections
    self.perDomainPerSecond = perDomainPerSecond
    self.attempts = attempts
    self.retryDelay = retryDelay
    self.timeout = timeout
  }
}
