/// A value a template can read: the JSON-like data model of Liquid.
///
/// Objects are unordered, so iterating one (`for pair in object`) visits keys in sorted order to
/// keep renders deterministic.
public indirect enum TemplateValue: Sendable, Hashable {
  /// Liquid's `nil`; renders as the empty string.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A whole number.
  case int(Int)
  /// A floating-point number; renders like Ruby (`2.0`, `1.0e+20`).
  case double(Double)
  /// A string.
  case string(String)
  /// An ordered list.
  case array([TemplateValue])
  /// A map from keys to values (a hash in Ruby Liquid).
  case object([String: TemplateValue])
}
