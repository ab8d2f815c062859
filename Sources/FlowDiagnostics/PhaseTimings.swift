/// Wall-clock time spent in each phase of a compile (`flowc check --timings`),
/// so a slowdown can be pinned on reading, parsing, checking or templates.
public struct PhaseTimings: Sendable, Hashable {
  public struct Phase: Sendable, Hashable {
    public var name: String
    public var seconds: Double
  }

  public private(set) var phases: [Phase] = []

  public init() {}

  /// Runs `body`, adding its duration to the phase `name`.
  public mutating func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    let start = clock.now
    defer {
      let elapsed = clock.now - start
      add(name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return try body()
  }

  public mutating func add(_ name: String, _ seconds: Double) {
    if let index = phases.firstIndex(where: { $0.name == name }) {
      phases[index].seconds += seconds
    } else {
      phases.append(Phase(name: name, seconds: seconds))
    }
  }

  public mutating func append(_ other: PhaseTimings) {
    for phase in other.phases { add(phase.name, phase.seconds) }
  }
}
