/// ANSI escape sequences for the headless renderer (`gigatop snapshot --color`).
enum ANSI {
  /// The SGR sequence that sets exactly this style, with colours as they are (24-bit where given).
  static func sgr(for style: Style) -> String {
    sgr(for: style, depth: .trueColor)
  }

  /// The SGR sequence that sets exactly this style at a colour depth.
  ///
  /// Colours are first mapped to the nearest the depth has: `38;2;r;g;b` at
  /// 24 bits, `38;5;n` at 256, `30`-`37`/`90`-`97` at 16 and 8, none at all
  /// at `.noColor` (then only bold, dim, underline and reverse are sent).
  static func sgr(for style: Style, depth: ColorDepth) -> String {
    var codes = ["0"]
    if style.attributes.contains(.bold) { codes.append("1") }
    if style.attributes.contains(.dim) { codes.append("2") }
    if style.attributes.contains(.underline) { codes.append("4") }
    if style.attributes.contains(.reverse) { codes.append("7") }
    codes.append(contentsOf: colorCodes(depth.map(style.foreground), depth: depth, background: false))
    codes.append(contentsOf: colorCodes(depth.map(style.background), depth: depth, background: true))
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  /// The SGR parameters of one colour already mapped to `depth`.
  private static func colorCodes(_ color: Color, depth: ColorDepth, background: Bool) -> [String] {
    let base = background ? 48 : 38
    switch color {
    case .terminalDefault:
      return []
    case .indexed(let index) where depth <= .sixteen && index < 16:
      let first = index < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
      return [String(first + Int(index % 8))]
    case .indexed(let index):
      return ["\(base)", "5", "\(index)"]
    case .rgb(let r, let g, let b):
      return ["\(base)", "2", "\(r)", "\(g)", "\(b)"]
    }
  }
}

extension Canvas {
  /// The canvas as text with ANSI SGR sequences, colours mapped to `depth`.
  ///
  /// A sequence is sent only where the style changes, and every line ends with a reset.
  public func ansiText(depth: ColorDepth) -> String {
    var out = ""
    for y in 0..<height {
      var current: Style? = nil
      for x in 0..<width {
        let cell = self[x, y]
        if cell.isContinuation { continue }
        let style = depth.map(cell.style)
        if style != current {
          out += ANSI.sgr(for: style, depth: depth)
          current = style
        }
        out.unicodeScalars.append(cell.scalar)
      }
      out += "\u{1B}[0m\n"
    }
    return out
  }
}
