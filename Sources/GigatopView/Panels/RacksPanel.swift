import GigatopModel

/// The Racks panel: every planned rack by stage, hall by hall, and when the last one will be in.
enum RacksPanel {
  /// Stages in the order the bar and tables show them: done first, not started last, then off the line.
  static let order: [Stage] = [
    .inPool, .accepted, .burnin, .powered, .cabled, .racked, .delivered, .planned, .failed, .rma, .drained,
  ]

  /// Stages in the stacked bar's order: off-the-line stages sit before the racks not started.
  static let barOrder: [Stage] = [
    .inPool, .accepted, .burnin, .powered, .cabled, .racked, .delivered, .failed, .rma, .drained, .planned,
  ]

  /// The panel for an inner width and height.
  static func content(_ ctx: RenderContext, width: Int, height: Int) -> PanelContent {
    let summary = ctx.summary
    let planned = max(summary.plannedRacks, summary.racksSeen)
    let installed = summary.racksInstalled
    var badge = [
      Span(Format.count(installed), ctx.theme.text.adding(.bold)), Span("/\(Format.count(planned)) in"),
    ]
    if planned > 0 {
      badge.append(Span(" " + Format.percent(Double(installed) / Double(planned)), ctx.label, priority: 1))
    }
    var blocks: [BlockStack.Block] = [
      stackedBar(ctx, planned: planned, installed: installed),
      ctx.line(priority: 1, headline(ctx)),
      forecast(ctx, planned: planned, installed: installed),
      .spacer(priority: 4),
      stages(ctx, width: width),
    ]
    if !summary.halls.isEmpty {
      blocks.append(.spacer(priority: 5))
      blocks.append(halls(ctx, width: width))
    }
    if let map = floorMap(ctx, width: width) {
      blocks.append(.spacer(priority: 7))
      blocks.append(map)
    }
    return PanelContent(badge: badge, blocks: blocks)
  }

  /// Racks per stage, planned racks not yet seen counting as planned.
  static func racks(_ ctx: RenderContext, _ stage: Stage) -> Int {
    let counted =
      ctx.summary.racksByStage.indices.contains(stage.rank) ? ctx.summary.racksByStage[stage.rank] : 0
    guard stage == .planned else { return counted }
    return counted + max(0, ctx.summary.plannedRacks - ctx.summary.racksSeen)
  }

  /// All planned racks as one bar, a part per stage, with the installed count.
  static func stackedBar(_ ctx: RenderContext, planned: Int, installed: Int) -> BlockStack.Block {
    let segments = barOrder.map {
      StackedBar.Segment(count: racks(ctx, $0), glyph: ctx.glyph($0), style: ctx.style($0))
    }
    return BlockStack.Block(priority: 0) { canvas, rect in
      let count = Span(" " + Format.count(installed), ctx.theme.text.adding(.bold))
      let label =
        rect.width >= 48
        ? [count, Span(" of \(Format.count(planned)) installed", ctx.label)]
        : [count, Span("/\(Format.count(planned))", ctx.label)]
      let labelWidth = SpanLine.width(label)
      let barWidth = rect.width - labelWidth
      let bar = StackedBar(segments: segments)
      guard barWidth >= 4 else {
        bar.draw(in: rect.row(0), on: &canvas, glyphs: ctx.glyphs, trackStyle: ctx.theme.dim)
        return
      }
      bar.draw(
        in: Rect(x: rect.x, y: rect.y, width: barWidth, height: 1), on: &canvas, glyphs: ctx.glyphs,
        trackStyle: ctx.theme.dim)
      SpanLine.draw(
        label, in: Rect(x: rect.x + barWidth, y: rect.y, width: labelWidth, height: 1), on: &canvas)
    }
  }

  /// Racks in the pool, failed and degraded GPUs.
  static func headline(_ ctx: RenderContext) -> [Span] {
    let gpus = ctx.summary.gpus
    let pool = racks(ctx, .inPool)
    var spans = [
      Span("in pool ", ctx.label), Span(Format.count(pool), ctx.theme.good.adding(.bold)),
      Span(pool == 1 ? " rack" : " racks", ctx.label),
      Span(" (\(Format.count(gpus.inPool)) GPUs)", ctx.label, priority: 2),
      Span(ctx.sep, ctx.label), Span("failed GPUs ", ctx.label),
      Span(Format.count(gpus.failed), gpus.failed > 0 ? ctx.theme.crit : ctx.theme.good),
    ]
    if gpus.degraded > 0 {
      spans += [
        Span(ctx.sep + "degraded ", ctx.label, priority: 3),
        Span(Format.count(gpus.degraded), ctx.theme.warn, priority: 3),
      ]
    }
    return spans
  }

  /// The install rate over the last seven feed days and when the last rack will be in.
  static func forecast(_ ctx: RenderContext, planned: Int, installed: Int) -> BlockStack.Block {
    let forecast = ctx.summary.forecast
    let rate = Span(Words.rate(forecast.installRatePerDay), ctx.theme.text.adding(.bold))
    var eta: [Span]
    if planned > 0, installed >= planned {
      eta = [Span("all racks installed", ctx.theme.good)]
    } else if let done = forecast.racksDoneAt {
      let late = ctx.state.site.deadline.map { done > $0 } ?? false
      eta = [
        Span("all in ", ctx.label), Span(ctx.dateAndDistance(done), late ? ctx.theme.crit : ctx.theme.text),
      ]
      if late { eta.append(Span(" after deadline", ctx.theme.crit, priority: 2)) }
    } else {
      eta = [Span("all in: unknown, no installs lately", ctx.theme.warn)]
    }
    let sep = Span(ctx.sep, ctx.label)
    return ctx.line(
      priority: 1,
      [Span("rate ", ctx.label), rate, Span(" racks/day (7d)", ctx.label), sep] + eta,
      [Span("rate ", ctx.label), rate, Span(" racks/day", ctx.label), sep] + eta,
      [rate, Span("/day", ctx.label), sep] + eta)
  }

  /// Racks by stage: a full table when there is room, only the stages in use when less, a grid when short.
  static func stages(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let gpus = ctx.summary.gpus
    let planned = max(1, max(ctx.summary.plannedRacks, ctx.summary.racksSeen))
    let shown = order.filter { $0.isOnLine || racks(ctx, $0) > 0 }
    let inUse = shown.filter { racks(ctx, $0) > 0 }
    let shareWidth = max(8, min(40, width - 36))
    func rows(_ stages: [Stage]) -> [[[Span]]] {
      stages.map { stage in
        let count = racks(ctx, stage)
        let style = count > 0 ? ctx.theme.text : ctx.theme.dim
        return [
          [ctx.span(ctx.glyph(stage), ctx.style(stage)), Span(" " + Words.name(stage), style)],
          [Span(Format.count(count), count > 0 ? style.adding(.bold) : style)],
          [Span(Format.count(gpus.count(stage)), style)],
          [
            Span(
              Bar.text(fraction: Double(count) / Double(planned), width: shareWidth, glyphs: ctx.glyphs),
              ctx.style(stage))
          ],
        ]
      }
    }
    let columns = [
      Table.Column("stage"), Table.Column("racks", .trailing), Table.Column("GPUs", .trailing, priority: 1),
      Table.Column("of all racks", priority: 2),
    ]
    let full = ctx.table(columns, rows(shown))
    let condensed = ctx.table(columns, rows(inUse))
    let grid = KeyValueGrid(
      items: inUse.map { stage in
        KeyValueGrid.Item(
          label: [ctx.span(ctx.glyph(stage), ctx.style(stage)), Span(" " + Words.name(stage), ctx.label)],
          value: [Span(Format.count(racks(ctx, stage)), ctx.theme.text.adding(.bold))])
      })
    return BlockStack.Block(
      priority: 2,
      forms: [
        (grid.minRows(width: width), { canvas, rect in grid.draw(in: rect, on: &canvas) }),
        (condensed.naturalHeight, { canvas, rect in condensed.draw(in: rect, on: &canvas) }),
        (full.naturalHeight, { canvas, rect in full.draw(in: rect, on: &canvas) }),
      ])
  }

  /// Racks by hall: one line when short, a table when there is room (with every stage when wide).
  static func halls(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let halls = ctx.summary.halls
    let compact = Flow(
      items: halls.map { hall in
        [
          Span(hall.name ?? hall.id, ctx.label),
          Span(" " + Format.count(hall.installed), ctx.theme.text.adding(.bold)),
          Span("/" + Format.count(hall.planned ?? hall.racks), ctx.label),
        ]
      })
    let stagesUsed = order.filter { stage in stage.isOnLine || halls.contains { $0.byStage[stage.rank] > 0 } }
    func table(withStages: Bool, barWidth: Int) -> Table {
      let rows: [[[Span]]] = halls.map { hall in
        let planned = hall.planned ?? hall.racks
        let fraction = planned > 0 ? Double(hall.installed) / Double(planned) : 0
        let failed = hall.byStage[Stage.failed.rank] + hall.byStage[Stage.rma.rank]
        var row: [[Span]] = [
          [Span(hall.name ?? hall.id)],
          [
            Span(Format.count(hall.installed), ctx.theme.text.adding(.bold)),
            Span("/" + Format.count(planned), ctx.label),
          ],
        ]
        if withStages {
          for stage in stagesUsed {
            var count = hall.byStage[stage.rank]
            if stage == .planned, let plan = hall.planned { count += max(0, plan - hall.racks) }
            row.append([
              Span(
                count > 0 ? Format.count(count) : String(ctx.glyphs.pending),
                count > 0 ? ctx.style(stage) : ctx.theme.dim)
            ])
          }
        } else {
          row.append([Span(Format.count(hall.inPool), hall.inPool > 0 ? ctx.theme.good : ctx.theme.dim)])
          row.append([Span(Format.count(failed), failed > 0 ? ctx.theme.crit : ctx.theme.dim)])
        }
        row.append([
          Span(
            Bar.text(fraction: fraction, width: barWidth, glyphs: ctx.glyphs, empty: ctx.glyphs.pending),
            ctx.style(.racked))
        ])
        return row
      }
      var columns = [Table.Column("hall", flexible: true), Table.Column("installed", .trailing)]
      if withStages {
        columns += stagesUsed.map { Table.Column(String(ctx.glyph($0)), .trailing) }
      } else {
        columns += [Table.Column("pool", .trailing), Table.Column("failed", .trailing, priority: 2)]
      }
      columns.append(Table.Column("", priority: 1))
      return ctx.table(columns, rows)
    }
    let wide = table(withStages: true, barWidth: max(10, min(30, width - 60)))
    let narrow = table(withStages: false, barWidth: width >= 90 ? 24 : 12)
    let chosen = wide.fitsWhole(width: width) ? wide : narrow
    return ctx.compactOrTable(priority: 3, compact: [compact], width: width, chosen)
  }

  /// Every rack position of every hall as its stage's mark, when the site plan gives the halls' shape.
  static func floorMap(_ ctx: RenderContext, width: Int) -> BlockStack.Block? {
    let plans = ctx.state.site.halls
    guard !plans.isEmpty else { return nil }
    // Grids by hall position; racks are read in place and one hall's racks mostly come together,
    // so the last hall is tried before the dictionary (no copy of a rack or a grid per rack).
    var position: [String: Int] = [:]
    var grids: [[[Stage?]]] = []
    for plan in plans {
      let rows = min(200, max(0, plan.rows ?? 0))
      let columns = min(200, max(0, plan.racksPerRow ?? 0))
      let grid = Array(repeating: Array(repeating: Stage?.some(.planned), count: columns), count: rows)
      if let i = position[plan.id] {
        grids[i] = grid
      } else {
        position[plan.id] = grids.count
        grids.append(grid)
      }
    }
    var lastHall: String?
    var lastIndex = -1
    ctx.state.racks.withUnsafeBufferPointer { racks in
      for r in racks.indices {
        let id = racks[r].hall
        let index: Int
        if let lastHall, lastHall == id {
          index = lastIndex
        } else {
          index = position[id] ?? -1
        }
        lastHall = id
        lastIndex = index
        let row = racks[r].row - 1
        let slot = racks[r].slot - 1
        guard index >= 0, row >= 0, slot >= 0, row < grids[index].count, slot < grids[index][row].count
        else { continue }
        grids[index][row][slot] = racks[r].effectiveStage
      }
    }
    let totals = Dictionary(ctx.summary.halls.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let halls: [FloorMap.Hall] = plans.compactMap { plan in
      guard let grid = position[plan.id].map({ grids[$0] }), !grid.isEmpty else { return nil }
      let digits = String(grid.count).count
      let hall = totals[plan.id]
      return FloorMap.Hall(
        title: [
          Span(plan.name ?? plan.id, ctx.theme.text.adding(.bold)),
          Span(" " + Format.count(hall?.installed ?? 0) + "/" + Format.count(hall?.planned ?? 0), ctx.label),
        ],
        rowLabels: grid.indices.map {
          "R" + String(repeating: "0", count: digits - String($0 + 1).count) + String($0 + 1)
        },
        marks: grid.map { row in
          row.map { stage in Cell(ctx.glyph(stage ?? .planned), style: ctx.style(stage ?? .planned)) }
        })
    }
    guard !halls.isEmpty else { return nil }
    var forms: [(height: Int, draw: (inout Canvas, Rect) -> Void)] = []
    for cellWidth in [2, 1] {
      let map = FloorMap(halls: halls, cellWidth: cellWidth, labelStyle: ctx.label)
      // Spaced marks read better; packed ones are used only when they save rows.
      if let height = map.height(width: width), !forms.contains(where: { $0.height <= height + 1 }) {
        forms.append(
          (
            height + 1,
            { canvas, rect in
              SpanLine.draw(
                [Span("floor", ctx.label), Span(" (one mark per rack, by stage)", ctx.label, priority: 1)],
                in: rect.row(0), on: &canvas)
              map.draw(
                in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), on: &canvas)
            }
          ))
      }
    }
    guard !forms.isEmpty else { return nil }
    return BlockStack.Block(priority: 7, growPriority: 7, forms: forms)
  }
}
