import GigatopModel

/// The Readiness panel: the pool against the job, what holds it back, the gates and the fabric.
enum ReadinessPanel {
  /// The panel for an inner width and height.
  static func content(_ ctx: RenderContext, width: Int, height: Int) -> PanelContent {
    let readiness = ctx.summary.readiness
    let badge = [
      Span(
        Format.percent(readiness.ratio),
        (readiness.ratio >= 1 ? ctx.theme.good : ctx.theme.text).adding(.bold)),
      Span(" of job", ctx.label),
    ]
    var blocks: [BlockStack.Block] = [
      gauge(ctx),
      ctx.wrapped(priority: 0, binding(ctx), width: width),
      ctx.line(priority: 1, eta(ctx)),
      ctx.line(priority: 1, job(ctx)),
    ]
    if readiness.acceptedWaiting > 0 {
      blocks.append(
        ctx.line(
          priority: 3,
          [
            Span(Format.count(readiness.acceptedWaiting), ctx.theme.warn.adding(.bold)),
            Span(" GPUs accepted, waiting on power", ctx.theme.warn),
            Span(" (not in pool)", ctx.label, priority: 1),
          ]))
    }
    blocks.append(ctx.line(priority: 2, fabric(ctx)))
    blocks.append(.spacer(priority: 5))
    blocks.append(gates(ctx, width: width))
    blocks.append(.spacer(priority: 5))
    blocks.append(limits(ctx, width: width))
    blocks.append(.spacer(priority: 7))
    blocks.append(ctx.chartBlock(priority: 7, growPriority: 8, poolChart(ctx), maxRows: max(4, height - 20)))
    return PanelContent(badge: badge, blocks: blocks)
  }

  /// GPUs in the pool over feed time, scaled to the job size.
  static func poolChart(_ ctx: RenderContext) -> TimeChart {
    let readiness = ctx.summary.readiness
    return TimeChart(
      label: "pool",
      title: [
        Span("GPUs in pool", ctx.label), Span(ctx.sep + "now ", ctx.label),
        Span(Format.count(readiness.inPool), ctx.theme.text),
        Span(ctx.sep + "top = job " + Format.count(readiness.jobGPUs), ctx.label, priority: 1),
      ],
      note: [], samples: ctx.state.poolSeries.samples, ceiling: Double(readiness.jobGPUs),
      gradient: ctx.theme.sparkGradient, empty: "no samples yet", labelStyle: ctx.label,
      axisStyle: ctx.theme.border)
  }

  /// GPUs in the pool against the job size.
  static func gauge(_ ctx: RenderContext) -> BlockStack.Block {
    let readiness = ctx.summary.readiness
    return BlockStack.Block(priority: 0) { canvas, rect in
      let figures = [
        Span(Format.count(readiness.inPool), ctx.theme.text.adding(.bold)),
        Span(" / " + Format.count(readiness.jobGPUs), ctx.label),
        Span(" (" + Format.percent(readiness.ratio) + ")", ctx.theme.text, priority: 1),
      ]
      Gauge.row(
        label: [Span("pool", ctx.label)],
        gauge: Gauge(
          fraction: readiness.ratio, gradient: ctx.theme.gaugeGradient.reversed(), coloring: .byLevel),
        figures: figures, in: rect, on: &canvas, glyphs: ctx.glyphs, trackStyle: ctx.theme.dim)
    }
  }

  /// What holds the job back, in words, or that nothing does.
  static func binding(_ ctx: RenderContext) -> [Span] {
    guard let binding = ctx.summary.readiness.binding else {
      return [Span(String(ctx.glyphs.check) + " Nothing holds the job back", ctx.theme.good.adding(.bold))]
    }
    let style = ctx.theme.warn.adding(.bold)
    return [Span(String(ctx.glyph(Severity.warn)) + " Held back by " + binding.words, style)]
  }

  /// When the pool will hold the whole job at the recent rate, and whether that is too late.
  static func eta(_ ctx: RenderContext) -> [Span] {
    let readiness = ctx.summary.readiness
    let forecast = ctx.summary.forecast
    var spans = [Span("full job ", ctx.label)]
    if readiness.jobGPUs > 0, readiness.inPool >= readiness.jobGPUs {
      spans.append(Span("ready: the pool holds the whole job", ctx.theme.good))
    } else if let at = forecast.fullJobAt {
      let late = ctx.state.site.deadline.map { at > $0 } ?? false
      spans.append(Span(ctx.dateAndDistance(at), late ? ctx.theme.crit : ctx.theme.text.adding(.bold)))
      if late, let deadline = ctx.state.site.deadline {
        let days = Int(((at - deadline) / 86_400).rounded(.up))
        spans.append(Span(" \(days)d after deadline", ctx.theme.crit, priority: 1))
      }
      spans.append(
        Span(ctx.sep + "+" + Words.rate(forecast.poolRatePerDay) + " GPUs/day", ctx.label, priority: 2))
    } else {
      spans.append(Span("unknown: the pool is not growing", ctx.theme.warn))
    }
    return spans
  }

  /// The training job's state and size.
  static func job(_ ctx: RenderContext) -> [Span] {
    guard let job = ctx.state.job else {
      return [Span("job ", ctx.label), Span("not reported yet", ctx.theme.dim)]
    }
    let state = job.state
    let style: Style
    switch state {
    case .running?: style = ctx.theme.good
    case .restarting?: style = ctx.theme.warn
    case .stopped?: style = ctx.theme.crit
    default: style = ctx.theme.text
    }
    var spans = [
      Span("job ", ctx.label), Span(job.id ?? ctx.state.site.job?.id ?? "-", ctx.theme.text, priority: 2),
      Span(job.id == nil && ctx.state.site.job?.id == nil ? "" : " ", ctx.label, priority: 2),
      Span(state?.rawValue ?? "unknown", style.adding(.bold)),
    ]
    if let gpus = job.gpus {
      spans += [Span(" on ", ctx.label), Span(Format.count(gpus), ctx.theme.text), Span(" GPUs", ctx.label)]
    }
    spans.append(Span(ctx.sep + "since " + Timestamp.formatDay(job.since), ctx.label, priority: 3))
    return spans
  }

  /// Fabric links up and the measured bus bandwidth.
  static func fabric(_ ctx: RenderContext) -> [Span] {
    let readiness = ctx.summary.readiness
    guard let total = readiness.linksTotal, let up = readiness.linksUp else {
      return [Span("fabric ", ctx.label), Span("not reported yet", ctx.theme.dim)]
    }
    let ratio = total > 0 ? Double(up) / Double(total) : 0
    var spans = [
      Span("fabric ", ctx.label),
      Span(Format.count(up), (ratio < 0.95 ? ctx.theme.warn : ctx.theme.text).adding(.bold)),
      Span("/" + Format.count(total) + " links up", ctx.label),
      Span(" (" + Format.percent(ratio) + ")", ctx.label, priority: 2),
    ]
    if let busbw = readiness.busbwGbps {
      spans += [
        Span(ctx.sep + "busbw ", ctx.label, priority: 1),
        Span(Format.fixed(busbw, 0) + " GB/s", ctx.theme.text, priority: 1),
      ]
    }
    return spans
  }

  /// The glyph and style of a gate status.
  static func look(_ ctx: RenderContext, _ status: GateStatus?) -> (Unicode.Scalar, Style) {
    switch status {
    case .passed?: return (ctx.glyphs.check, ctx.theme.good)
    case .waived?: return (ctx.glyphs.check, ctx.theme.dim)
    case .failed?: return (ctx.glyphs.cross, ctx.theme.crit)
    case .running?: return (ctx.glyphs.running, ctx.theme.warn)
    case .pending?, nil: return (ctx.glyphs.pending, ctx.theme.dim)
    }
  }

  /// The gates: a row of status glyphs when short of rows, a checklist when not.
  static func gates(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let readiness = ctx.summary.readiness
    guard !ctx.state.gates.isEmpty else {
      return ctx.line(priority: 3, [Span("gates ", ctx.label), Span("none reported", ctx.theme.dim)])
    }
    let rows: [[[Span]]] = ctx.state.gates.map { gate in
      let (glyph, style) = look(ctx, gate.status)
      return [
        [
          ctx.span(glyph, style),
          Span(" " + (gate.name ?? gate.id), gate.status == .failed ? ctx.theme.crit : ctx.theme.text),
        ],
        [Span(gate.status?.rawValue ?? "unknown", style)],
        [Span(gate.detail ?? "", ctx.label)],
      ]
    }
    let table = ctx.table(
      [
        Table.Column("gate", flexible: true, minWidth: 12), Table.Column("status"),
        Table.Column("detail", priority: 1, flexible: true, minWidth: 12),
      ], rows, header: false)
    let allClear = readiness.gatesPassed == readiness.gatesTotal
    let title = [
      Span("gates ", ctx.label),
      Span(
        "\(readiness.gatesPassed)/\(readiness.gatesTotal)",
        allClear ? ctx.theme.good : ctx.theme.text.adding(.bold)),
      Span(" cleared", ctx.label),
    ]
    var marks: [Span] = [Span(" ")]
    for gate in ctx.state.gates {
      let (glyph, style) = look(ctx, gate.status)
      marks.append(ctx.span(glyph, style))
    }
    var items = [title + marks]
    for gate in ctx.state.gates where gate.status == .failed {
      items.append([Span(gate.name ?? gate.id, ctx.theme.crit), Span(" failed", ctx.theme.crit)])
    }
    // One row of marks when short of rows; with the failed gates named when there is a row more.
    let compact = [Flow(items: [title + marks]), Flow(items: items)]
    return ctx.compactOrTable(
      priority: 2, growPriority: 4, compact: compact, width: width, table, title: title)
  }

  /// The limits other than the binding one: a line when short of rows, a table with their words when not.
  static func limits(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let readiness = ctx.summary.readiness
    let others = readiness.constraints.filter { $0 != readiness.binding }
    guard !others.isEmpty else { return BlockStack.Block(priority: 9, minHeight: 0) { _, _ in } }
    func allows(_ constraint: Summary.Constraint) -> Span {
      let short = constraint.allows.map { $0 < readiness.jobGPUs } ?? true
      if let allows = constraint.allows {
        return Span(Format.count(allows), short ? ctx.theme.warn : ctx.theme.text)
      }
      let open = readiness.gatesTotal - readiness.gatesPassed
      return Span(open > 0 ? "\(open) open" : "clear", open > 0 ? ctx.theme.warn : ctx.theme.good)
    }
    let rows: [[[Span]]] = others.map { constraint in
      var detail = constraint.words
      if let colon = detail.firstIndex(of: ":") {
        detail = String(detail[detail.index(after: colon)...]).trimmingLeadingSpaces
      }
      return [[Span(constraint.kind.rawValue)], [allows(constraint)], [Span(detail, ctx.label)]]
    }
    let table = ctx.table(
      [
        Table.Column("other limits"), Table.Column("allow", .trailing),
        Table.Column("", priority: 1, flexible: true, minWidth: 16),
      ], rows)
    let compact = Flow(
      items: [[Span("limits", ctx.label)]]
        + others.map { [Span($0.kind.rawValue + " ", ctx.label), allows($0)] })
    return ctx.compactOrTable(priority: 3, growPriority: 6, compact: [compact], width: width, table)
  }
}

extension String {
  /// The text without its leading spaces.
  var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
