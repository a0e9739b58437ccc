/// Rows of aligned columns with an optional header; narrow rects lose optional columns first.
///
/// When the rows do not fit, the last visible row says how many more there are (`+3 more`).
struct Table {
  /// One column: its title, how its cells align, and how it gives way when room is short.
  struct Column {
    var title: String
    var alignment: Canvas.Alignment = .leading
    /// Columns with the highest priority number are dropped first; 0 is never dropped.
    var priority: Int = 0
    /// Whether the column is cut (with `…`) before optional columns are dropped.
    var flexible: Bool = false
    /// The narrowest a flexible column is cut to.
    var minWidth: Int = 6

    init(
      _ title: String, _ alignment: Canvas.Alignment = .leading, priority: Int = 0, flexible: Bool = false,
      minWidth: Int = 6
    ) {
      self.title = title
      self.alignment = alignment
      self.priority = priority
      self.flexible = flexible
      self.minWidth = minWidth
    }
  }

  var columns: [Column]
  /// One array of spans per column, per row.
  var rows: [[[Span]]]
  var showHeader = true
  var headerStyle: Style
  var moreStyle: Style

  /// The rows the whole table takes.
  var naturalHeight: Int { rows.count + (showHeader && !rows.isEmpty ? 1 : 0) }

  /// The width each column takes in `width` cells (0 for dropped columns), and the gap between columns.
  func layout(width: Int) -> (widths: [Int], gap: Int) {
    var natural = columns.indices.map { c in
      max(
        showHeader ? TextWidth.columns(of: columns[c].title) : 0,
        rows.reduce(0) { max($0, c < $1.count ? SpanLine.width($1[c]) : 0) })
    }
    var visible = Set(columns.indices)
    func total(_ widths: [Int], gap: Int) -> Int {
      let shown = visible.sorted()
      return shown.reduce(0) { $0 + widths[$1] } + gap * max(0, shown.count - 1)
    }
    func minimum(_ c: Int) -> Int { columns[c].flexible ? min(natural[c], columns[c].minWidth) : natural[c] }
    while true {
      for gap in [2, 1] where total(natural, gap: gap) <= width {
        return (columns.indices.map { visible.contains($0) ? natural[$0] : 0 }, gap)
      }
      let squeezed = columns.indices.map { minimum($0) }
      if total(squeezed, gap: 1) <= width {
        // Cut the flexible columns, widest first, just enough.
        var excess = total(natural, gap: 1) - width
        for c in visible.sorted(by: { natural[$0] > natural[$1] }) where columns[c].flexible && excess > 0 {
          let cut = min(excess, natural[c] - squeezed[c])
          natural[c] -= cut
          excess -= cut
        }
        return (columns.indices.map { visible.contains($0) ? natural[$0] : 0 }, 1)
      }
      let droppable = visible.filter { columns[$0].priority > 0 }
      guard let worst = droppable.max(by: { (columns[$0].priority, $0) < (columns[$1].priority, $1) }) else {
        return (columns.indices.map { visible.contains($0) ? squeezed[$0] : 0 }, 1)
      }
      visible.remove(worst)
    }
  }

  /// Whether every column fits `width` uncut.
  func fitsWhole(width: Int) -> Bool {
    let natural = columns.indices.map { c in
      max(
        showHeader ? TextWidth.columns(of: columns[c].title) : 0,
        rows.reduce(0) { max($0, c < $1.count ? SpanLine.width($1[c]) : 0) })
    }
    return natural.reduce(0, +) + max(0, columns.count - 1) <= width
  }

  /// Draws the header and as many rows as fit.
  func draw(in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty, !rows.isEmpty else { return }
    let (widths, gap) = layout(width: rect.width)
    var y = rect.y
    if showHeader {
      if rect.height < 2 { return }
      drawRow(
        columns.map { [Span($0.title, headerStyle)] }, y: y, rect: rect, widths: widths, gap: gap, on: &canvas
      )
      y += 1
    }
    let room = rect.maxY - y
    let overflow = rows.count > room
    let shown = overflow ? (room >= 2 ? room - 1 : room) : rows.count
    for row in rows.prefix(shown) {
      drawRow(row, y: y, rect: rect, widths: widths, gap: gap, on: &canvas)
      y += 1
    }
    if overflow, room >= 2 {
      canvas.write(
        "+\(rows.count - shown) more", in: Rect(x: rect.x, y: y, width: rect.width, height: 1),
        style: moreStyle)
    }
  }

  /// Draws one row of cells at `y` in the given column widths.
  private func drawRow(
    _ cells: [[Span]], y: Int, rect: Rect, widths: [Int], gap: Int, on canvas: inout Canvas
  ) {
    var x = rect.x
    for (c, width) in widths.enumerated() where width > 0 {
      let cellRect = Rect(x: x, y: y, width: min(width, rect.maxX - x), height: 1)
      if c < cells.count {
        let spans = cells[c]
        let fits = SpanLine.width(spans) <= cellRect.width
        SpanLine.draw(spans, in: cellRect, on: &canvas, alignment: fits ? columns[c].alignment : .leading)
      }
      x += width + gap
      if x >= rect.maxX { break }
    }
  }
}
