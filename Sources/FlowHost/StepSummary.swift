import FlowDiagnostics
import FlowIR
import MemberStore

/// Per flow and step: members who entered, emails sent, members who left
/// there (goal, exit rule, failed `only if`) and sends skipped (no consent,
/// suppressed, failed render). Counts come from the store's step log, so they
/// cover every run against the database.
public struct StepSummary: Sendable, Hashable {
  public struct Row: Sendable, Hashable {
    public var flow: String
    public var step: String
    public var entered = 0
    public var sent = 0
    public var exited = 0
    public var skipped = 0
  }

  public var rows: [Row]

  /// Rows for every step of the program in source order, then any steps the
  /// log names that the program no longer has.
  public init(program: Program, counts: [StepCount]) {
    var rows: [Row] = []
    var index: [String: Int] = [:]
    for flow in program.flows {
      for step in flow.steps {
        index["\(flow.name)\u{0}\(step.name)"] = rows.count
        rows.append(Row(flow: flow.name, step: step.name))
      }
    }
    for count in counts {
      let key = "\(count.flow)\u{0}\(count.step)"
      let position: Int
      if let existing = index[key] {
        position = existing
      } else {
        position = rows.count
        index[key] = position
        rows.append(Row(flow: count.flow, step: count.step))
      }
      switch count.outcome {
      case .entered: rows[position].entered += count.count
      case .sent: rows[position].sent += count.count
      case .exited: rows[position].exited += count.count
      case .skipped: rows[position].skipped += count.count
      }
    }
    self.rows = rows
  }

  /// `{"rows": [{"flow": ..., "step": ..., "entered": 0, "sent": 0, "exited": 0, "skipped": 0}]}`
  public var json: String {
    let rows = self.rows.map { row in
      "{\"flow\": \(JSONRenderer.quote(row.flow)), \"step\": \(JSONRenderer.quote(row.step)), "
        + "\"entered\": \(row.entered), \"sent\": \(row.sent), \"exited\": \(row.exited), "
        + "\"skipped\": \(row.skipped)}"
    }
    return "{\"rows\": [\n  " + rows.joined(separator: ",\n  ") + "\n]}\n"
  }

  /// An aligned text table with a header and a totals line.
  public var table: String {
    let header = ["flow", "step", "entered", "sent", "exited", "skipped"]
    var lines = rows.map {
      [$0.flow, $0.step, "\($0.entered)", "\($0.sent)", "\($0.exited)", "\($0.skipped)"]
    }
    lines.append([
      "total", "", "\(rows.map(\.entered).reduce(0, +))", "\(rows.map(\.sent).reduce(0, +))",
      "\(rows.map(\.exited).reduce(0, +))", "\(rows.map(\.skipped).reduce(0, +))",
    ])
    let all = [header] + lines
    let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
    func format(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column < 2 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    var output = [format(header), rule] + lines.dropLast().map(format)
    output += [rule, format(lines[lines.count - 1])]
    return output.map { $0.trimmingSuffix() }.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func trimmingSuffix() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
