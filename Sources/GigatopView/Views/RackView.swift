import GigatopModel

/// One rack: its facts, an elevation (a row per node slot, top slot first) and its recent history.
enum RackView {
  /// The slots in the order the elevation lists them: the top of the rack first.
  static func slots(_ state: BuildoutState) -> [Int] {
    Array((1...max(1, state.site.nodesPerRack)).reversed())
  }

  /// Rows before the elevation's first node row: the facts, a blank line and the table header.
  static let tableTop = 4

  /// `1d 4h`: how long something has been at its stage, by the feed clock.
  static func age(since: Double, _ ctx: RenderContext) -> String {
    guard let now = ctx.now else { return "-" }
    return Format.duration(now - since)
  }

  /// The rack on one line: id, stage and time in it, kW, inlet, links, pod and place.
  static func summary(_ rack: Rack, _ ctx: RenderContext) -> [Span] {
    let stage = rack.effectiveStage
    let sep = Span(ctx.sep, ctx.label)
    var spans = [
      Span(rack.id, ctx.theme.text.adding(.bold)), Span(" "), ctx.span(ctx.glyph(stage), ctx.style(stage)),
      Span(" " + Words.name(stage), ctx.style(stage)),
      Span(" for " + age(since: rack.stageSince, ctx), ctx.theme.text),
    ]
    if let kw = rack.kw { spans += [sep, Span(Format.fixed(kw, 1) + " kW", ctx.theme.text)] }
    if let inlet = rack.inletC {
      spans += [
        sep, Span("inlet ", ctx.label, priority: 2),
        Span(Format.fixed(inlet, 1) + "°C", ctx.theme.text, priority: 2),
      ]
    }
    if let up = rack.linksUp, let total = rack.linksTotal {
      spans += [
        Span(ctx.sep + "links ", ctx.label, priority: 3),
        Span("\(up)/\(total)", up < total ? ctx.theme.warn : ctx.theme.text, priority: 3),
      ]
    }
    if let pod = rack.pod {
      spans += [Span(ctx.sep + "pod ", ctx.label, priority: 4), Span(pod, ctx.theme.text, priority: 4)]
    }
    spans.append(
      Span(
        ctx.sep + Breadcrumbs.hallName(rack.hall, ctx.state) + " row \(rack.row) slot \(rack.slot)",
        ctx.label, priority: 5))
    return spans
  }

  static func draw(
    _ id: String, _ frame: DrillFrame, _ ctx: RenderContext, in body: Rect, on canvas: inout Canvas
  ) {
    let state = ctx.state
    guard let index = state.rackIndex[id] else {
      canvas.write("no rack \(id) in the feed", in: body.row(0), style: ctx.theme.warn)
      return
    }
    let rack = state.racks[index]
    SpanLine.draw(SpanLine.fitted(summary(rack, ctx), columns: body.width), in: body.row(0), on: &canvas)
    var facts = [Span("since ", ctx.label), Span(Timestamp.formatShort(rack.stageSince), ctx.theme.text)]
    if let installed = rack.installedAt {
      facts += [
        Span(ctx.sep + "installed ", ctx.label), Span(Timestamp.formatShort(installed), ctx.theme.text),
      ]
    }
    if let note = rack.note, !note.isEmpty {
      facts += [Span(ctx.sep + "note ", ctx.label), Span(note, ctx.theme.warn)]
    }
    SpanLine.draw(facts, in: body.row(1), on: &canvas)

    let slots = slots(state)
    var rows: [[[Span]]] = []
    for (row, slot) in slots.enumerated() {
      let marker = [
        Span(row == frame.cursor ? (ctx.glyphs.isUnicode ? "▶" : ">") : " ", ctx.theme.titleFocused)
      ]
      guard let nodeIndex = rack.nodeIndex(atSlot: slot) else {
        rows.append([marker, [Span(String(slot), ctx.label)], [], [Span("no node reported", ctx.theme.dim)]])
        continue
      }
      let node = state.nodes[nodeIndex]
      let stage = node.stage ?? rack.effectiveStage
      let count = min(64, node.gpus ?? state.site.gpusPerNode)
      let ok = node.gpusOK.map { "\($0)/\(count)" } ?? "-"
      rows.append([
        marker, [Span(String(slot), ctx.label)], [Span(node.u.map(String.init) ?? "-", ctx.label)],
        [Span(shortName(node.id, rack: rack.id), ctx.theme.text.adding(.bold))],
        [
          ctx.span(ctx.glyph(stage), ctx.style(stage)),
          Span(" " + Words.name(stage), node.stage == nil ? ctx.theme.dim : ctx.style(stage)),
        ],
        [Span(node.kw.map { Format.fixed($0, 1) } ?? "-", ctx.theme.text)],
        gpuGlyphs(node, count: count, ctx),
        [Span(ok, (node.gpusOK ?? count) < count ? ctx.theme.warn : ctx.theme.text)],
        [Span(problems(node), ctx.theme.warn)],
      ])
    }
    let columns = [
      Table.Column(""), Table.Column("slot", .trailing), Table.Column("U", .trailing), Table.Column("node"),
      Table.Column("stage"), Table.Column("kW", .trailing, priority: 3), Table.Column("GPUs"),
      Table.Column("ok", .trailing, priority: 2), Table.Column("XID / reason", flexible: true, minWidth: 8),
    ]
    let tableRect = Rect(
      x: body.x, y: body.y + 3, width: body.width, height: min(rows.count + 1, body.height - 3))
    ctx.table(columns, rows).draw(in: tableRect, on: &canvas)
    let cursorY = tableRect.y + 1 + frame.cursor
    if cursorY < tableRect.maxY {
      canvas.restyle(Rect(x: body.x, y: cursorY, width: body.width, height: 1)) { $0.adding(.bold) }
    }

    let historyTop = tableRect.maxY + 1
    let history = Rect(x: body.x, y: historyTop, width: body.width, height: body.maxY - historyTop)
    drawHistory(rack, ctx, in: history, on: &canvas)
  }

  /// A node's id without its rack's prefix: `N3` for `A-R02-K04-N3`.
  static func shortName(_ node: String, rack: String) -> String {
    node.hasPrefix(rack + "-") ? String(node.dropFirst(rack.count + 1)) : node
  }

  /// A node's GPUs as glyphs: ok, degraded, failed, or not reported.
  static func gpuGlyphs(_ node: Node, count: Int, _ ctx: RenderContext) -> [Span] {
    var spans: [Span] = []
    var records = node.gpuRecords.makeIterator()
    var next = records.next()
    for index in 0..<count {
      while let record = next, record.index < index { next = records.next() }
      let state = next.flatMap { $0.index == index ? $0.state : nil }
      spans.append(gpuSpan(state, ctx))
    }
    return spans
  }

  /// One GPU's glyph in its state's style.
  static func gpuSpan(_ state: GPUState?, _ ctx: RenderContext) -> Span {
    let unicode = ctx.glyphs.isUnicode
    switch state {
    case .ok: return Span(unicode ? "●" : "o", ctx.theme.good)
    case .degraded: return Span(unicode ? "◐" : "d", ctx.theme.warn)
    case .failed: return Span(unicode ? "✗" : "x", ctx.theme.crit)
    case nil: return Span(String(ctx.glyphs.pending), ctx.theme.dim)
    }
  }

  /// A node's reason, else its GPUs' XIDs: `XID 79 on GPU 3`, `GPU 5 XID 48`.
  static func problems(_ node: Node) -> String {
    if let reason = node.reason, !reason.isEmpty { return reason }
    return node.gpuRecords.compactMap { record in record.xid.map { "GPU \(record.index) XID \($0)" } }
      .joined(separator: ", ")
  }

  /// The rack's recent events, newest first, as many as fit.
  static func drawHistory(_ rack: Rack, _ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    guard rect.height >= 2 else { return }
    let events = ctx.state.rackHistory.events(forRack: rack.id)
    canvas.write(
      "history (latest \(RackHistory.capacity) events about the rack and its nodes)", in: rect.row(0),
      style: ctx.theme.dim.adding(.underline))
    if events.isEmpty {
      canvas.write("nothing recorded since gigatop started reading", in: rect.row(1), style: ctx.theme.dim)
      return
    }
    for (row, event) in events.reversed().enumerated() where row + 1 < rect.height {
      SpanLine.draw(eventSpans(event, rack: rack.id, ctx), in: rect.row(row + 1), on: &canvas)
    }
  }

  /// One event: its feed time, what it is about, and what happened.
  static func eventSpans(_ event: RackEvent, rack: String, _ ctx: RenderContext) -> [Span] {
    var spans = [Span(Timestamp.formatShort(event.ts) + "  ", ctx.label)]
    let subject = event.node.map { shortName($0, rack: rack) } ?? "rack"
    spans.append(Span(subject + " ", ctx.theme.text.adding(.bold)))
    switch event.kind {
    case .rack(let stage, let note):
      if let stage { spans += [Span("→ ", ctx.label), Span(Words.name(stage), ctx.style(stage))] }
      if let note { spans.append(Span((stage == nil ? "" : ctx.sep) + note, ctx.theme.warn)) }
    case .node(let stage, let ok, let reason, let placed):
      var parts: [Span] = []
      if placed { parts.append(Span("reported", ctx.theme.text)) }
      if let stage {
        parts += [
          Span((parts.isEmpty ? "" : " ") + "→ ", ctx.label), Span(Words.name(stage), ctx.style(stage)),
        ]
      }
      if let ok { parts.append(Span((parts.isEmpty ? "" : ctx.sep) + "\(ok) GPUs ok", ctx.theme.text)) }
      if let reason { parts.append(Span((parts.isEmpty ? "" : ctx.sep) + reason, ctx.theme.warn)) }
      spans += parts
    case .gpu(let index, let state, let xid):
      spans.append(Span("GPU \(index) ", ctx.theme.text))
      if let state { spans += [gpuSpan(state, ctx), Span(" " + state.rawValue, ctx.theme.text)] }
      if let xid { spans.append(Span(ctx.sep + "XID \(xid)", ctx.theme.warn)) }
    case .alert(let severity, let message):
      spans += [ctx.span(ctx.glyph(severity), ctx.style(severity)), Span(" " + message, ctx.style(severity))]
    }
    return spans
  }
}
