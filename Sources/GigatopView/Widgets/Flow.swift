/// Short items set one after another and wrapped onto more rows when the width runs out.
///
/// `█ installed 767  ▓ delivered 896` / `▒ in transit 128  ░ allocated 64`
struct Flow {
  var items: [[Span]]
  /// Columns between items on a row.
  var gap = 2

  /// The items of each row for a width (an item wider than the width gets a row of its own).
  func rows(width: Int) -> [[[Span]]] {
    var rows: [[[Span]]] = []
    var current: [[Span]] = []
    var used = 0
    for item in items {
      let w = SpanLine.width(item)
      if !current.isEmpty, used + gap + w > width {
        rows.append(current)
        current = []
        used = 0
      }
      used += (current.isEmpty ? 0 : gap) + w
      current.append(item)
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }

  /// The rows the items take at a width.
  func height(width: Int) -> Int { rows(width: width).count }

  /// Draws the rows that fit in the rect.
  func draw(in rect: Rect, on canvas: inout Canvas) {
    for (index, row) in rows(width: rect.width).enumerated() where index < rect.height {
      var spans: [Span] = []
      for (i, item) in row.enumerated() {
        if i > 0 { spans.append(Span(String(repeating: " ", count: gap))) }
        spans += item
      }
      SpanLine.draw(spans, in: rect.row(index), on: &canvas)
    }
  }
}
