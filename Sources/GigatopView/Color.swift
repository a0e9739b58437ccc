/// A colour as a theme names it, before it is mapped to what a terminal can show.
public enum Color: Hashable, Sendable {
  /// The terminal's own foreground or background.
  case terminalDefault
  /// One of the 256 indexed colours (0-15 are the basic and bright ones).
  case indexed(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)
}

extension Color {
  /// Parses `default`, `#rrggbb`, `#rgb`, a number 0-255, or a basic colour name.
  public init?(parsing text: String) {
    let lower = text.lowercased()
    if lower == "default" || lower == "none" {
      self = .terminalDefault
      return
    }
    if let index = UInt8(lower) {
      self = .indexed(index)
      return
    }
    if lower.hasPrefix("#") {
      let hex = Array(lower.dropFirst())
      func value(_ digits: ArraySlice<Character>) -> UInt8? { UInt8(String(digits), radix: 16) }
      if hex.count == 6, let r = value(hex[0..<2]), let g = value(hex[2..<4]), let b = value(hex[4..<6]) {
        self = .rgb(r, g, b)
        return
      }
      if hex.count == 3, let r = value(hex[0..<1]), let g = value(hex[1..<2]), let b = value(hex[2..<3]) {
        self = .rgb(r * 17, g * 17, b * 17)
        return
      }
      return nil
    }
    if let basic = Color.basicNames.firstIndex(of: lower) {
      self = .indexed(UInt8(basic))
      return
    }
    return nil
  }

  /// Names of the sixteen basic colours, by index.
  static let basicNames = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
    "bright-cyan", "bright-white",
  ]
}
