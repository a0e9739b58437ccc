import GigatopModel

/// The Chips panel: the GPUs needed against those secured, the shortage, and what is on its way.
enum ChipsPanel {
  /// The parts of the supply bar, each with its glyph (ASCII fallback) and style.
  enum Part: CaseIterable {
    case installed, delivered, inTransit, allocated, shortage

    func glyph(_ ctx: RenderContext) -> Unicode.Scalar {
      let unicode: Unicode.Scalar
      let ascii: Unicode.Scalar
      switch self {
      case .installed: (unicode, ascii) = ("█", "#")
      case .delivered: (unicode, ascii) = ("▓", "=")
      case .inTransit: (unicode, ascii) = ("▒", "-")
      case .allocated: (unicode, ascii) = ("░", ".")
      case .shortage: (unicode, ascii) = (ctx.glyphs.cross, "x")
      }
      return ctx.glyphs.isUnicode ? unicode : ascii
    }

    func style(_ ctx: RenderContext) -> Style {
      switch self {
      case .installed: return ctx.theme.good
      case .delivered: return ctx.theme.text
      case .inTransit: return ctx.style(.racked)
      case .allocated: return ctx.theme.dim
      case .shortage: return ctx.theme.crit
      }
    }

    var name: String {
      switch self {
      case .installed: return "installed"
      case .delivered: return "delivered"
      case .inTransit: return "in transit"
      case .allocated: return "allocated"
      case .shortage: return "shortage"
      }
    }
  }

  /// The panel for an inner width.
  static func content(_ ctx: RenderContext, width: Int) -> PanelContent {
    let supply = ctx.summary.supply
    var badge = [
      Span(Format.count(supply.secured), ctx.theme.text.adding(.bold)),
      Span("/\(Format.count(supply.needed)) secured", ctx.label),
    ]
    if supply.shortage > 0 {
      badge.append(Span(" short \(Format.count(supply.shortage))", ctx.theme.crit, priority: 1))
    }
    let blocks: [BlockStack.Block] = [
      supplyBar(ctx),
      ctx.line(priority: 0, shortageLine(ctx)),
      .spacer(priority: 4),
      figures(ctx, width: width),
      .spacer(priority: 3),
      shipmentTable(ctx),
      .spacer(priority: 6),
      historyTable(ctx),
    ]
    return PanelContent(badge: badge, blocks: blocks)
  }

  /// GPUs in each part of the bar: installed, delivered but not installed, in transit, allocated, short.
  static func counts(_ ctx: RenderContext) -> [Part: Int] {
    let supply = ctx.summary.supply
    let installed = ctx.summary.gpus.installed
    return [
      .installed: installed, .delivered: max(0, supply.delivered - installed), .inTransit: supply.inTransit,
      .allocated: supply.allocated, .shortage: supply.shortage,
    ]
  }

  /// The need as one bar: installed, delivered, in transit, allocated, then the shortage.
  static func supplyBar(_ ctx: RenderContext) -> BlockStack.Block {
    let supply = ctx.summary.supply
    let counts = counts(ctx)
    let segments = Part.allCases.map {
      StackedBar.Segment(count: counts[$0] ?? 0, glyph: $0.glyph(ctx), style: $0.style(ctx))
    }
    let secured = supply.needed > 0 ? Double(supply.secured) / Double(supply.needed) : 1
    return BlockStack.Block(priority: 0) { canvas, rect in
      let label = [
        Span(
          " " + Format.percent(min(1, secured)),
          (supply.shortage > 0 ? ctx.theme.warn : ctx.theme.good).adding(.bold)),
        Span(rect.width >= 48 ? " of need secured" : " secured", ctx.label),
      ]
      let labelWidth = SpanLine.width(label)
      let barRect = Rect(x: rect.x, y: rect.y, width: max(0, rect.width - labelWidth), height: 1)
      StackedBar(segments: segments, total: supply.needed).draw(
        in: barRect, on: &canvas, glyphs: ctx.glyphs, trackStyle: ctx.theme.dim)
      SpanLine.draw(label, in: Rect(x: barRect.maxX, y: rect.y, width: labelWidth, height: 1), on: &canvas)
    }
  }

  /// The shortage (crit when there is one) and the GPUs due after the deadline.
  static func shortageLine(_ ctx: RenderContext) -> [Span] {
    let supply = ctx.summary.supply
    var spans: [Span]
    if supply.shortage > 0 {
      spans = [
        Span(String(ctx.glyphs.cross) + " short ", ctx.theme.crit),
        Span(Format.count(supply.shortage), ctx.theme.crit), Span(" GPUs", ctx.theme.crit),
        Span(" (not yet allocated)", ctx.label, priority: 3),
      ]
    } else {
      spans = [Span(String(ctx.glyphs.check) + " no shortage", ctx.theme.good)]
    }
    spans.append(Span(ctx.sep, ctx.label))
    if supply.late > 0 {
      spans += [
        Span(Format.count(supply.late), ctx.theme.crit), Span(" late", ctx.theme.crit),
        Span(" for the deadline", ctx.theme.crit, priority: 2),
      ]
    } else {
      spans.append(Span("none late", ctx.theme.good))
    }
    return spans
  }

  /// The supply figures: a wrapped legend of the bar when short of rows, an aligned list when not.
  static func figures(_ ctx: RenderContext, width: Int) -> BlockStack.Block {
    let supply = ctx.summary.supply
    let counts = counts(ctx)
    let lead = supply.leadTimeDays.map(Words.leadTime) ?? "unknown"
    var legend: [[Span]] = []
    var items = [
      KeyValueGrid.Item(
        label: [Span("  needed", ctx.label)],
        value: [Span(Format.count(supply.needed), ctx.theme.text.adding(.bold))])
    ]
    for part in [Part.installed, .delivered, .inTransit, .allocated] {
      let value = Format.count(part == .delivered ? supply.delivered : counts[part] ?? 0)
      let glyph = ctx.span(part.glyph(ctx), part.style(ctx))
      legend.append([glyph, Span(" " + part.name + " ", ctx.label), Span(value, ctx.theme.text)])
      items.append(
        KeyValueGrid.Item(
          label: [glyph, Span(" " + part.name, ctx.label)], value: [Span(value, ctx.theme.text)]))
    }
    legend.append([
      Span("needed ", ctx.label), Span(Format.count(supply.needed), ctx.theme.text.adding(.bold)),
    ])
    if supply.lost > 0 {
      legend.append([Span("lost ", ctx.label), Span(Format.count(supply.lost), ctx.theme.warn)])
      items.append(
        KeyValueGrid.Item(
          label: [Span("  lost", ctx.label)], value: [Span(Format.count(supply.lost), ctx.theme.warn)]))
    }
    legend.append([Span("lead ", ctx.label), Span(lead, ctx.theme.text)])
    items.append(
      KeyValueGrid.Item(label: [Span("  lead time", ctx.label)], value: [Span(lead, ctx.theme.text)]))
    let flow = Flow(items: legend)
    let grid = KeyValueGrid(items: items)
    return BlockStack.Block(
      priority: 1, growPriority: 3,
      forms: [
        (flow.height(width: width), { canvas, rect in flow.draw(in: rect, on: &canvas) }),
        (items.count, { canvas, rect in grid.draw(in: rect, on: &canvas) }),
      ])
  }

  /// The shipments still to arrive, soonest first, as many as fit; late ones in crit.
  static func shipmentTable(_ ctx: RenderContext) -> BlockStack.Block {
    let deadline = ctx.state.site.deadline
    let rows: [[[Span]]] = ctx.summary.supply.upcoming.map { shipment in
      let late = deadline.flatMap { d in shipment.eta.map { $0 > d } } ?? false
      let status = shipment.status
      let statusStyle: Style
      switch status {
      case .inTransit?, .shipped?: statusStyle = Part.inTransit.style(ctx)
      default: statusStyle = ctx.theme.dim
      }
      let eta = shipment.eta.map { ctx.dateAndDistance($0) } ?? "no ETA"
      return [
        [Span(shipment.id)],
        [Span(shipment.vendor ?? "-", ctx.label)],
        [Span(Format.count(shipment.gpus), ctx.theme.text.adding(.bold))],
        [Span((status?.rawValue ?? "-").replacingUnderscores, statusStyle)],
        [Span(eta, late ? ctx.theme.crit : ctx.theme.text)] + (late ? [Span(" late", ctx.theme.crit)] : []),
        [Span(shipment.po ?? "-", ctx.label)],
        [Span(shipment.sku ?? "-", ctx.label)],
      ]
    }
    let table = ctx.table(
      [
        Table.Column("shipment", flexible: true, minWidth: 7),
        Table.Column("vendor", priority: 2, flexible: true),
        Table.Column("GPUs", .trailing), Table.Column("status", priority: 1), Table.Column("ETA"),
        Table.Column("PO", priority: 3), Table.Column("SKU", priority: 4),
      ], rows)
    guard !rows.isEmpty else {
      return ctx.line(
        priority: 3, [Span("next shipments: ", ctx.label), Span("none on the way", ctx.theme.dim)])
    }
    return ctx.tableBlock(priority: 2, growPriority: 4, table, minRows: 2)
  }

  /// Shipments that arrived or were lost, newest first (shown when there is room).
  static func historyTable(_ ctx: RenderContext) -> BlockStack.Block {
    let done = ctx.state.shipments.enumerated().filter { !($0.element.status?.isPending ?? true) }
      .sorted { ($0.element.updatedAt, $0.offset) > ($1.element.updatedAt, $1.offset) }.map(\.element)
    let rows: [[[Span]]] = done.map { shipment in
      let style: Style
      switch shipment.status {
      case .delivered?: style = ctx.theme.good
      case .short?: style = ctx.theme.warn
      default: style = ctx.theme.crit
      }
      return [
        [Span(shipment.id)],
        [Span(shipment.vendor ?? "-", ctx.label)],
        [Span(Format.count(shipment.gpus), ctx.theme.text)],
        [Span(shipment.status?.rawValue ?? "-", style)],
        [Span(Timestamp.formatDay(shipment.updatedAt), ctx.label)],
        [Span(shipment.po ?? "-", ctx.label)],
      ]
    }
    let table = ctx.table(
      [
        Table.Column("arrived/lost", flexible: true, minWidth: 7),
        Table.Column("vendor", priority: 2, flexible: true),
        Table.Column("GPUs", .trailing), Table.Column("status"), Table.Column("when"),
        Table.Column("PO", priority: 3),
      ], rows)
    return ctx.tableBlock(priority: 6, table, minRows: min(2, rows.count))
  }
}

extension String {
  /// The text with `_` shown as a space: `in_transit` reads `in transit`.
  var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
