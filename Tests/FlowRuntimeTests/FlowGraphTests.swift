import FlowCheck
import FlowDiagnostics
import FlowHost
import FlowIR
import Foundation
import Testing

/// `FlowGraph`: exact Mermaid and DOT text for the repository's `winback`
/// flow and for a small flow with a three-arm split.
@Suite("Graph rendering")
struct FlowGraphTests {
  /// The repository's `winback` flow, compiled with the rest of `Flows`.
  static func winback() throws -> Flow {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let project = try Project.load(
      paths: [root.appendingPathComponent("Flows").path],
      templatesDirectory: root.appendingPathComponent("Templates").path)
    let program = try #require(project.program)
    return try #require(program.flows.first { $0.name == "winback" })
  }

  /// A three-arm split whose last arm is empty, and a condition with quotes.
  static let splitSource = """
    flow trial {
      trigger member_joined
      split 50% {
        send a { template "t" subject "A" }
      } 30% {
        wait 2d
        if member.tags has "vip" and (member.order_count >= 3 or not member.consent.email) {
          send b { template "t" subject "B" }
        }
      } else {
      }
    }

    """

  static func splitFlow() throws -> Flow {
    let program = try compileFlow(splitSource)
    return try #require(program.flows.first)
  }

  @Test func winbackMermaid() throws {
    let text = FlowGraph(flow: try Self.winback()).render(.mermaid)
    #expect(text == Golden.winbackMermaid)
  }

  @Test func winbackDot() throws {
    let text = FlowGraph(flow: try Self.winback()).render(.dot)
    #expect(text == Golden.winbackDot)
  }

  @Test func splitMermaid() throws {
    let text = FlowGraph(flow: try Self.splitFlow()).render(.mermaid)
    #expect(text == Golden.splitMermaid)
  }

  @Test func splitDot() throws {
    let text = FlowGraph(flow: try Self.splitFlow()).render(.dot)
    #expect(text == Golden.splitDot)
  }

  @Test func expressionText() {
    let vip = Expr.and(
      .compare(
        .ge, .member("total_spent"), .literal(.money(Money(cents: 50_000, currency: "USD")))),
      .compare(.ge, .member("order_count"), .literal(.number(3))))
    #expect(vip.sourceText == "member.total_spent >= 500 USD and member.order_count >= 3")
    let lapsed = Expr.before(.member("last_order_at"), Duration(90, .days))
    #expect(lapsed.sourceText == "member.last_order_at before 90d ago")
    let nested = Expr.not(.or(.segment("vip"), .within(.trigger("at"), Duration(2, .hours))))
    #expect(nested.sourceText == "not (vip or trigger.at within 2h)")
    #expect(Value.money(Money(cents: 1205, currency: "EUR")).sourceText == "12.05 EUR")
    #expect(Value.number(2.5).sourceText == "2.5")
  }
}

/// Expected diagrams, byte for byte.
private enum Golden {
  static let winbackMermaid = #"""
    flowchart TD
      flow_start(["trigger: enters segment lapsing<br/>only if member.consent.email<br/>reentry after 180d<br/>exit when event order_placed<br/>quiet hours 21:00-08:00 local"])
      step_winback_email["send winback_email"]
      step_wait_1("wait 30d")
      step_if_1{"if member.order_count #gt;= 3"}
      step_winback_loyal["send winback_loyal"]
      step_winback_reminder["send winback_reminder"]
      flow_end(["end"])
      flow_start --> step_winback_email
      step_winback_email --> step_wait_1
      step_wait_1 --> step_if_1
      step_if_1 -->|"yes"| step_winback_loyal
      step_if_1 -->|"no"| step_winback_reminder
      step_winback_loyal --> flow_end
      step_winback_reminder --> flow_end

    """#

  static let winbackDot = #"""
    digraph "winback" {
      node [fontname="Helvetica"];
      "flow_start" [label="trigger: enters segment lapsing\nonly if member.consent.email\nreentry after 180d\nexit when event order_placed\nquiet hours 21:00-08:00 local", shape=oval];
      "step_winback_email" [label="send winback_email", shape=box];
      "step_wait_1" [label="wait 30d", shape=parallelogram];
      "step_if_1" [label="if member.order_count >= 3", shape=diamond];
      "step_winback_loyal" [label="send winback_loyal", shape=box];
      "step_winback_reminder" [label="send winback_reminder", shape=box];
      "flow_end" [label="end", shape=oval];
      "flow_start" -> "step_winback_email";
      "step_winback_email" -> "step_wait_1";
      "step_wait_1" -> "step_if_1";
      "step_if_1" -> "step_winback_loyal" [label="yes"];
      "step_if_1" -> "step_winback_reminder" [label="no"];
      "step_winback_loyal" -> "flow_end";
      "step_winback_reminder" -> "flow_end";
    }

    """#

  static let splitMermaid = #"""
    flowchart TD
      flow_start(["trigger: member_joined"])
      step_split_1{{"split"}}
      step_a["send a"]
      step_wait_1("wait 2d")
      step_if_1{"if member.tags has #quot;vip#quot; and (member.order_count #gt;= 3 or not member.consent.email)"}
      step_b["send b"]
      flow_end(["end"])
      flow_start --> step_split_1
      step_split_1 -->|"50%"| step_a
      step_split_1 -->|"30%"| step_wait_1
      step_split_1 -->|"20%"| flow_end
      step_a --> flow_end
      step_wait_1 --> step_if_1
      step_if_1 -->|"yes"| step_b
      step_if_1 -->|"no"| flow_end
      step_b --> flow_end

    """#

  static let splitDot = #"""
    digraph "trial" {
      node [fontname="Helvetica"];
      "flow_start" [label="trigger: member_joined", shape=oval];
      "step_split_1" [label="split", shape=hexagon];
      "step_a" [label="send a", shape=box];
      "step_wait_1" [label="wait 2d", shape=parallelogram];
      "step_if_1" [label="if member.tags has \"vip\" and (member.order_count >= 3 or not member.consent.email)", shape=diamond];
      "step_b" [label="send b", shape=box];
      "flow_end" [label="end", shape=oval];
      "flow_start" -> "step_split_1";
      "step_split_1" -> "step_a" [label="50%"];
      "step_split_1" -> "step_wait_1" [label="30%"];
      "step_split_1" -> "flow_end" [label="20%"];
      "step_a" -> "flow_end";
      "step_wait_1" -> "step_if_1";
      "step_if_1" -> "step_b" [label="yes"];
      "step_if_1" -> "flow_end" [label="no"];
      "step_b" -> "flow_end";
    }

    """#
}
