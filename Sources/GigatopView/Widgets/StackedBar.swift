/// A bar split into parts, each drawn with its own glyph and style (racks by stage, chips by status).
struct StackedBar {
  /// One part of the bar.
  struct Segment {
    var count: Int
    var glyph: Unicode.Scalar
    var style: Style
  }

  var segments: [Segment]
  /// The total the full bar stands for; the sum of the counts when nil or smaller.
  var total: Int?

  /// Cell widths for counts out of `total` in `width` cells: largest remainders get the spare cells,
  /// and every non-zero count gets at least one cell while there are cells to give.
  static func widths(counts: [Int], total: Int, width: Int) -> [Int] {
    let safe = counts.map { max(0, $0) }
    let sum = safe.reduce(0, +)
    let whole = max(total, sum)
    guard width > 0, whole > 0 else { return safe.map { _ in 0 } }
    let cells = sum == whole ? width : Int((Double(sum) / Double(whole) * Double(width)).rounded())
    var result = safe.map { $0 * cells / whole }
    var remainders = safe.enumerated().map { ($0.offset, ($0.element * cells) % whole) }
    remainders.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    var spare = cells - result.reduce(0, +)
    for (index, _) in remainders where spare > 0 {
      result[index] += 1
      spare -= 1
    }
    // A part that exists must show: take a cell from the widest part.
    for index in result.indices where safe[index] > 0 && result[index] == 0 {
      guard let widest = result.indices.max(by: { result[$0] < result[$1] }), result[widest] > 1 else {
        break
      }
      result[widest] -= 1
      result[index] = 1
    }
    return result
  }

  /// Draws the bar across the rect's first row; cells past the parts get `trackStyle`'s `glyphs.pending`.
  func draw(in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs, trackStyle: Style) {
    guard !rect.isEmpty else { return }
    let sum = segments.reduce(0) { $0 + max(0, $1.count) }
    let sizes = Self.widths(counts: segments.map(\.count), total: total ?? sum, width: rect.width)
    var x = rect.x
    for (segment, size) in zip(segments, sizes) where size > 0 {
      canvas.fill(
        Rect(x: x, y: rect.y, width: size, height: 1), with: Cell(segment.glyph, style: segment.style))
      x += size
    }
    if x < rect.maxX {
      canvas.fill(
        Rect(x: x, y: rect.y, width: rect.maxX - x, height: 1), with: Cell(glyphs.pending, style: trackStyle))
    }
  }
}
