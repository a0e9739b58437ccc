/// A horizontal fill bar drawn in eighths of a cell: the shape gauges and mini bars share.
enum Bar {
  /// How many eighths of `width` cells a fraction fills, clamped to 0...width*8 (NaN counts as 0).
  static func eighths(fraction: Double, width: Int) -> Int {
    guard width > 0, fraction.isFinite else { return 0 }
    let clamped = min(1, max(0, fraction))
    return min(width * 8, Int((clamped * Double(width * 8)).rounded()))
  }

  /// The filled part of a bar: the number of full cells and the partial cell after them, if any.
  static func fill(fraction: Double, width: Int, glyphs: Glyphs) -> (full: Int, partial: Unicode.Scalar?) {
    let filled = eighths(fraction: fraction, width: width)
    let levels = glyphs.barEighths
    let rest = filled % 8
    let partial = rest > 0 && levels.indices.contains(rest) && levels[rest] != " " ? levels[rest] : nil
    return (filled / 8, partial)
  }

  /// The characters of a bar: full cells, one partial cell, then `empty` to the width.
  static func scalars(
    fraction: Double, width: Int, glyphs: Glyphs, empty: Unicode.Scalar = " "
  )
    -> [Unicode.Scalar]
  {
    guard width > 0 else { return [] }
    let (full, partial) = fill(fraction: fraction, width: width, glyphs: glyphs)
    var out = [Unicode.Scalar](repeating: glyphs.barEighths.last ?? "#", count: full)
    if let partial, out.count < width { out.append(partial) }
    while out.count < width { out.append(empty) }
    return out
  }

  /// The bar as a string, for table cells.
  static func text(fraction: Double, width: Int, glyphs: Glyphs, empty: Unicode.Scalar = " ") -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars(fraction: fraction, width: width, glyphs: glyphs, empty: empty))
    return String(view)
  }

  /// Draws a bar: each filled cell in `style(cellIndex)`, the empty track (`glyphs.pending`) in `trackStyle`.
  static func draw(
    fraction: Double, in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs, trackStyle: Style,
    style: (Int) -> Style
  ) {
    guard !rect.isEmpty else { return }
    let (full, partial) = fill(fraction: fraction, width: rect.width, glyphs: glyphs)
    let solid = glyphs.barEighths.last ?? "#"
    for i in 0..<rect.width {
      let cell: Cell
      if i < full {
        cell = Cell(solid, style: style(i))
      } else if i == full, let partial {
        cell = Cell(partial, style: style(i))
      } else {
        cell = Cell(glyphs.pending, style: trackStyle)
      }
      canvas[rect.x + i, rect.y] = cell
    }
  }
}
