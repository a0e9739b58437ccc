/// How many colours a terminal, or an ANSI snapshot, can show.
///
/// Each theme colour is mapped to the nearest colour of the depth in use:
/// 24-bit colours stay as they are only at `.trueColor`, become a 256-colour
/// index at `.indexed256`, and one of the basic colours at `.sixteen` and `.eight`.
public enum ColorDepth: String, CaseIterable, Comparable, Sendable {
  /// No colour: attributes only (NO_COLOR, `--no-color`, monochrome terminals).
  case noColor = "none"
  /// The eight basic colours (TERM=xterm, linux).
  case eight = "8"
  /// The basic colours and their bright forms.
  case sixteen = "16"
  /// The xterm 256-colour palette.
  case indexed256 = "256"
  /// 24-bit RGB (COLORTERM=truecolor or 24bit).
  case trueColor = "24bit"

  /// The depth a terminal with `count` colours has (ncurses' COLORS; 2^24 or more is direct colour).
  public init(colorCount count: Int) {
    switch count {
    case ..<8: self = .noColor
    case ..<16: self = .eight
    case ..<256: self = .sixteen
    case ..<0x100_0000: self = .indexed256
    default: self = .trueColor
    }
  }

  /// Parses a command-line value: `24bit`, `truecolor`, `256`, `16`, `8`, `none` (or `0`, `mono`).
  public init?(argument: String) {
    switch argument.lowercased() {
    case "24bit", "24-bit", "truecolor", "true-color", "direct", "rgb": self = .trueColor
    case "256": self = .indexed256
    case "16": self = .sixteen
    case "8": self = .eight
    case "none", "0", "2", "mono", "off": self = .noColor
    default: return nil
    }
  }

  /// Whether `NO_COLOR` is set to something non-empty (https://no-color.org).
  public static func noColorRequested(_ environment: [String: String]) -> Bool {
    !(environment["NO_COLOR"] ?? "").isEmpty
  }

  /// Whether `COLORTERM` says the terminal takes 24-bit colour (`truecolor` or `24bit`).
  public static func trueColorAdvertised(_ environment: [String: String]) -> Bool {
    let value = (environment["COLORTERM"] ?? "").lowercased()
    return value == "truecolor" || value == "24bit"
  }

  /// The depth the environment asks for, without asking the terminal database.
  ///
  /// `NO_COLOR` (non-empty) gives `.noColor`; `COLORTERM=truecolor|24bit` gives
  /// `.trueColor`; otherwise `TERM` decides: `*-direct` 24-bit, `*256color*`
  /// 256, `*-16color` 16, `dumb`, `vt100`-`vt220` and an unset TERM none, anything else 8.
  public static func detect(environment: [String: String]) -> ColorDepth {
    if noColorRequested(environment) { return .noColor }
    if trueColorAdvertised(environment) { return .trueColor }
    let term = (environment["TERM"] ?? "").lowercased()
    if term.hasSuffix("-direct") || term.contains("-direct-") { return .trueColor }
    if term.contains("256color") || term.contains("256colour") { return .indexed256 }
    if term.hasSuffix("-16color") { return .sixteen }
    let monochrome = ["", "dumb", "vt52", "vt100", "vt102", "vt220", "ansi-mono", "xterm-mono"]
    if monochrome.contains(term) { return .noColor }
    return .eight
  }

  /// The number of colours at this depth (0 for none, 2^24 for 24-bit).
  public var colorCount: Int {
    switch self {
    case .noColor: return 0
    case .eight: return 8
    case .sixteen: return 16
    case .indexed256: return 256
    case .trueColor: return 0x100_0000
    }
  }

  /// A colour as this depth shows it: the nearest colour it has.
  ///
  /// `.terminalDefault` is kept at every depth; at `.noColor` every colour becomes `.terminalDefault`.
  public func map(_ color: Color) -> Color {
    switch (self, color) {
    case (_, .terminalDefault), (.noColor, _):
      return .terminalDefault
    case (.trueColor, _), (.indexed256, .indexed):
      return color
    case (.indexed256, .rgb(let r, let g, let b)):
      return .indexed(UInt8(XtermPalette.nearest256(r, g, b)))
    case (_, .indexed(let index)):
      if Int(index) < colorCount { return color }
      let (r, g, b) = XtermPalette.rgb(ofIndex: Int(index))
      return .indexed(UInt8(XtermPalette.nearestBasic(r, g, b, among: colorCount)))
    case (_, .rgb(let r, let g, let b)):
      return .indexed(UInt8(XtermPalette.nearestBasic(r, g, b, among: colorCount)))
    }
  }

  /// A style with both colours mapped to this depth; attributes are kept.
  public func map(_ style: Style) -> Style {
    Style(foreground: map(style.foreground), background: map(style.background), attributes: style.attributes)
  }

  public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool {
    lhs.colorCount < rhs.colorCount
  }
}
