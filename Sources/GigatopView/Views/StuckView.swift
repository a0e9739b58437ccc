import GigatopModel

/// The racks that have sat longest in their stage: the table a site lead reads every morning.
///
/// Racks in the pool, drained or not started (planned) are not stuck and are left out. Sorted by
/// time in stage, longest first, unless another column is chosen (`s`) or the order inverted (`I`).
enum StuckView {
  /// Rows before the first rack row: the title line and the table header.
  static let tableTop = 2

  /// Whether a rack belongs in the table.
  static func isCandidate(_ rack: Rack) -> Bool {
    let stage = rack.effectiveStage
    return stage != .inPool && stage != .planned && stage != .drained
  }

  /// The rack indices of the table, filtered and sorted.
  static func rows(_ state: BuildoutState, filter: FilterQuery, sort: StuckSort) -> [Int] {
    var indices: [Int] = []
    for (index, rack) in state.racks.enumerated() where isCandidate(rack) && filter.matches(rack) {
      indices.append(index)
    }
    let racks = state.racks
    func ordered(_ a: Int, _ b: Int) -> Bool {
      let x = racks[a]
      let y = racks[b]
      switch sort.column {
      case .time: if x.stageSince != y.stageSince { return x.stageSince < y.stageSince }
      case .rack: break
      case .stage: if x.effectiveStage != y.effectiveStage { return x.effectiveStage < y.effectiveStage }
      case .hall: if x.hall != y.hall { return x.hall < y.hall }
      case .kw: if (x.kw ?? -1) != (y.kw ?? -1) { return (x.kw ?? -1) > (y.kw ?? -1) }
      }
      return x.id < y.id
    }
    indices.sort { sort.inverted ? ordered($1, $0) : ordered($0, $1) }
    return indices
  }

  /// The table rows visible in a body of `height` rows.
  static func visibleRows(height: Int) -> Int { max(1, height - tableTop) }

  static func draw(_ frame: DrillFrame, _ ctx: RenderContext, in body: Rect, on canvas: inout Canvas) {
    let drill = ctx.input.view.drill
    let indices = rows(ctx.state, filter: drill.filter, sort: drill.stuckSort)
    let arrow =
      drill.stuckSort.inverted ? (ctx.glyphs.isUnicode ? "↑" : "^") : (ctx.glyphs.isUnicode ? "↓" : "v")
    var title = [
      Span("\(Format.count(indices.count)) racks not yet in the pool", ctx.theme.text.adding(.bold)),
      Span(ctx.sep + "sorted by ", ctx.label),
      Span(drill.stuckSort.column.title + " " + arrow, ctx.theme.text),
      Span("  (s column, I invert, Enter opens)", ctx.label, priority: 1),
    ]
    if drill.filter.isActive {
      title += [Span(ctx.sep + "filter ", ctx.label), Span(drill.filter.text, ctx.theme.warn.adding(.bold))]
    }
    SpanLine.draw(SpanLine.fitted(title, columns: body.width), in: body.row(0), on: &canvas)
    let visible = visibleRows(height: body.height)
    let first = max(0, min(frame.scroll, indices.count - visible))
    let shown = indices.dropFirst(first).prefix(visible)
    var rows: [[[Span]]] = []
    for (offset, index) in shown.enumerated() {
      let rack = ctx.state.racks[index]
      let stage = rack.effectiveStage
      let selected = first + offset == frame.cursor
      rows.append([
        [Span(selected ? (ctx.glyphs.isUnicode ? "▶" : ">") : " ", ctx.theme.titleFocused)],
        [Span(rack.id, ctx.theme.text.adding(.bold))],
        [ctx.span(ctx.glyph(stage), ctx.style(stage)), Span(" " + Words.name(stage), ctx.style(stage))],
        [Span(RackView.age(since: rack.stageSince, ctx), ctx.theme.text)],
        [Span(Timestamp.formatShort(rack.stageSince), ctx.label)],
        [Span(rack.hall, ctx.theme.text)], [Span(String(rack.row), ctx.theme.text)],
        [Span(rack.kw.map { Format.fixed($0, 1) } ?? "-", ctx.theme.text)],
        [Span(rack.note ?? "", ctx.theme.warn)],
      ])
    }
    let columns = [
      Table.Column(""), Table.Column("rack"), Table.Column("stage"), Table.Column("in stage", .trailing),
      Table.Column("since", priority: 2), Table.Column("hall"), Table.Column("row", .trailing, priority: 3),
      Table.Column("kW", .trailing, priority: 1), Table.Column("note", priority: 4, flexible: true),
    ]
    let table = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
    if rows.isEmpty {
      canvas.write("no rack is waiting in a stage", in: table.row(0), style: ctx.theme.dim)
      return
    }
    ctx.table(columns, rows).draw(in: table, on: &canvas)
    let cursorY = table.y + 1 + frame.cursor - first
    if cursorY > table.y, cursorY < table.maxY {
      canvas.restyle(Rect(x: body.x, y: cursorY, width: body.width, height: 1)) { $0.adding(.bold) }
    }
    if indices.count > visible {
      canvas.write(
        " \(first + 1)-\(first + shown.count) of \(Format.count(indices.count)) ", in: body.row(0),
        style: ctx.label, alignment: .trailing)
    }
  }
}
