import FlowRuntime
import Foundation
import Intake
import Templates

/// The intake's pages from the shop's `Templates/pages/<page>.html.liquid`,
/// with translations beside them (`unsubscribe.fr.html.liquid`) chosen as for
/// emails: `fr-CA` tries `fr-CA`, then `fr`, then the default language. A page
/// the shop has not written, or one that fails to render, is the built-in one.
public struct TemplatePages: IntakePages {
  private let library: TemplateLibrary
  private let shop: ShopSettings
  /// Told which template failed and where, never the values it was given
  /// (they hold addresses and signed links).
  private let onFailure: @Sendable (String) -> Void

  public init(
    library: TemplateLibrary, shop: ShopSettings,
    onFailure: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.library = library
    self.shop = shop
    self.onFailure = onFailure
  }

  /// Reads the `.liquid` files of `folder`; a missing folder means every page
  /// is built in. Throws the first Liquid syntax error, with file, line and column.
  public static func load(
    folder: String, shop: ShopSettings, onFailure: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> TemplatePages {
    var sources: [String: String] = [:]
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for name in names where name.hasSuffix(".liquid") {
      guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else {
        throw HostError("cannot read '\(folder)/\(name)'")
      }
      sources[name] = String(decoding: data, as: UTF8.self)
    }
    do {
      return TemplatePages(
        library: try TemplateLibrary(files: sources), shop: shop, onFailure: onFailure)
    } catch {
      throw HostError("page template \(folder)/\(error)")
    }
  }

  public func html(_ page: IntakePage, locale: String?, values: [String: String]) -> String {
    guard let template = library.entry(page.rawValue, locale: locale)?.html else {
      return PlainPages().html(page, locale: locale, values: values)
    }
    func value(_ key: String) -> TemplateValue { values[key].map(TemplateValue.string) ?? .null }
    let context: [String: TemplateValue] = [
      "shop": .object(["name": value("shop_name"), "url": .string(shop.url)]),
      "email": value("email"),
      "action_url": value("action_url"),
      "locale": locale.map(TemplateValue.string) ?? .null,
    ]
    var options = RenderOptions(now: Int64(Date().timeIntervalSince1970), currency: shop.currency)
    options.timeZone = TimeZone(identifier: shop.timezone) ?? options.timeZone
    do {
      return try template.render(context, options: options)
    } catch {
      onFailure(
        "page template '\(template.name)' failed at line \(error.line), column \(error.column)")
      return PlainPages().html(page, locale: locale, values: values)
    }
  }
}
