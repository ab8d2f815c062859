extension String {
  /// The text safe inside HTML content and quoted attribute values.
  var htmlEscaped: String {
    var out = ""
    out.reserveCapacity(utf8.count)
    for character in self {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
