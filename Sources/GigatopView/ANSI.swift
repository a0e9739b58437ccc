/// ANSI escape sequences for the headless renderer.
enum ANSI {
  /// The SGR sequence that sets exactly this style.
  static func sgr(for style: Style) -> String {
    var codes = ["0"]
    if style.attributes.contains(.bold) { codes.append("1") }
    if style.attributes.contains(.dim) { codes.append("2") }
    if style.attributes.contains(.underline) { codes.append("4") }
    if style.attributes.contains(.reverse) { codes.append("7") }
    codes.append(contentsOf: colorCodes(style.foreground, base: 38))
    codes.append(contentsOf: colorCodes(style.background, base: 48))
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  private static func colorCodes(_ color: Color, base: Int) -> [String] {
    switch color {
    case .terminalDefault: return []
    case .indexed(let index): return ["\(base)", "5", "\(index)"]
    case .rgb(let r, let g, let b): return ["\(base)", "2", "\(r)", "\(g)", "\(b)"]
    }
  }
}
