/// What a dashboard panel shows: a badge for its border and the blocks inside it.
struct PanelContent {
  /// Headline figures for the top border, right of the title.
  var badge: [Span]
  var blocks: [BlockStack.Block]
}

extension RenderContext {
  /// The separator between figures on a line: ` · `, or ` - ` in ASCII.
  var sep: String { glyphs.isUnicode ? " · " : " - " }

  /// A table with the theme's header and overflow styles.
  func table(_ columns: [Table.Column], _ rows: [[[Span]]], header: Bool = true) -> Table {
    Table(
      columns: columns, rows: rows, showHeader: header, headerStyle: theme.dim.adding(.underline),
      moreStyle: theme.dim)
  }

  /// A one-row block: the first of `variants` that fits whole, else the last with its least important spans dropped.
  func line(priority: Int, _ variants: [Span]...) -> BlockStack.Block {
    BlockStack.Block(priority: priority) { canvas, rect in
      let chosen = variants.first { SpanLine.width($0) <= rect.width } ?? variants.last ?? []
      SpanLine.draw(SpanLine.fitted(chosen, columns: rect.width), in: rect.row(0), on: &canvas)
    }
  }

  /// A block of text that wraps at spaces onto as many rows as it needs at `width` (at most `maxRows`).
  func wrapped(priority: Int, _ spans: [Span], width: Int, maxRows: Int = 3) -> BlockStack.Block {
    var words: [[Span]] = []
    for span in spans {
      for word in span.text.split(separator: " ") { words.append([Span(String(word), span.style)]) }
    }
    let flow = Flow(items: words, gap: 1)
    let rows = max(1, min(maxRows, flow.height(width: max(1, width))))
    return BlockStack.Block(priority: priority, minHeight: rows) { canvas, rect in
      flow.draw(in: rect, on: &canvas)
    }
  }

  /// A block with compact forms and a full table, which is drawn only when it fits whole.
  ///
  /// Of compact forms of the same height, the first is used.
  func compactOrTable(
    priority: Int, growPriority: Int? = nil, compact: [Flow], width: Int, _ table: Table,
    title: [Span]? = nil
  ) -> BlockStack.Block {
    var forms: [(height: Int, draw: (inout Canvas, Rect) -> Void)] = []
    for flow in compact {
      let height = flow.height(width: width)
      if forms.contains(where: { $0.height == height }) { continue }
      forms.append((height, { canvas, rect in flow.draw(in: rect, on: &canvas) }))
    }
    if !table.rows.isEmpty,
      !forms.contains(where: { $0.height >= table.naturalHeight + (title == nil ? 0 : 1) })
    {
      let titleRows = title == nil ? 0 : 1
      forms.append(
        (
          table.naturalHeight + titleRows,
          { canvas, rect in
            if let title {
              SpanLine.draw(SpanLine.fitted(title, columns: rect.width), in: rect.row(0), on: &canvas)
            }
            table.draw(
              in: Rect(x: rect.x, y: rect.y + titleRows, width: rect.width, height: rect.height - titleRows),
              on: &canvas)
          }
        ))
    }
    return BlockStack.Block(priority: priority, growPriority: growPriority, forms: forms)
  }

  /// A block drawing a table: its header and `minRows` rows at least, all rows at most.
  func tableBlock(
    priority: Int, growPriority: Int? = nil, _ table: Table, minRows: Int = 1
  ) -> BlockStack.Block {
    let header = table.showHeader ? 1 : 0
    return BlockStack.Block(
      priority: priority, minHeight: table.rows.isEmpty ? 0 : header + min(minRows, table.rows.count),
      maxHeight: table.naturalHeight, growPriority: growPriority
    ) { canvas, rect in
      table.draw(in: rect, on: &canvas)
    }
  }

  /// A block drawing a time chart at one of its heights, up to `maxRows`.
  func chartBlock(priority: Int, growPriority: Int, _ chart: TimeChart, maxRows: Int) -> BlockStack.Block {
    BlockStack.Block(
      priority: priority, growPriority: growPriority,
      forms: TimeChart.heights(maxRows: maxRows).map { height in
        (
          height: height,
          draw: { (canvas: inout Canvas, rect: Rect) in chart.draw(in: rect, on: &canvas, glyphs: glyphs) }
        )
      })
  }

  /// The label style for a figure's name.
  var label: Style { theme.dim }
}
