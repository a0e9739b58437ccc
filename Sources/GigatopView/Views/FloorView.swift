import GigatopModel

/// The floor: every rack as one cell, by stage (colour and glyph), hall by hall, row by row.
///
/// Only the visible rows are drawn; the cursor's rack is described on the line below.
enum FloorView {
  /// The first virtual row shown: the frame's scroll, kept within the floor.
  static func scroll(_ frame: DrillFrame, _ layout: FloorLayout, rows: Int) -> Int {
    max(0, min(frame.scroll, layout.height - rows))
  }

  static func draw(
    _ frame: DrillFrame, _ ctx: RenderContext, layout screen: DrillScreen.Layout, on canvas: inout Canvas
  ) {
    let body = screen.body
    let state = ctx.state
    let floor = FloorLayout(state: state, width: body.width)
    let filter = ctx.input.view.drill.filter
    guard !floor.halls.isEmpty else {
      canvas.write("no racks yet", in: body.row(0), style: ctx.theme.dim)
      drawFooter(nil, ctx, in: screen.footer, on: &canvas)
      return
    }
    let top = scroll(frame, floor, rows: body.height)
    let cursor = floor.place(of: frame.selected, in: state)
    let pending = Cell(ctx.glyphs.pending, style: ctx.theme.dim)
    let marker = Cell(ctx.glyphs.isUnicode ? "▸" : ">", style: ctx.theme.titleFocused)
    var glyphCells: [Cell] = Stage.allCases.map { Cell(ctx.glyph($0), style: ctx.style($0)) }
    if filter.isActive { glyphCells = glyphCells.map { Cell($0.scalar, style: $0.style.adding(.bold)) } }
    for (h, hall) in floor.halls.enumerated() where hall.y + hall.height > top && hall.y < top + body.height {
      let x0 = body.x + hall.x
      let titleY = body.y + hall.y - top
      if hall.y >= top {
        let title = [
          Span(hall.name, ctx.theme.text.adding(.bold)),
          Span(" \(Format.count(hall.installed))/\(Format.count(hall.racks)) in", ctx.label),
        ]
        SpanLine.draw(
          title, in: Rect(x: x0, y: titleY, width: min(hall.width, body.maxX - x0), height: 1), on: &canvas)
      }
      let firstRow = max(0, top - hall.y - 1)
      let lastRow = min(hall.rows, top + body.height - hall.y - 1)
      guard firstRow < lastRow else { continue }
      for row in firstRow..<lastRow {
        let y = titleY + 1 + row
        let label =
          "R" + String(repeating: "0", count: hall.labelWidth - 1 - String(row + 1).count) + String(row + 1)
        canvas.write(label, x: x0, y: y, style: ctx.label, limit: min(hall.labelWidth, body.maxX - x0))
        for slot in 0..<hall.slots {
          let x = body.x + hall.column(ofSlot: slot)
          if x >= body.maxX { break }
          guard let index = hall.rack(row: row, slot: slot) else {
            canvas[x, y] = pending
            continue
          }
          let rack = state.racks[index]
          var cell = filter.matches(rack) ? glyphCells[rack.effectiveStage.rank] : pending
          if let cursor, cursor.hall == h, cursor.row == row, cursor.slot == slot {
            cell.style = cell.style.adding(.reverse)
            canvas[x - 1, y] = marker
          }
          canvas[x, y] = cell
        }
      }
    }
    if floor.height > body.height {
      let text = "rows \(top + 1)-\(min(floor.height, top + body.height)) of \(floor.height)"
      canvas.write(
        " " + text + " ", in: Rect(x: body.x, y: body.maxY - 1, width: body.width, height: 1),
        style: ctx.label, alignment: .trailing)
    }
    let selected = frame.selected.flatMap { state.rackIndex[$0] }.map { state.racks[$0] }
    drawFooter(selected, ctx, in: screen.footer, on: &canvas)
  }

  /// The cursor's rack on one line, and the stage legend (with the filter) on the next.
  static func drawFooter(_ rack: Rack?, _ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    if let rack {
      SpanLine.draw(
        SpanLine.fitted(RackView.summary(rack, ctx), columns: rect.width), in: rect.row(0), on: &canvas)
    } else {
      canvas.write("no rack selected", in: rect.row(0), style: ctx.theme.dim)
    }
    var legend: [Span] = []
    for stage in Stage.allCases {
      // The stages off the line go first, then the later stages, when the line is short.
      let priority = 2 + stage.rank
      legend += [
        Span(String(ctx.glyph(stage)), ctx.style(stage), priority: priority),
        Span(" " + Words.name(stage) + "  ", ctx.label, priority: priority),
      ]
    }
    let filter = ctx.input.view.drill.filter
    if filter.isActive {
      var count = 0
      for rack in ctx.state.racks where filter.matches(rack) { count += 1 }
      legend =
        [
          Span("filter ", ctx.label), Span(filter.text, ctx.theme.warn.adding(.bold)),
          Span(" \(Format.count(count)) match\(count == 1 ? "" : "es")", ctx.theme.text),
          Span(" (n/N next/previous, Esc clears)  ", ctx.label, priority: 1),
        ] + legend
    }
    SpanLine.draw(SpanLine.fitted(legend, columns: rect.width), in: rect.row(1), on: &canvas)
  }
}
