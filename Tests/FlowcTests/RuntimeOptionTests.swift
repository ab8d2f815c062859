import Foundation
import Testing

/// How `replay` and `run` treat their store and shop settings.
@Suite("runtime options")
struct RuntimeOptionTests {
  @Test("replay and run refuse a database path where nothing exists", arguments: ["replay", "run"])
  func missingDatabase(command: String) async throws {
    let scratch = try TempDirectory()
    let database = scratch.path("typo.db")
    let result = try await flowc(
      [command]
        + Workspace(scratch, name: "typo").runtimeFlags()
        .replacingDatabase(with: database))
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "flowc \(command): no database at '\(database)'; create one with 'flowc import'\n")
    #expect(!FileManager.default.fileExists(atPath: database))
  }

  @Test("a misspelled shop setting is an error that names the right key")
  func unknownShopSetting() async throws {
    let scratch = try TempDirectory()
    let shop = scratch.path("shop.json")
    try Data(#"{"name": "Vinyl", "from": "hi@vinyl.example"}"#.utf8).write(
      to: URL(fileURLWithPath: shop))
    let workspace = Workspace(scratch, name: "shop")
    workspace.createEmptyStore()
    let result = try await flowc(["replay"] + workspace.runtimeFlags(shop: shop))
    #expect(result.exitCode == 2)
    #expect(
      result.stderr
        == "flowc replay: \(shop): unknown setting \"from\"; did you mean \"from_email\"?\n")
  }

  @Test(
    "shop settings of the wrong shape are refused with the key named",
    arguments: [
      (#"{"strict_variables": "yes"}"#, #""strict_variables" must be true or false"#),
      (#"{"tracking_url": "t.example.com"}"#, #""tracking_url" must be an http(s) URL"#),
      (#"{"country": "XX"}"#, #""country" 'XX' is not an ISO 3166 country code like "GB""#),
    ])
  func badSettingShapes(json: String, message: String) async throws {
    let scratch = try TempDirectory()
    let shop = scratch.path("shop.json")
    try Data(json.utf8).write(to: URL(fileURLWithPath: shop))
    let workspace = Workspace(scratch, name: "shape")
    workspace.createEmptyStore()
    let result = try await flowc(["replay"] + workspace.runtimeFlags(shop: shop))
    #expect(result.exitCode == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test("--transport smtp needs an smtp section; an unknown transport is refused")
  func transportChoice() async throws {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "transport")
    workspace.createEmptyStore()
    let smtp = try await flowc(["replay"] + workspace.runtimeFlags() + ["--transport", "smtp"])
    #expect(smtp.exitCode == 2)
    #expect(
      smtp.stderr.hasPrefix(
        "flowc replay: --transport smtp needs an \"smtp\" section in the shop settings\n"
          + "usage: flowc replay"))
    let pigeon = try await flowc(["run"] + workspace.runtimeFlags() + ["--transport", "pigeon"])
    #expect(pigeon.exitCode == 2)
    #expect(
      pigeon.stderr.hasPrefix(
        "flowc run: --transport takes outbox or smtp, not 'pigeon'\nusage: flowc run"))
  }

  @Test("a sender that is not an email address is refused")
  func badSender() async throws {
    let scratch = try TempDirectory()
    let shop = scratch.path("shop.json")
    try Data(#"{"from_email": "not an email"}"#.utf8).write(to: URL(fileURLWithPath: shop))
    let workspace = Workspace(scratch, name: "sender")
    workspace.createEmptyStore()
    let result = try await flowc(["replay"] + workspace.runtimeFlags(shop: shop))
    #expect(result.exitCode == 2)
    #expect(result.stderr.contains("\"from_email\" 'not an email' is not an email address"))
  }

  @Test("check finds .flow files in subfolders")
  func subfolders() async throws {
    let scratch = try TempDirectory()
    let nested = scratch.path("project/Flows/series")
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    try Data("flow broken {\n  send a { template \"t\" subject \"s\" }\n}\n".utf8).write(
      to: URL(fileURLWithPath: nested + "/broken.flow"))
    let result = try await flowc(
      ["check", scratch.path("project/Flows"), "--templates", scratch.path("none")])
    #expect(result.exitCode == 1)
    #expect(result.stdout.contains("series/broken.flow:1:6: error[FL4001]"))
  }
}

extension Array where Element == String {
  /// The flags with `--db`'s value swapped.
  fileprivate func replacingDatabase(with path: String) -> [String] {
    guard let index = firstIndex(of: "--db"), index + 1 < count else { return self }
    var copy = self
    copy[index + 1] = path
    return copy
  }
}

/// Template files are checked with the flows.
@Suite("template diagnostics")
struct TemplateDiagnosticTests {
  @Test("a broken template is reported at its own line and column, with exit 1")
  func brokenTemplate() async throws {
    let scratch = try TempDirectory()
    let templates = try copyOfRepoTemplates(in: scratch)
    let broken = templates + "/vip.html.liquid"
    try FileManager.default.removeItem(atPath: broken)
    try Data("<p>Hi</p>\n{% if member.first_name %}{{ member.first_name }}\n".utf8).write(
      to: URL(fileURLWithPath: broken))
    let result = try await flowc(["check", Repo.flows, "--templates", templates])
    #expect(result.exitCode == 1)
    #expect(
      result.stdout == """
        \(broken):2:1: error[FL5001]: template 'vip.html.liquid' is not valid Liquid
          |
        2 | {% if member.first_name %}{{ member.first_name }}
          | ^ 'if' tag was never closed

        """)
  }
}

/// What `replay` says about sends it could not make.
@Suite("replay warnings")
struct ReplayWarningTests {
  @Test("sends skipped by a failing render are counted on stderr, with the reason")
  func renderFailuresAreReported() async throws {
    let scratch = try TempDirectory()
    let templates = try copyOfRepoTemplates(in: scratch)
    // Parses and passes the checks, but fails for every member when rendered.
    let html = "<p>{% include 'missing' %}</p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>\n"
    try Data(html.utf8).write(
      to: URL(fileURLWithPath: templates + "/welcome.html.liquid"))
    try FileManager.default.removeItem(atPath: templates + "/welcome.txt.liquid")
    let slice = try CDNOWSlice(dataLines: 40, in: scratch)
    let workspace = Workspace(scratch, name: "warn")
    try await workspace.importSlice(slice)
    var flags = workspace.runtimeFlags()
    if let index = flags.firstIndex(of: "--templates") { flags[index + 1] = templates }
    let result = try await flowc(["replay"] + flags)
    #expect(result.exitCode == 0)
    #expect(
      result.stderr.contains(
        "warning: \(slice.customers) sends skipped at welcome.welcome_email: render failed: "))
    #expect(result.stderr.contains("partial 'missing' was not found"))
  }
}

/// A copy of the repository's templates in a scratch folder, to break on purpose.
private func copyOfRepoTemplates(in scratch: TempDirectory) throws -> String {
  let templates = scratch.path("Templates")
  try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
  for name in try FileManager.default.contentsOfDirectory(atPath: Repo.templates) {
    try FileManager.default.copyItem(
      atPath: Repo.templates + "/" + name, toPath: templates + "/" + name)
  }
  return templates
}
