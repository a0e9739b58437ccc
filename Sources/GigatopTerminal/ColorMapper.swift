import GigatopView

/// Maps theme colours to the colour numbers a given terminal can show.
///
/// Pure: it knows only how many colours the terminal has and whether `-1`
/// (the terminal's own colour) is allowed, so it is tested without curses.
struct ColorMapper: Equatable, Sendable {
  /// The number of colours the terminal has; 0 means no colour at all.
  let colorCount: Int
  /// Whether `use_default_colors` succeeded, so `-1` means the terminal's own colour.
  let defaultColors: Bool

  /// The colour count from which colour numbers are 24-bit `0xRRGGBB` values (ncurses direct colour).
  static let directColorCount = 0x100_0000

  /// Whether the terminal takes colours as 24-bit RGB values (e.g. TERM=xterm-direct).
  var isDirect: Bool { colorCount >= Self.directColorCount }

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
    case .indexed(let index):
      let n = Int(index)
      if isDirect {
        if n < 8 { return Int32(n) }
        let (r, g, b) = Self.rgb(ofIndex: n)
        return Self.packed(r, g, b)
      }
      if n < colorCount { return Int32(n) }
      let (r, g, b) = Self.rgb(ofIndex: n)
      return Int32(Self.nearestBasic(r, g, b, among: min(colorCount, 16)))
    case .rgb(let r, let g, let b):
      if isDirect { return Self.packed(r, g, b) }
      if colorCount >= 256 { return Int32(Self.xterm256Index(r, g, b)) }
      return Int32(Self.nearestBasic(r, g, b, among: min(colorCount, 16)))
    }
  }

  // MARK: - Palettes

  /// xterm's default values of the sixteen basic colours.
  static let basicPalette: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  /// The six channel levels of the xterm 6x6x6 colour cube (indexes 16-231).
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// The RGB value xterm shows for a 256-colour index.
  static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
    switch index {
    case ..<0:
      return basicPalette[0]
    case 0..<16:
      return basicPalette[index]
    case 16..<232:
      let cube = index - 16
      return (
        UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[(cube / 6) % 6]), UInt8(cubeLevels[cube % 6])
      )
    default:
      let grey = UInt8(8 + 10 * (min(index, 255) - 232))
      return (grey, grey, grey)
    }
  }

  /// The xterm 256-colour index nearest to an RGB colour: the best of the colour cube and the grey ramp.
  ///
  /// The sixteen basic colours are never chosen: terminals let users change them.
  static func xterm256Index(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
    func cubeStep(_ value: UInt8) -> Int {
      let v = Int(value)
      if v < 48 { return 0 }
      if v < 115 { return 1 }
      return (v - 35) / 40
    }
    let (cr, cg, cb) = (cubeStep(r), cubeStep(g), cubeStep(b))
    let cubeIndex = 16 + 36 * cr + 6 * cg + cb
    let cubeColor = (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])

    let average = (Int(r) + Int(g) + Int(b)) / 3
    let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
    let greyValue = 8 + 10 * greyStep
    let greyIndex = 232 + greyStep

    let target = (Int(r), Int(g), Int(b))
    let cubeDistance = distance(target, cubeColor)
    let greyDistance = distance(target, (greyValue, greyValue, greyValue))
    return greyDistance < cubeDistance ? greyIndex : cubeIndex
  }

  /// The index (below `count`, at most 16) of the basic colour nearest to an RGB colour.
  ///
  /// Greyish colours go to the nearest grey (black, white and, with 16
  /// colours, their bright forms) and coloured ones to the nearest hue, so a
  /// mid grey never turns yellow and a dark blue never turns black.
  static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> Int {
    let available = max(1, min(count, basicPalette.count))
    let spread = Int(max(r, g, b)) - Int(min(r, g, b))
    let greys = [0, 7, 8, 15]
    var candidates = Array(0..<available)
    if available >= 8 {
      let greyish = spread < greySpread
      candidates = candidates.filter { greys.contains($0) == greyish }
    }
    let target = (Int(r), Int(g), Int(b))
    var best = candidates.first ?? 0
    var bestDistance = Int.max
    for index in candidates {
      let (pr, pg, pb) = basicPalette[index]
      let d = distance(target, (Int(pr), Int(pg), Int(pb)))
      if d < bestDistance {
        best = index
        bestDistance = d
      }
    }
    return best
  }

  /// Below this difference between the largest and smallest channel a colour counts as grey.
  static let greySpread = 48

  /// A 24-bit colour as ncurses direct colour takes it.
  static func packed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
    Int32(r) << 16 | Int32(g) << 8 | Int32(b)
  }

  /// The squared distance between two RGB colours.
  private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    let dr = a.0 - b.0
    let dg = a.1 - b.1
    let db = a.2 - b.2
    return dr * dr + dg * dg + db * db
  }
}
