/// The colours xterm shows for its 256 indexes, and the nearest index to any 24-bit colour.
///
/// Pure arithmetic shared by the ncurses backend and the ANSI snapshot writer,
/// so a theme looks the same through both at every colour depth.
public enum XtermPalette {
  /// xterm's default values of the sixteen basic colours.
  public static let basic: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  /// The six channel levels of the 6x6x6 colour cube (indexes 16-231).
  public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// Below this difference between the largest and smallest channel a colour counts as grey.
  public static let greySpread = 48

  /// The RGB value xterm shows for a 256-colour index.
  public static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
    switch index {
    case ..<0:
      return basic[0]
    case 0..<16:
      return basic[index]
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

  /// The 256-colour index nearest to an RGB colour: the best of the colour cube and the grey ramp.
  ///
  /// The sixteen basic colours are never chosen: terminals let users change them.
  public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
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
  public static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> Int {
    let available = max(1, min(count, basic.count))
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
      let (pr, pg, pb) = basic[index]
      let d = distance(target, (Int(pr), Int(pg), Int(pb)))
      if d < bestDistance {
        best = index
        bestDistance = d
      }
    }
    return best
  }

  /// The squared distance between two RGB colours.
  static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    let dr = a.0 - b.0
    let dg = a.1 - b.1
    let db = a.2 - b.2
    return dr * dr + dg * dg + db * db
  }
}
