extension FlowGraph {
  /// A Mermaid `flowchart TD`; labels are quoted, with `#`, `"`, `<` and `>`
  /// written as entity codes and lines joined by `<br/>`.
  public var mermaid: String {
    var out = "flowchart TD\n"
    for node in nodes {
      let label = "\"" + node.lines.map(Self.mermaidEscaped).joined(separator: "<br/>") + "\""
      let (open, close) = Self.mermaidBrackets(node.shape)
      out += "  \(node.id)\(open)\(label)\(close)\n"
    }
    for edge in edges {
      let label = edge.label.map { "|\"\(Self.mermaidEscaped($0))\"|" } ?? ""
      out += "  \(edge.from) -->\(label) \(edge.to)\n"
    }
    return out
  }

  /// A Graphviz `digraph`; identifiers and labels are quoted and escaped.
  public var dot: String {
    var out = "digraph \(doubleQuoted(name)) {\n"
    out += "  node [fontname=\"Helvetica\"];\n"
    for node in nodes {
      let label = node.lines.map(doubleQuoted).map { $0.dropFirst().dropLast() }
        .joined(separator: "\\n")
      out +=
        "  \(doubleQuoted(node.id)) [label=\"\(label)\", shape=\(Self.dotShape(node.shape))];\n"
    }
    for edge in edges {
      let label = edge.label.map { " [label=\(doubleQuoted($0))]" } ?? ""
      out += "  \(doubleQuoted(edge.from)) -> \(doubleQuoted(edge.to))\(label);\n"
    }
    return out + "}\n"
  }

  static func mermaidEscaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "#": result += "#35;"
      case "\"": result += "#quot;"
      case "<": result += "#lt;"
      case ">": result += "#gt;"
      case "\n": result += " "
      default: result.append(character)
      }
    }
    return result
  }

  static func mermaidBrackets(_ shape: Shape) -> (String, String) {
    switch shape {
    case .start, .end: return ("([", "])")
    case .send: return ("[", "]")
    case .wait: return ("(", ")")
    case .branch: return ("{", "}")
    case .split: return ("{{", "}}")
    }
  }

  static func dotShape(_ shape: Shape) -> String {
    switch shape {
    case .start, .end: return "oval"
    case .send: return "box"
    case .wait: return "parallelogram"
    case .branch: return "diamond"
    case .split: return "hexagon"
    }
  }
}
