import GigatopModel

extension Theme {
  /// The compiled-in default: a dark palette on the terminal's own background, matching `themes/default.json`.
  ///
  /// Text uses the terminal's own foreground so the theme stays readable on light terminals too.
  /// Every stage has its own glyph as well as its own colour.
  public static let defaultDark = Theme(
    name: "default",
    text: .plain,
    dim: Style(foreground: Palette.grey),
    background: .plain,
    border: Style(foreground: Palette.line),
    borderFocused: Style(foreground: Palette.blue, attributes: .bold),
    title: Style(foreground: Palette.silver, attributes: .bold),
    titleFocused: Style(foreground: Palette.ink, background: Palette.blue, attributes: .bold),
    selection: Style(background: Palette.selection),
    good: Style(foreground: Palette.green),
    warn: Style(foreground: Palette.yellow),
    crit: Style(foreground: Palette.red, attributes: .bold),
    stages: [
      Style(foreground: Palette.grey),  // planned
      Style(foreground: Palette.slate),  // delivered
      Style(foreground: Palette.blue),  // racked
      Style(foreground: Palette.cyan),  // cabled
      Style(foreground: Palette.purple),  // powered
      Style(foreground: Palette.orange),  // burnin
      Style(foreground: Palette.yellow),  // accepted
      Style(foreground: Palette.green),  // in_pool
      Style(foreground: Palette.red, attributes: .bold),  // failed
      Style(foreground: Palette.magenta),  // rma
      Style(foreground: Palette.grey),  // drained
    ],
    stageGlyphs: ["·", "░", "▒", "▓", "▅", "▆", "▇", "█", "✗", "↩", "⊘"],
    severities: [
      Style(foreground: Palette.cyan),
      Style(foreground: Palette.yellow, attributes: .bold),
      Style(foreground: Palette.red, attributes: .bold),
    ],
    severityGlyphs: ["•", "▲", "✗"],
    gaugeGradient: [Palette.green, Palette.lime, Palette.yellow, Palette.orange, Palette.red],
    sparkGradient: [Palette.blue, Palette.cyan, Palette.teal, Palette.green, Palette.yellow])

  /// The compiled-in monochrome theme, matching `themes/mono.json`: no colour at all.
  ///
  /// Stages and severities are told apart by glyph and by attributes (bold, dim, reverse, underline).
  public static let mono = Theme(
    name: "mono",
    text: .plain,
    dim: Style(attributes: .dim),
    background: .plain,
    border: Style(attributes: .dim),
    borderFocused: Style(attributes: .bold),
    title: Style(attributes: .bold),
    titleFocused: Style(attributes: [.bold, .reverse]),
    selection: Style(attributes: .reverse),
    good: .plain,
    warn: Style(attributes: [.bold, .underline]),
    crit: Style(attributes: [.bold, .reverse]),
    stages: [
      Style(attributes: .dim),  // planned
      Style(attributes: .dim),  // delivered
      .plain,  // racked
      .plain,  // cabled
      .plain,  // powered
      .plain,  // burnin
      Style(attributes: .bold),  // accepted
      Style(attributes: .bold),  // in_pool
      Style(attributes: [.bold, .reverse]),  // failed
      Style(attributes: .underline),  // rma
      Style(attributes: .dim),  // drained
    ],
    stageGlyphs: ["·", "░", "▒", "▓", "▄", "▀", "▌", "█", "✗", "↩", "⊘"],
    severities: [
      .plain,
      Style(attributes: [.bold, .underline]),
      Style(attributes: [.bold, .reverse]),
    ],
    severityGlyphs: ["•", "▲", "✗"],
    gaugeGradient: [.terminalDefault],
    sparkGradient: [.terminalDefault])

  /// The named colours of the default theme (the `palette` of `themes/default.json`).
  enum Palette {
    static let grey = Color.rgb(0x73, 0x7a, 0xa2)
    static let line = Color.rgb(0x3b, 0x42, 0x61)
    static let silver = Color.rgb(0xa9, 0xb1, 0xd6)
    static let ink = Color.rgb(0x1a, 0x1b, 0x26)
    static let selection = Color.rgb(0x2d, 0x3f, 0x76)
    static let slate = Color.rgb(0x9a, 0xa5, 0xce)
    static let blue = Color.rgb(0x7a, 0xa2, 0xf7)
    static let cyan = Color.rgb(0x7d, 0xcf, 0xff)
    static let teal = Color.rgb(0x73, 0xda, 0xca)
    static let purple = Color.rgb(0x9d, 0x7c, 0xd8)
    static let magenta = Color.rgb(0xbb, 0x9a, 0xf7)
    static let green = Color.rgb(0x9e, 0xce, 0x6a)
    static let lime = Color.rgb(0xc3, 0xe8, 0x8d)
    static let yellow = Color.rgb(0xe0, 0xaf, 0x68)
    static let orange = Color.rgb(0xff, 0x9e, 0x64)
    static let red = Color.rgb(0xf7, 0x76, 0x8e)
  }
}
