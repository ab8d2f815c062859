import Foundation
import Testing

/// `flowc preview`: one send, one member, nothing written to the outbox.
@Suite("flowc preview")
struct PreviewCommandTests {
  private func workspace() async throws -> Workspace {
    let scratch = try TempDirectory()
    let workspace = Workspace(scratch, name: "preview")
    try await workspace.importSlice(try CDNOWSlice(dataLines: 20, in: scratch))
    return workspace
  }

  private func preview(_ workspace: Workspace, _ extra: [String]) async throws -> RunResult {
    try await flowc(
      ["preview"] + extra + [
        "--db", workspace.database, "--flows", Repo.flows, "--templates", Repo.templates,
        "--shop", Repo.shop, "--at", "1997-02-01T12:00:00Z",
      ], environment: ["FLOWC_SIGNING_KEY": testSigningKey])
  }

  @Test("prints the complete message a member would get, and stores nothing")
  func emlForOneMember() async throws {
    let workspace = try await workspace()
    let before = try sqlite(workspace.database, "SELECT count(*) FROM outbox")
    let result = try await preview(
      workspace, ["welcome_email", "--member", "customer-2@example.com"])
    #expect(result.exitCode == 0, "\(result.stderr)")
    #expect(result.stdout.contains("To: customer-2@example.com\r\n"))
    #expect(result.stdout.contains("Subject: Welcome to "))
    #expect(result.stdout.contains("Date: Sat, 01 Feb 1997 12:00:00 +0000\r\n"))
    #expect(result.stdout.contains("Content-Type: multipart/alternative;"))
    #expect(result.stdout.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
    #expect(try sqlite(workspace.database, "SELECT count(*) FROM outbox") == before)
  }

  @Test("--format json gives the rendered parts; FLOW.STEP works too")
  func jsonParts() async throws {
    let workspace = try await workspace()
    let result = try await preview(
      workspace,
      ["welcome.welcome_email", "--member", "customer-2@example.com", "--format", "json"])
    #expect(result.exitCode == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["to"] as? String == "customer-2@example.com")
    #expect((object["subject"] as? String)?.hasSuffix(", friend") == true)
    #expect((object["html"] as? String)?.contains("<html>") == true)
  }

  @Test("an unknown step suggests one; an unknown member is named; both exit 2")
  func refusals() async throws {
    let workspace = try await workspace()
    let typo = try await preview(workspace, ["welcom_email", "--member", "customer-2@example.com"])
    #expect(typo.exitCode == 2)
    #expect(typo.stderr.contains("no send step 'welcom_email' (did you mean 'welcome_email'?)"))
    let nobody = try await preview(workspace, ["welcome_email", "--member", "x@example.com"])
    #expect(nobody.exitCode == 2)
    #expect(nobody.stderr.contains("no member 'x@example.com' in the store"))
  }
}
