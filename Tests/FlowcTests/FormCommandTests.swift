import Foundation
import Testing

/// `flowc form`: the signup snippet a shop pastes into its theme.
@Suite("flowc form command")
struct FormCommandTests {
  @Test("a French form with a first name field matches its golden file")
  func frenchGolden() async throws {
    let result = try await flowc([
      "form", "--action", "https://t.example.com/v1/subscribe", "--fields", "first_name",
      "--locale", "fr", "--id", "footer",
    ])
    #expect(result.exitCode == 0)
    #expect(result.stderr == "")
    let golden = try String(
      contentsOf: Repo.fixtures.appendingPathComponent("signup_form_fr.html"), encoding: .utf8)
    #expect(result.stdout == golden)
  }

  @Test("the snippet loads nothing from elsewhere and carries the honeypot and consent text")
  func plainForm() async throws {
    let scratch = try TempDirectory()
    let shop = try shopFile(in: scratch)
    let result = try await flowc([
      "form", "--shop", shop, "--action", "https://t.example.com/v1/subscribe", "--consent-text",
      "Yes, send me \"news\" & offers", "--return-to", "https://shop.example.com/thanks",
      "--fields", "first_name,first_name",
    ])
    #expect(result.exitCode == 0)
    let html = result.stdout
    #expect(!html.contains("<script"))
    #expect(!html.contains(" src="))
    #expect(
      html.contains(
        #"<input type="hidden" name="consent_text" value="Yes, send me &quot;news&quot; &amp; offers">"#
      ))
    #expect(
      html.contains(
        #"<input type="hidden" name="return_to" value="https://shop.example.com/thanks">"#))
    #expect(html.contains(#"name="_gotcha" tabindex="-1" autocomplete="off">"#))
    #expect(html.contains(#"<label for="flowc-signup-email">Email address</label>"#))
    #expect(html.components(separatedBy: #"name="first_name""#).count == 2)
    withExtendedLifetime(scratch) {}
  }

  @Test("--format json gives the action, the form id and the HTML")
  func json() async throws {
    let result = try await flowc([
      "form", "--action", "https://t.example.com/v1/subscribe", "--format", "json",
    ])
    #expect(result.exitCode == 0)
    let object =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String]
    #expect(object?["action"] == "https://t.example.com/v1/subscribe")
    #expect(object?["form"] == "signup")
    #expect(object?["html"]?.hasPrefix("<!-- flowc signup form") == true)
  }

  @Test("without tracking_url or --action it exits 2 and says what to set")
  func noAction() async throws {
    let result = try await flowc(["form"])
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(
      result.stderr.hasPrefix(
        "flowc form: no subscribe URL: set \"tracking_url\" in the shop settings"))
  }

  @Test(
    "a form the intake would not take as written is a usage error",
    arguments: [
      (["--locale", "en_US"], "--locale 'en_US' is not a BCP 47 language tag (like en or fr-CA)"),
      (["--consent-text", "  "], "--consent-text must not be blank"),
      (
        ["--consent-text", String(repeating: "x", count: 2001)],
        "--consent-text: 'consent_text' is longer than 2000 characters"
      ),
      (
        ["--return-to", "https://shop.example.com/" + String(repeating: "x", count: 2048)],
        "--return-to: 'return_to' is longer than 2048 characters"
      ),
      (
        ["--return-to", "https://elsewhere.example/thanks"],
        "--return-to 'https://elsewhere.example/thanks' is not on an origin in \"intake\".\"allowed_origins\" of SHOP (https://shop.example.com); the intake would not follow it"
      ),
    ])
  func refusedForms(flags: [String], error: String) async throws {
    let scratch = try TempDirectory()
    let shop = try shopFile(in: scratch)
    let result = try await flowc(
      ["form", "--shop", shop, "--action", "https://t.example.com/v1/subscribe"] + flags)
    #expect(result.exitCode == 2)
    #expect(result.stdout == "")
    #expect(
      result.stderr.hasPrefix("flowc form: " + error.replacingOccurrences(of: "SHOP", with: shop)))
    withExtendedLifetime(scratch) {}
  }

  @Test("--return-to without shop settings says where the allowed origins come from")
  func returnToNeedsShop() async throws {
    let empty = try TempDirectory()
    let result = try await flowc(
      [
        "form", "--action", "https://t.example.com/v1/subscribe", "--return-to",
        "https://shop.example.com/thanks",
      ], in: empty.url)
    #expect(result.exitCode == 2)
    #expect(
      result.stderr.contains(
        "flowc form: --return-to needs the shop settings: the intake follows it only on one of \"intake\".\"allowed_origins\" (pass --shop FILE)"
      ))
  }

  private func shopFile(in scratch: TempDirectory) throws -> String {
    let path = scratch.url.appendingPathComponent("shop.json")
    try Data(
      #"{"name": "Shop", "from_email": "hi@shop.example.com", "intake": {"allowed_origins": ["https://shop.example.com"]}}"#
        .utf8
    ).write(to: path)
    return path.path
  }

  @Test("an unknown field or a non-web action is a usage error")
  func usageErrors() async throws {
    let field = try await flowc([
      "form", "--action", "https://t.example.com/v1/subscribe", "--fields", "birthday",
    ])
    #expect(field.exitCode == 2)
    #expect(
      field.stderr.hasPrefix(
        "flowc form: --fields: unknown field 'birthday' (known: first_name, last_name)"))
    let action = try await flowc(["form", "--action", "javascript:alert(1)"])
    #expect(action.exitCode == 2)
    #expect(
      action.stderr.hasPrefix(
        "flowc form: --action must be an http(s) URL, not 'javascript:alert(1)'"))
  }
}
