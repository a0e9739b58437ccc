import GigatopModel

/// The Power panel: draw against online capacity, the sources, the halls, and draw over feed time.
enum PowerPanel {
  /// The panel for an inner width and height (the chart grows with the height).
  static func content(_ ctx: RenderContext, width: Int, height: Int) -> PanelContent {
    let power = ctx.summary.power
    var badge: [Span] = []
    if let facility = power.facilityMW {
      badge = [
        Span(Words.mw(facility), ctx.theme.text.adding(.bold)),
        Span("/" + Words.megawatts(power.capacityMW), ctx.label),
      ]
    } else {
      badge = [Span("cap " + Words.megawatts(power.capacityMW), ctx.label)]
    }
    let blocks: [BlockStack.Block] = [
      gauge(ctx),
      ctx.line(priority: 0, figures(ctx)),
      .spacer(priority: 6),
      sources(ctx, width: width),
      .spacer(priority: 6),
      halls(ctx, width: width),
      .spacer(priority: 5),
      ctx.chartBlock(priority: 1, growPriority: 4, chart(ctx), maxRows: max(4, height - 8)),
    ]
    return PanelContent(badge: badge, blocks: blocks)
  }

  /// Facility draw against online capacity, on the gauge gradient; crit when over.
  static func gauge(_ ctx: RenderContext) -> BlockStack.Block {
    let power = ctx.summary.power
    return BlockStack.Block(priority: 0) { canvas, rect in
      guard let facility = power.facilityMW else {
        SpanLine.draw(
          [Span("facility ", ctx.label), Span("no reading yet", ctx.theme.dim)], in: rect, on: &canvas)
        return
      }
      let fraction = power.capacityMW > 0 ? facility / power.capacityMW : (facility > 0 ? 1 : 0)
      let over = facility > power.capacityMW
      let figures = [
        Span(Words.mw(facility), (over ? ctx.theme.crit : ctx.theme.text).adding(.bold)),
        Span(" / " + Words.megawatts(power.capacityMW), ctx.label),
        Span(
          " " + (power.capacityMW > 0 ? Format.percent(fraction) : "no capacity"),
          over ? ctx.theme.crit : ctx.label, priority: 1),
      ]
      Gauge.row(
        label: [Span("facility", ctx.label)],
        gauge: Gauge(fraction: fraction, gradient: ctx.theme.gaugeGradient, attributes: []),
        figures: figures, in: rect, on: &canvas, glyphs: ctx.glyphs, trackStyle: ctx.theme.dim)
    }
  }

  /// Headroom first (it says whether more racks can be powered), then IT draw, PUE and capacity to come.
  static func figures(_ ctx: RenderContext) -> [Span] {
    let power = ctx.summary.power
    var spans = [Span("headroom ", ctx.label)]
    if let headroom = power.headroomMW {
      let style: Style
      if headroom < 0 {
        style = ctx.theme.crit
      } else if headroom < power.capacityMW * 0.1 {
        style = ctx.theme.warn
      } else {
        style = ctx.theme.good
      }
      spans.append(Span(Words.megawatts(headroom), style.adding(.bold)))
    } else {
      spans.append(Span("-", ctx.theme.dim))
    }
    spans += [
      Span(ctx.sep + "IT ", ctx.label, priority: 1),
      Span(power.itMW.map(Words.megawatts) ?? "-", ctx.theme.text, priority: 1),
    ]
    spans += [
      Span(ctx.sep + "PUE ", ctx.label, priority: 2),
      Span(power.pue.map { Format.fixed($0, 2) } ?? "-", ctx.theme.text, priority: 2),
    ]
    if power.pendingMW > 0 {
      spans.append(Span(ctx.sep + "+" + Words.megawatts(power.pendingMW) + " coming", ctx.label, priority: 3))
    }
    return spans
  }

  /// Where each status sorts: problems first, then what delivers, then what is still to come.
  static func rank(_ status: PowerStatus?) -> Int {
    switch status {
    case .tripped?: return 0
    case .offline?: return 1
    case .online?: return 2
    case .commissioning?: return 3
    case .planned?: return 4
    case nil: return 5
    }
  }

  /// The sources: one summary line (naming any that tripped) when short of rows, a table when not.
  static func sources(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let sources = ctx.state.powerSources.enumerated().sorted {
      (rank($0.element.status), $0.offset) < (rank($1.element.status), $1.offset)
    }
    .map(\.element)
    var summary: [[Span]] = []
    for status in [PowerStatus.tripped, .offline] {
      for source in sources where source.status == status {
        let (glyph, style) = look(ctx, status)
        summary.append([ctx.span(glyph, style), Span(" " + source.id + " " + status.rawValue, style)])
      }
    }
    for status in [PowerStatus.online, .commissioning, .planned] {
      let matching = sources.filter { $0.status == status }
      guard !matching.isEmpty else { continue }
      let (glyph, style) = look(ctx, status)
      let mw = matching.reduce(0) { $0 + ($1.capMW ?? 0) }
      summary.append([
        ctx.span(glyph, style),
        Span(" \(matching.count) \(status.rawValue)", style == ctx.theme.dim ? ctx.label : ctx.theme.text),
        Span(" " + Words.megawatts(mw), ctx.label),
      ])
    }
    let rows: [[[Span]]] = sources.map { source in
      let (glyph, style) = look(ctx, source.status)
      var note: [Span] = []
      switch source.status {
      case .planned?, .commissioning?:
        if let eta = source.eta { note = [Span("ETA " + ctx.dateAndDistance(eta), ctx.label)] }
      case .tripped?, .offline?:
        note = [Span("since " + ctx.dateAndDistance(source.since), style)]
      default:
        if let mwh = source.mwh { note = [Span(Format.fixed(mwh, 1) + " MWh", ctx.label)] }
      }
      return [
        [Span(source.id)],
        [Span(source.kind?.rawValue ?? "-", ctx.label)],
        [
          Span(
            source.capMW.map(Words.mw) ?? "-",
            source.status == .online ? ctx.theme.text.adding(.bold) : ctx.theme.text)
        ],
        [ctx.span(glyph, style), Span(" " + (source.status?.rawValue ?? "unknown"), style)],
        note,
      ]
    }
    let table = ctx.table(
      [
        Table.Column("source", flexible: true), Table.Column("kind", priority: 2),
        Table.Column("MW", .trailing),
        Table.Column("status"), Table.Column("", priority: 1, flexible: true, minWidth: 10),
      ], rows)
    return ctx.compactOrTable(
      priority: 1, growPriority: 2, compact: summary.isEmpty ? [] : [Flow(items: summary)], width: width,
      table)
  }

  /// The glyph and style of a power source status.
  static func look(_ ctx: RenderContext, _ status: PowerStatus?) -> (Unicode.Scalar, Style) {
    switch status {
    case .online?: return (ctx.glyphs.check, ctx.theme.good)
    case .tripped?: return (ctx.glyphs.cross, ctx.theme.crit)
    case .offline?: return (ctx.glyphs.cross, ctx.theme.warn)
    case .commissioning?: return (ctx.glyphs.running, ctx.theme.text)
    case .planned?, nil: return (ctx.glyphs.pending, ctx.theme.dim)
    }
  }

  /// Draw per hall: one line when short of rows, a table with bars when not.
  static func halls(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    guard let reading = ctx.state.power, !reading.hallOrder.isEmpty else {
      return BlockStack.Block(priority: 9, minHeight: 0, maxHeight: 0) { _, _ in }
    }
    let peak = reading.hallMW.max() ?? 0
    let barWidth = max(10, min(40, width - 30))
    let names = Dictionary(
      ctx.state.site.halls.map { ($0.id, $0.name ?? $0.id) }, uniquingKeysWith: { a, _ in a })
    let barStyle = Style(foreground: Theme.pick(ctx.theme.sparkGradient, at: 0.5))
    let rows: [[[Span]]] = zip(reading.hallOrder, reading.hallMW).map { hall, mw in
      [
        [Span(names[hall] ?? hall)],
        [Span(Words.mw(mw), ctx.theme.text.adding(.bold))],
        [Span(Bar.text(fraction: peak > 0 ? mw / peak : 0, width: barWidth, glyphs: ctx.glyphs), barStyle)],
      ]
    }
    let compact = Flow(
      items: reading.hallOrder.map { hall in
        [
          Span(names[hall] ?? hall, ctx.label),
          Span(" " + Words.megawatts(reading.halls[hall] ?? 0), ctx.theme.text),
        ]
      })
    let table = ctx.table(
      [
        Table.Column("hall", flexible: true), Table.Column("MW", .trailing),
        Table.Column("draw", priority: 1),
      ], rows)
    return ctx.compactOrTable(priority: 3, compact: [compact], width: width, table)
  }

  /// Facility draw over feed time, scaled to the online capacity (or the peak, if higher).
  static func chart(_ ctx: RenderContext) -> TimeChart {
    let samples = ctx.state.facilitySeries.samples
    let capacity = ctx.summary.power.capacityMW
    let peak = samples.map(\.value).max() ?? 0
    let ceiling = max(peak, capacity)
    return TimeChart(
      label: "draw",
      title: [
        Span("facility draw", ctx.label), Span(ctx.sep + "peak ", ctx.label),
        Span(Words.megawatts(peak), ctx.theme.text),
        Span(ctx.sep + "top = " + Words.megawatts(ceiling), ctx.label, priority: 1),
      ],
      note: [Span(" peak " + Words.megawatts(peak), ctx.label)], samples: samples, ceiling: ceiling,
      gradient: ctx.theme.sparkGradient, empty: "no readings yet", labelStyle: ctx.label,
      axisStyle: ctx.theme.border)
  }
}
