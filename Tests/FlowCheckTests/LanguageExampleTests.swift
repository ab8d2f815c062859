import FlowCheck
import FlowDiagnostics
import FlowIR
import Testing

/// The LANGUAGE.md declarations and the welcome, birthday and winback flows
/// compile cleanly, and lower to the IR the runtime expects.
@Suite struct LanguageExampleTests {
  let program: Program

  init() throws {
    let file = try Fixtures.source("valid/language.flow")
    let result = compileProgram(files: [file], templates: Fixtures.templates)
    #expect(
      result.diagnostics.isEmpty, "\(TextRenderer().render(result.diagnostics, files: [file]))")
    program = try #require(result.program)
  }

  @Test func declarations() throws {
    #expect(
      program.fields == [
        FieldDecl(name: "birthday", type: .date),
        FieldDecl(name: "loyalty_tier", type: .string, defaultValue: .string("basic")),
        FieldDecl(name: "shoe_size", type: .optional(.number)),
      ])
    #expect(program.events.prefix(Builtins.events.count).elementsEqual(Builtins.events))
    let cart = try #require(program.events.last)
    #expect(cart.name == "cart_abandoned" && !cart.isBuiltin)
    #expect(cart.fields.map(\.type) == [.string, .money, .list(.record("item"))])
    #expect(program.tags.map(\.tag) == ["tier:vip", "tier:lapsing"])
    #expect(program.tags[1].predicate == .and(.segment("lapsing"), .not(.segment("vip"))))
  }

  @Test func mergeRules() {
    #expect(
      program.identity
        == IdentityRules(
          policies: [
            "email": .merge, "shopify": .merge, "woo": .merge,
            "phone": .mergeUnlessEmailsDiffer, "visitor": .never,
          ],
          ignoresPlusAddressing: true))
  }

  @Test func vipPredicate() throws {
    let vip = try #require(program.segments.first { $0.name == "vip" })
    #expect(
      vip.predicate
        == .and(
          .compare(
            .ge, .member("total_spent"), .literal(.money(Money(cents: 50000, currency: "USD")))),
          .compare(.ge, .member("order_count"), .literal(.number(3)))))
    let lapsing = try #require(program.segments.first { $0.name == "lapsing" })
    #expect(
      lapsing.predicate
        == .and(
          .compare(.ge, .member("order_count"), .literal(.number(1))),
          .before(.member("last_order_at"), Duration(90, .days))))
    let engaged = try #require(program.segments.first { $0.name == "engaged" })
    #expect(
      engaged.predicate
        == .or(
          .within(.member("last_click_at"), Duration(30, .days)),
          .within(.member("last_open_at"), Duration(30, .days))))
  }

  @Test func welcomeFlow() throws {
    let welcome = try #require(program.flows.first { $0.name == "welcome" })
    #expect(welcome.trigger == .memberJoined)
    #expect(welcome.onlyIf == .member("consent.email"))
    #expect(welcome.reentry == .never)
    #expect(welcome.exits == [ExitRule(event: "order_placed")])
    #expect(welcome.entry == "welcome_email")
    #expect(welcome.steps.map(\.name) == ["welcome_email", "wait_1", "if_1", "welcome_offer"])
    #expect(welcome.steps[0].next == "wait_1")
    #expect(
      welcome.steps[1] == Step(name: "wait_1", action: .wait(Duration(3, .days)), next: "if_1"))
    #expect(
      welcome.steps[2].action
        == .branch(
          condition: .compare(.eq, .member("order_count"), .literal(.number(0))),
          then: "welcome_offer",
          else: nil))
    #expect(welcome.steps[3].next == nil)
    #expect(
      welcome.steps[0].action
        == .send(
          SendAction(
            template: "welcome",
            subject: "Welcome to {{ shop.name }}, {{ member.first_name | default: 'friend' }}")))
  }

  @Test func birthdayFlow() throws {
    let birthday = try #require(program.flows.first { $0.name == "birthday" })
    #expect(birthday.trigger == .anniversary(field: "birthday", at: LocalTime(hour: 9, minute: 0)))
    #expect(birthday.steps.map(\.name) == ["birthday_email"])
  }

  @Test func winbackFlow() throws {
    let winback = try #require(program.flows.first { $0.name == "winback" })
    #expect(winback.trigger == .entersSegment("lapsing"))
    #expect(
      winback.quietHours
        == QuietHours(start: LocalTime(hour: 21, minute: 0), end: LocalTime(hour: 8, minute: 0)))
    #expect(winback.entry == "split_1")
    #expect(winback.steps.map(\.name) == ["split_1", "winback_a", "winback_b"])
    #expect(
      winback.steps[0].action
        == .split([
          SplitArm(percent: 50, target: "winback_a"), SplitArm(percent: 50, target: "winback_b"),
        ]))
    #expect(winback.steps[1].next == nil && winback.steps[2].next == nil)
  }

  @Test func abandonedCartFlow() throws {
    let cart = try #require(program.flows.first { $0.name == "abandoned_cart" })
    #expect(cart.trigger == .event("cart_abandoned"))
    #expect(
      cart.exits == [
        ExitRule(
          event: "order_placed",
          condition: .compare(.eq, .event("cart_id"), .trigger("cart_id")))
      ])
    #expect(cart.steps.map(\.name) == ["wait_1", "cart_reminder", "wait_2", "cart_offer"])
    guard case .waitForEvent(let wait) = cart.steps[2].action else {
      Issue.record("expected a wait for event, got \(cart.steps[2].action)")
      return
    }
    #expect(wait.event == "email_clicked" && wait.condition == nil)
    #expect(wait.timeout == Duration(2, .days) && wait.timeoutTarget == "cart_offer")
  }
}
