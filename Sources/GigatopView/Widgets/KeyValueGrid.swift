/// Labelled figures laid out top to bottom, then in more columns when the rows run short.
///
/// Each column aligns its labels left and its values right: `needed   1,152`.
struct KeyValueGrid {
  /// One labelled figure.
  struct Item {
    var label: [Span]
    var value: [Span]
  }

  var items: [Item]
  /// Columns between a label and its value, and between grid columns.
  var spacing = 2

  /// The width of one grid column holding `items`.
  private func columnWidth(_ items: ArraySlice<Item>) -> Int {
    let label = items.reduce(0) { max($0, SpanLine.width($1.label)) }
    let value = items.reduce(0) { max($0, SpanLine.width($1.value)) }
    return label + 1 + value
  }

  /// How many grid columns of `rows` rows the items need, and whether they fit `width`.
  private func fits(rows: Int, width: Int) -> Bool {
    guard rows > 0 else { return items.isEmpty }
    var total = 0
    var start = 0
    while start < items.count {
      let end = min(items.count, start + rows)
      total += columnWidth(items[start..<end]) + (start > 0 ? spacing + 1 : 0)
      start = end
    }
    return total <= width
  }

  /// The fewest rows that fit `width` (all items in one column when nothing fits better).
  func minRows(width: Int) -> Int {
    guard !items.isEmpty else { return 0 }
    for rows in 1...items.count where fits(rows: rows, width: width) { return rows }
    return items.count
  }

  /// Draws the items in the fewest columns that the rect's height allows.
  func draw(in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty, !items.isEmpty else { return }
    let rows = min(rect.height, items.count)
    var x = rect.x
    var start = 0
    while start < items.count, x < rect.maxX {
      let end = min(items.count, start + rows)
      let slice = items[start..<end]
      let labelWidth = slice.reduce(0) { max($0, SpanLine.width($1.label)) }
      let width = min(columnWidth(slice), rect.maxX - x)
      for (offset, item) in slice.enumerated() {
        let row = Rect(x: x, y: rect.y + offset, width: width, height: 1)
        SpanLine.draw(
          item.label, in: Rect(x: x, y: row.y, width: min(labelWidth, width), height: 1), on: &canvas)
        let valueRoom = max(0, width - labelWidth - 1)
        SpanLine.draw(
          item.value, in: Rect(x: row.maxX - valueRoom, y: row.y, width: valueRoom, height: 1), on: &canvas,
          alignment: .trailing)
      }
      x += width + spacing + 1
      start = end
    }
  }
}
