import Templates

/// The built-in pages: plain, accessible English HTML, used when the shop
/// has no page template of its own.
public struct PlainPages: IntakePages {
  public init() {}

  public func html(_ page: IntakePage, locale: String?, values: [String: String]) -> String {
    let shop = (values["shop_name"] ?? "").htmlEscaped
    let email = values["email"].map(\.htmlEscaped)
    let (title, body): (String, String)
    switch page {
    case .subscribed:
      title = "Check your inbox"
      body =
        "<p>We sent a confirmation link to \(email.map { "<strong>\($0)</strong>" } ?? "your address"). "
        + "Open it to finish signing up for \(shop).</p>"
    case .confirmed:
      title = "You are subscribed"
      body = "<p>Thank you. \(email ?? "Your address") will now get emails from \(shop).</p>"
    case .unsubscribe:
      title = "Unsubscribe"
      body = """
        <p>Stop emails from \(shop) to \(email ?? "this address")?</p>
        <form method="post" action="\((values["action_url"] ?? "").htmlEscaped)">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <button type="submit">Unsubscribe</button>
        </form>
        """
    case .unsubscribed:
      title = "You are unsubscribed"
      body = "<p>\(email ?? "This address") will get no more marketing emails from \(shop).</p>"
    case .invalidLink:
      title = "This link does not work"
      body =
        "<p>The link is incomplete, changed or expired. Please use the latest email from \(shop).</p>"
    }
    return """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(title) - \(shop)</title>
      <style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}button{font:inherit;padding:.6rem 1.2rem;border:2px solid #1a1a1a;border-radius:.3rem;background:#fff;cursor:pointer}button:focus{outline:3px solid #1756a9;outline-offset:2px}</style>
      </head>
      <body>
      <main>
      <h1>\(title)</h1>
      \(body)
      </main>
      </body>
      </html>

      """
  }

}
