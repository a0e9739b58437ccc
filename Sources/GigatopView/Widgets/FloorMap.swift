/// A floor plan: one grid per hall, one mark per rack position, halls side by side in bands.
///
/// ```
/// Hall A 8/8      Hall B 4/8
/// R1 █ █ █ █      R1 ▆ ▅ ▓ ▒
/// R2 █ ▇ ▇ ▆      R2 ░ ░ ✗ ·
/// ```
struct FloorMap {
  /// One hall: its title and its grid of marks (row by row), with a label per row.
  struct Hall {
    var title: [Span]
    var rowLabels: [String]
    var marks: [[Cell]]
  }

  var halls: [Hall]
  /// Columns per rack mark: 1 (packed) or 2 (a mark and a space).
  var cellWidth = 2
  /// Columns between halls side by side, and blank rows between bands.
  var gap = 4
  var labelStyle: Style

  /// The columns of a hall's widest row label.
  private func labelWidth(_ hall: Hall) -> Int {
    hall.rowLabels.reduce(0) { max($0, TextWidth.columns(of: $1)) }
  }

  /// The columns and rows one hall takes.
  func size(of hall: Hall) -> (width: Int, height: Int) {
    let columns = hall.marks.reduce(0) { max($0, $1.count) }
    let grid = columns * cellWidth - (cellWidth > 1 ? 1 : 0)
    return (max(SpanLine.width(hall.title), labelWidth(hall) + 1 + grid), 1 + hall.marks.count)
  }

  /// The halls of each band at a width (a hall wider than the width gets a band of its own).
  func bands(width: Int) -> [[Int]] {
    var bands: [[Int]] = []
    var current: [Int] = []
    var used = 0
    for (index, hall) in halls.enumerated() {
      let w = size(of: hall).width
      if !current.isEmpty, used + gap + w > width {
        bands.append(current)
        current = []
        used = 0
      }
      used += (current.isEmpty ? 0 : gap) + w
      current.append(index)
    }
    if !current.isEmpty { bands.append(current) }
    return bands
  }

  /// The rows the whole map takes at a width, or nil when a hall is wider than the width.
  func height(width: Int) -> Int? {
    guard halls.allSatisfy({ size(of: $0).width <= width }) else { return nil }
    let bands = bands(width: width)
    let rows = bands.reduce(0) { total, band in total + (band.map { size(of: halls[$0]).height }.max() ?? 0) }
    return rows + max(0, bands.count - 1)
  }

  func draw(in rect: Rect, on canvas: inout Canvas) {
    var y = rect.y
    for band in bands(width: rect.width) {
      var x = rect.x
      var bandHeight = 0
      for index in band {
        let hall = halls[index]
        let (w, h) = size(of: hall)
        bandHeight = max(bandHeight, h)
        SpanLine.draw(
          SpanLine.fitted(hall.title, columns: w), in: Rect(x: x, y: y, width: w, height: 1), on: &canvas)
        let labels = labelWidth(hall)
        for (r, row) in hall.marks.enumerated() where y + 1 + r < rect.maxY {
          canvas.write(
            hall.rowLabels.indices.contains(r) ? hall.rowLabels[r] : "", x: x, y: y + 1 + r,
            style: labelStyle, limit: labels)
          for (c, mark) in row.enumerated() {
            let cx = x + labels + 1 + c * cellWidth
            if cx < rect.maxX { canvas[cx, y + 1 + r] = mark }
          }
        }
        x += w + gap
      }
      y += bandHeight + 1
      if y >= rect.maxY { break }
    }
  }
}
