import GigatopModel

/// One node: its facts and a row per GPU with state, temperature, power, last XID and serial.
enum NodeView {
  /// Rows before the GPU table's first row: the facts, a blank line and the table header.
  static let tableTop = 4

  /// The GPUs the node holds (the feed's count, else the site's), at most 64.
  static func gpuCount(_ node: Node, _ state: BuildoutState) -> Int {
    min(64, max(node.gpus ?? state.site.gpusPerNode, (node.gpuRecords.last?.index ?? -1) + 1))
  }

  static func draw(
    _ id: String, _ frame: DrillFrame, _ ctx: RenderContext, in body: Rect, on canvas: inout Canvas
  ) {
    let state = ctx.state
    guard let index = state.nodeIndex[id] else {
      canvas.write("no node \(id) in the feed", in: body.row(0), style: ctx.theme.warn)
      return
    }
    let node = state.nodes[index]
    let rackStage = state.rackIndex[node.rackID].map { state.racks[$0].effectiveStage } ?? .planned
    let stage = node.stage ?? rackStage
    let count = gpuCount(node, state)
    let sep = Span(ctx.sep, ctx.label)
    var line = [
      Span(node.id, ctx.theme.text.adding(.bold)), Span(" "), ctx.span(ctx.glyph(stage), ctx.style(stage)),
      Span(" " + Words.name(stage), ctx.style(stage)),
    ]
    if node.stage != nil {
      line.append(Span(" for " + RackView.age(since: node.stageSince, ctx), ctx.theme.text))
    } else {
      line.append(Span(" (the rack's stage)", ctx.label))
    }
    line += [
      sep, Span("rack ", ctx.label), Span(node.rackID, ctx.theme.text), Span(" slot \(node.slot)", ctx.label),
    ]
    if let u = node.u { line.append(Span(" U\(u)", ctx.label)) }
    if let kw = node.kw { line += [sep, Span(Format.fixed(kw, 1) + " kW", ctx.theme.text)] }
    let ok = node.gpusOK ?? (count - node.failedGPUs(below: count))
    line += [sep, Span("\(ok)/\(count) GPUs ok", ok < count ? ctx.theme.warn : ctx.theme.good)]
    SpanLine.draw(SpanLine.fitted(line, columns: body.width), in: body.row(0), on: &canvas)
    if let reason = node.reason, !reason.isEmpty {
      SpanLine.draw([Span("reason ", ctx.label), Span(reason, ctx.theme.warn)], in: body.row(1), on: &canvas)
    }

    var rows: [[[Span]]] = []
    for gpu in 0..<count {
      let marker = [
        Span(gpu == frame.cursor ? (ctx.glyphs.isUnicode ? "▶" : ">") : " ", ctx.theme.titleFocused)
      ]
      guard let record = node.gpuRecords.first(where: { $0.index == gpu }) else {
        rows.append([marker, [Span(String(gpu), ctx.label)], [Span("not reported", ctx.theme.dim)]])
        continue
      }
      let stateSpan = RackView.gpuSpan(record.state, ctx)
      let hot = (record.tempC ?? 0) >= 80
      rows.append([
        marker, [Span(String(gpu), ctx.label)],
        [stateSpan, Span(" " + (record.state?.rawValue ?? "unknown"), stateSpan.style)],
        [Span(record.tempC.map { Format.fixed($0, 0) + "°C" } ?? "-", hot ? ctx.theme.warn : ctx.theme.text)],
        [Span(record.powerW.map { Format.fixed($0, 0) + " W" } ?? "-", ctx.theme.text)],
        [Span(record.xid.map { "XID \($0)" } ?? "-", record.xid == nil ? ctx.theme.dim : ctx.theme.warn)],
        [Span(node.serial(ofGPU: record.index) ?? "-", ctx.theme.text)],
        [Span(Timestamp.formatShort(record.updatedAt), ctx.label)],
      ])
    }
    let columns = [
      Table.Column(""), Table.Column("GPU", .trailing), Table.Column("state"),
      Table.Column("temp", .trailing),
      Table.Column("power", .trailing), Table.Column("last XID"), Table.Column("serial", priority: 2),
      Table.Column("updated", priority: 1),
    ]
    let visible = max(0, body.height - 3 - 1)
    let first = max(0, min(frame.scroll, rows.count - visible))
    let table = Rect(x: body.x, y: body.y + 3, width: body.width, height: body.height - 3)
    ctx.table(columns, Array(rows.dropFirst(first))).draw(in: table, on: &canvas)
    let cursorY = table.y + 1 + frame.cursor - first
    if cursorY > table.y, cursorY < table.maxY {
      canvas.restyle(Rect(x: body.x, y: cursorY, width: body.width, height: 1)) { $0.adding(.bold) }
    }
  }
}
