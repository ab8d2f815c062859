import Foundation

/// Settings for one render: clock, locale-like choices and resource limits.
public struct RenderOptions: Sendable {
  /// Time zone the `date` filter formats in. Defaults to UTC.
  public var timeZone: TimeZone
  /// The current time in epoch seconds, used by `date` for "now" and "today".
  ///
  /// Injected rather than read from the clock so that renders are deterministic and replayable.
  public var now: Int64
  /// ISO 4217 code used by the `money` filters. Defaults to "USD".
  public var currency: String
  /// When true, an undefined variable or key raises an error instead of rendering as nil.
  public var strictVariables: Bool
  /// Largest output, in UTF-8 bytes, before rendering fails. Defaults to 1 MiB.
  public var maxOutputBytes: Int
  /// Largest number of loop iterations plus nodes rendered before rendering fails.
  public var maxSteps: Int
  /// Source of partials for `{% render %}` and `{% include %}`; nil means none are available.
  public var partials: (any TemplateLoader)?

  /// Creates options; every setting has a default.
  public init(
    timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt,
    now: Int64 = 0,
    currency: String = "USD",
    strictVariables: Bool = false,
    maxOutputBytes: Int = 1 << 20,
    maxSteps: Int = 1_000_000,
    partials: (any TemplateLoader)? = nil
  ) {
    self.timeZone = timeZone
    self.now = now
    self.currency = currency
    self.strictVariables = strictVariables
    self.maxOutputBytes = maxOutputBytes
    self.maxSteps = maxSteps
    self.partials = partials
  }
}

/// Supplies the source of partial templates by name, for `{% render 'name' %}`.
public protocol TemplateLoader: Sendable {
  /// The Liquid source of the partial called `name`, or nil when there is none.
  func source(named name: String) -> String?
}

/// A loader backed by an in-memory dictionary from partial name to source.
public struct DictionaryTemplateLoader: TemplateLoader {
  /// Partial sources keyed by name.
  public var sources: [String: String]
  /// Creates a loader over `sources`.
  public init(_ sources: [String: String]) { self.sources = sources }
  /// The source stored under `name`.
  public func source(named name: String) -> String? { sources[name] }
}
