import Templates

/// The HTML signup form a shop pastes into its theme (`flowc form`): a plain
/// form that posts to `POST /v1/subscribe`, works without JavaScript and
/// loads nothing from elsewhere. Labels and the default consent text come
/// in a few languages; the shop can restyle it through its class names.
public struct SignupFormSnippet: Sendable {
  public enum Field: String, Sendable, CaseIterable {
    case firstName = "first_name"
    case lastName = "last_name"
  }

  /// The full `.../v1/subscribe` URL.
  public var action: String
  /// Recorded with the consent as the form it came from (`footer`, `popup`).
  public var formID: String
  /// Asked besides the email address.
  public var fields: [Field]
  /// Sent as the member's language and picks the labels (en, fr, de, es; others use en).
  public var locale: String?
  /// The text next to the button, kept as consent evidence; nil uses the default.
  public var consentText: String?
  /// Where the browser goes after signing up (an allowed origin), instead of the intake's page.
  public var returnTo: String?
  public var shopName: String

  public init(
    action: String, formID: String, fields: [Field], locale: String?, consentText: String?,
    returnTo: String?, shopName: String
  ) {
    self.action = action
    self.formID = formID
    self.fields = fields
    self.locale = locale
    self.consentText = consentText
    self.returnTo = returnTo
    self.shopName = shopName
  }

  /// The locales with their own labels.
  public static let labelledLocales = ["de", "en", "es", "fr"]

  public var html: String {
    let words = Labels.for(locale)
    let prefix = "flowc-\(idSafe(formID))"
    let consent = consentText ?? words.consent(shopName)
    var lines = [
      "<!-- flowc signup form: a plain form, no scripts -->",
      "<form class=\"flowc-signup\" method=\"post\" action=\"\(action.htmlEscaped)\" accept-charset=\"utf-8\">",
    ]
    func input(_ name: String, _ label: String, type: String, autocomplete: String, required: Bool)
    {
      lines += [
        "  <p class=\"flowc-signup__field\">",
        "    <label for=\"\(prefix)-\(name)\">\(label.htmlEscaped)</label>",
        "    <input id=\"\(prefix)-\(name)\" type=\"\(type)\" name=\"\(name)\" autocomplete=\"\(autocomplete)\""
          + (required ? " required>" : ">"),
        "  </p>",
      ]
    }
    input("email", words.email, type: "email", autocomplete: "email", required: true)
    for field in fields {
      switch field {
      case .firstName:
        input(
          field.rawValue, words.firstName, type: "text", autocomplete: "given-name", required: false
        )
      case .lastName:
        input(
          field.rawValue, words.lastName, type: "text", autocomplete: "family-name", required: false
        )
      }
    }
    lines.append(
      "  <p class=\"flowc-signup__consent\" id=\"\(prefix)-consent\">\(consent.htmlEscaped)</p>")
    var hidden = [("consent_text", consent), ("form", formID)]
    if let locale { hidden.append(("locale", locale)) }
    if let returnTo { hidden.append(("return_to", returnTo)) }
    for (name, value) in hidden {
      lines.append("  <input type=\"hidden\" name=\"\(name)\" value=\"\(value.htmlEscaped)\">")
    }
    // Off screen rather than display:none, which some bots skip; people
    // (and screen readers, through aria-hidden) never meet it.
    lines += [
      "  <div aria-hidden=\"true\" style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\">",
      "    <label for=\"\(prefix)-gotcha\">\(words.leaveEmpty.htmlEscaped)</label>",
      "    <input id=\"\(prefix)-gotcha\" type=\"text\" name=\"_gotcha\" tabindex=\"-1\" autocomplete=\"off\">",
      "  </div>",
      "  <button type=\"submit\" aria-describedby=\"\(prefix)-consent\">\(words.subscribe.htmlEscaped)</button>",
      "</form>",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  private func idSafe(_ text: String) -> String {
    String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
  }

  private struct Labels {
    var email, firstName, lastName, subscribe, leaveEmpty: String
    var consent: (String) -> String

    static func `for`(_ locale: String?) -> Labels {
      let language = locale?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first?.lowercased()
      switch language {
      case "fr":
        return Labels(
          email: "Adresse e-mail", firstName: "Prénom", lastName: "Nom", subscribe: "S’inscrire",
          leaveEmpty: "Laissez ce champ vide",
          consent: {
            "Recevez les e-mails de \($0) : nouveautés et offres. Désinscription possible à tout moment."
          })
      case "de":
        return Labels(
          email: "E-Mail-Adresse", firstName: "Vorname", lastName: "Nachname",
          subscribe: "Anmelden", leaveEmpty: "Dieses Feld leer lassen",
          consent: {
            "E-Mails von \($0) zu Neuheiten und Angeboten erhalten. Abmeldung jederzeit möglich."
          })
      case "es":
        return Labels(
          email: "Correo electrónico", firstName: "Nombre", lastName: "Apellido",
          subscribe: "Suscribirme", leaveEmpty: "Deja este campo vacío",
          consent: {
            "Recibe correos de \($0) con novedades y ofertas. Puedes darte de baja cuando quieras."
          })
      default:
        return Labels(
          email: "Email address", firstName: "First name", lastName: "Last name",
          subscribe: "Subscribe", leaveEmpty: "Leave this field empty",
          consent: {
            "Get emails from \($0) about new products and offers. Unsubscribe at any time."
          })
      }
    }
  }
}
