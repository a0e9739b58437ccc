import GigatopView

/// Maps theme colours to the colour numbers a given terminal can show.
///
/// Pure: it knows only how many colours the terminal has and whether `-1`
/// (the terminal's own colour) is allowed, so it is tested without curses.
/// The nearest-colour arithmetic is `ColorDepth.map`, shared with `gigatop snapshot --color`.
struct ColorMapper: Equatable, Sendable {
  /// The number of colours the terminal has; 0 means no colour at all.
  let colorCount: Int
  /// Whether `use_default_colors` succeeded, so `-1` means the terminal's own colour.
  let defaultColors: Bool

  /// The colour count from which colour numbers are 24-bit `0xRRGGBB` values (ncurses direct colour).
  static let directColorCount = 0x100_0000

  /// Whether the terminal takes colours as 24-bit RGB values (e.g. TERM=xterm-direct).
  var isDirect: Bool { colorCount >= Self.directColorCount }

  /// The colour depth these colour numbers give.
  var depth: ColorDepth { ColorDepth(colorCount: colorCount) }

  /// The depth to draw with: what the terminal database gives, unless the environment says less.
  ///
  /// `NO_COLOR` (non-empty) gives `.noColor` whatever the terminal. `COLORTERM=truecolor`
  /// cannot add colours ncurses does not know how to send: a 256-colour terminfo entry
  /// stays at 256 (24-bit needs a `*-direct` entry such as `xterm-direct`).
  static func depth(terminalColors: Int, environment: [String: String]) -> ColorDepth {
    if ColorDepth.noColorRequested(environment) { return .noColor }
    return ColorDepth(colorCount: terminalColors)
  }

  /// The colour number for a foreground colour.
  func foreground(_ color: Color) -> Int32 {
    number(for: color, fallback: 7)
  }

  /// The colour number for a background colour.
  func background(_ color: Color) -> Int32 {
    number(for: color, fallback: 0)
  }

  /// The colour number for a colour; `fallback` stands for `.terminalDefault` when `-1` is not allowed.
  func number(for color: Color, fallback: Int32) -> Int32 {
    switch color {
    case .terminalDefault:
      return defaultColors ? -1 : fallback
    case .indexed(let index) where isDirect:
      if index < 8 { return Int32(index) }
      let (r, g, b) = Self.rgb(ofIndex: Int(index))
      return Self.packed(r, g, b)
    case .rgb(let r, let g, let b) where isDirect:
      return Self.packed(r, g, b)
    case .indexed(let index) where Int(index) < colorCount:
      return Int32(index)
    case .indexed, .rgb:
      switch depth.map(color) {
      case .indexed(let mapped): return Int32(mapped)
      case .rgb(let r, let g, let b): return Int32(Self.xterm256Index(r, g, b))
      case .terminalDefault: return defaultColors ? -1 : fallback
      }
    }
  }

  // MARK: - Palettes (see `XtermPalette`)

  /// xterm's default values of the sixteen basic colours.
  static var basicPalette: [(UInt8, UInt8, UInt8)] { XtermPalette.basic }

  /// The RGB value xterm shows for a 256-colour index.
  static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
    XtermPalette.rgb(ofIndex: index)
  }

  /// The xterm 256-colour index nearest to an RGB colour (never one of the basic sixteen).
  static func xterm256Index(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
    XtermPalette.nearest256(r, g, b)
  }

  /// The index (below `count`, at most 16) of the basic colour nearest to an RGB colour.
  static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> Int {
    XtermPalette.nearestBasic(r, g, b, among: count)
  }

  /// A 24-bit colour as ncurses direct colour takes it.
  static func packed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
    Int32(r) << 16 | Int32(g) << 8 | Int32(b)
  }
}
