import GigatopModel

/// The REPLAY timeline row: play state, position, a bar with markers, the end, speed and seek step.
///
/// `▶ Jul 25 12:00 ├──!──◆──●───────┤ Sep 02 00:00  ×87,840 (fits 2 min) step 1d 5h  indexing 43%`
/// Crit alerts are `!`, warn alerts `·`, gates passing `◆` (`*` in ASCII); the position is `●` (`O`).
enum TimelineBar {
  /// Draws the row.
  static func draw(_ ctx: RenderContext, _ timeline: ReplayTimeline, in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    canvas.fill(rect, with: Cell(" ", style: ctx.theme.background))
    if let prompt = timeline.prompt {
      SpanLine.draw(
        [
          Span(" :goto ", ctx.theme.titleFocused), Span(" " + prompt + "_", ctx.theme.text.adding(.bold)),
          Span("   Enter go  Esc cancel  (2024-07-25, 2024-07-25T12:00:00Z or Unix seconds)", ctx.label),
        ],
        in: rect, on: &canvas)
      return
    }
    let unicode = ctx.glyphs.isUnicode
    let state: String
    if timeline.atEnd {
      state = unicode ? "■ end" : "# end"
    } else if timeline.paused {
      state = unicode ? "‖ paused" : "|| paused"
    } else {
      state = unicode ? "▶" : ">"
    }
    let position = timeline.position.map(Timestamp.formatShort) ?? "-"
    let start = timeline.start.map(Timestamp.formatShort) ?? "-"
    let end = timeline.end.map(Timestamp.formatShort) ?? "-"
    var left = [
      Span(" " + state + " ", ctx.theme.titleFocused),
      Span(" " + position + " ", ctx.theme.text.adding(.bold)),
    ]
    if timeline.position == nil || timeline.start == nil { left.append(Span(start + " ", ctx.label)) }
    var right = [Span(" " + end, ctx.label)]
    var speed = " " + (unicode ? "×" : "x") + Format.count(Int(timeline.speed.rounded()))
    if let fit = timeline.fittingSpeed, abs(fit - timeline.speed) < 0.5 { speed += " (fits 2 min)" }
    right.append(Span(speed, ctx.theme.text.adding(.bold)))
    right.append(Span(" step " + Format.duration(timeline.seekStep), ctx.label, priority: 2))
    if timeline.indexProgress < 1 {
      right.append(
        Span(" indexing " + Format.percent(timeline.indexProgress), ctx.theme.warn.adding(.bold), priority: 1)
      )
    }
    right.append(Span(" "))
    let leftWidth = SpanLine.width(left)
    var rightSpans = right
    while SpanLine.width(rightSpans) > max(0, rect.width - leftWidth - 12),
      let worst = rightSpans.map(\.priority).max(), worst > 0
    {
      rightSpans.removeAll { $0.priority == worst }
    }
    let rightWidth = SpanLine.width(rightSpans)
    let barWidth = rect.width - leftWidth - rightWidth - 2
    guard barWidth >= 4 else {
      SpanLine.draw(left: left, right: rightSpans, in: rect, on: &canvas)
      return
    }
    SpanLine.draw(left, in: Rect(x: rect.x, y: rect.y, width: leftWidth, height: 1), on: &canvas)
    let bar = Rect(x: rect.x + leftWidth + 1, y: rect.y, width: barWidth, height: 1)
    drawBar(ctx, timeline, in: bar, on: &canvas)
    SpanLine.draw(
      rightSpans, in: Rect(x: rect.maxX - rightWidth, y: rect.y, width: rightWidth, height: 1), on: &canvas)
  }

  /// The bar itself: ends, the played part, markers, the position.
  static func drawBar(_ ctx: RenderContext, _ timeline: ReplayTimeline, in bar: Rect, on canvas: inout Canvas)
  {
    let unicode = ctx.glyphs.isUnicode
    let inner = Rect(x: bar.x + 1, y: bar.y, width: bar.width - 2, height: 1)
    canvas[bar.x, bar.y] = Cell(unicode ? "├" : "[", style: ctx.theme.border)
    canvas[bar.maxX - 1, bar.y] = Cell(unicode ? "┤" : "]", style: ctx.theme.border)
    let here = timeline.position.map { timeline.column(of: $0, width: inner.width) } ?? -1
    for i in 0..<inner.width {
      let played = i <= here
      canvas[inner.x + i, inner.y] = Cell(
        unicode ? (played ? "━" : "─") : (played ? "=" : "-"),
        style: played ? ctx.theme.borderFocused : ctx.theme.border)
    }
    // Warn first, then gates, then crit on top: the most urgent mark wins a cell.
    let order: [(ReplayMarker.Kind, Unicode.Scalar, Style)] = [
      (.alert(.warn), unicode ? "·" : ".", ctx.style(Severity.warn)),
      (.gatePassed, unicode ? "◆" : "*", ctx.theme.good.adding(.bold)),
      (.alert(.crit), "!", ctx.style(Severity.crit).adding(.bold)),
    ]
    for (kind, glyph, style) in order {
      for marker in timeline.markers where marker.kind == kind {
        let column = timeline.column(of: marker.time, width: inner.width)
        canvas[inner.x + column, inner.y] = Cell(glyph, style: style)
      }
    }
    if here >= 0 {
      canvas[inner.x + here, inner.y] = Cell(unicode ? "●" : "O", style: ctx.theme.titleFocused)
    }
  }
}
