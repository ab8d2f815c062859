/// Named character references worth decoding in email HTML: the ones
/// templates actually use. Unknown names stay as text.
enum HTMLEntities {
  static func scalar(named name: String) -> UInt32? {
    switch name {
    case "amp", "AMP": return 0x26
    case "lt", "LT": return 0x3C
    case "gt", "GT": return 0x3E
    case "quot", "QUOT": return 0x22
    case "apos": return 0x27
    case "nbsp": return 0xA0
    case "shy": return 0xAD
    case "zwnj": return 0x200C
    case "zwj": return 0x200D
    case "copy", "COPY": return 0xA9
    case "reg", "REG": return 0xAE
    case "trade": return 0x2122
    case "hellip": return 0x2026
    case "mdash": return 0x2014
    case "ndash": return 0x2013
    case "lsquo": return 0x2018
    case "rsquo": return 0x2019
    case "sbquo": return 0x201A
    case "ldquo": return 0x201C
    case "rdquo": return 0x201D
    case "bdquo": return 0x201E
    case "laquo": return 0xAB
    case "raquo": return 0xBB
    case "lsaquo": return 0x2039
    case "rsaquo": return 0x203A
    case "bull": return 0x2022
    case "middot": return 0xB7
    case "euro": return 0x20AC
    case "pound": return 0xA3
    case "yen": return 0xA5
    case "cent": return 0xA2
    case "times": return 0xD7
    case "divide": return 0xF7
    case "deg": return 0xB0
    case "para": return 0xB6
    case "sect": return 0xA7
    case "larr": return 0x2190
    case "rarr": return 0x2192
    case "uarr": return 0x2191
    case "darr": return 0x2193
    case "check": return 0x2713
    case "star": return 0x2606
    case "hearts": return 0x2665
    case "ensp": return 0x2002
    case "emsp": return 0x2003
    case "thinsp": return 0x2009
    case "iexcl": return 0xA1
    case "iquest": return 0xBF
    case "auml": return 0xE4
    case "ouml": return 0xF6
    case "uuml": return 0xFC
    case "Auml": return 0xC4
    case "Ouml": return 0xD6
    case "Uuml": return 0xDC
    case "szlig": return 0xDF
    case "eacute": return 0xE9
    case "egrave": return 0xE8
    case "ecirc": return 0xEA
    case "Eacute": return 0xC9
    case "aacute": return 0xE1
    case "agrave": return 0xE0
    case "acirc": return 0xE2
    case "iacute": return 0xED
    case "oacute": return 0xF3
    case "uacute": return 0xFA
    case "ntilde": return 0xF1
    case "Ntilde": return 0xD1
    case "ccedil": return 0xE7
    case "Ccedil": return 0xC7
    default: return nil
    }
  }
}
