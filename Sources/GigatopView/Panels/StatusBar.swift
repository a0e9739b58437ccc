import GigatopModel

/// The bottom lines: the mode, every feed's age and counts, the message, and the latest alerts.
enum StatusBar {
  /// Alerts in the order they are shown: crit first, then warn, then info; newest first within each.
  static func ordered(_ alerts: [Alert]) -> [Alert] {
    alerts.enumerated().sorted { a, b in
      if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
      if a.element.ts != b.element.ts { return a.element.ts > b.element.ts }
      return a.offset > b.offset
    }.map(\.element)
  }

  /// The status line: mode badge, feeds, counters, then the message; the top alert too when `withAlert`.
  static func draw(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas, withAlert: Bool) {
    let input = ctx.input
    var mode = " " + input.mode.rawValue
    if let detail = input.modeDetail, !detail.isEmpty { mode += " " + detail }
    var left = [Span(mode + " ", ctx.theme.titleFocused)]
    if input.feeds.isEmpty {
      let counters = ctx.state.counters
      left += [
        Span(" " + Format.count(counters.applied), ctx.theme.text), Span(" applied", ctx.label),
        Span(ctx.sep, ctx.label),
        Span(Format.count(counters.rejected), counters.rejected > 0 ? ctx.theme.crit : ctx.theme.text),
        Span(" rejected", ctx.label),
      ]
    }
    for (index, feed) in input.feeds.enumerated() {
      left.append(Span(" " + (index > 0 ? String(ctx.glyphs.vertical) + " " : ""), ctx.label))
      left.append(Span(feed.name, ctx.theme.text.adding(.bold), priority: 1))
      if let wall = input.wallClock {
        if let last = feed.lastLineAt {
          let stale = feed.isStale(now: wall, stale: input.staleAfter)
          left.append(Span(" " + Words.age(wall - last), stale ? ctx.theme.warn.adding(.bold) : ctx.label))
          if stale { left.append(Span(" stale", ctx.theme.warn.adding(.bold))) }
        } else {
          left.append(Span(" no data", ctx.theme.warn))
        }
      }
      if let condition = feed.condition {
        left.append(Span(" " + condition, ctx.theme.warn, priority: 2))
      }
      left += [
        Span(" " + Format.count(feed.counters.applied), ctx.theme.text),
        Span(" applied", ctx.label, priority: 3),
        Span(
          " " + Format.count(feed.counters.rejected), feed.counters.rejected > 0 ? ctx.theme.crit : ctx.label),
        Span(" rejected", feed.counters.rejected > 0 ? ctx.theme.crit : ctx.label, priority: 3),
      ]
      if let error = feed.lastError {
        left.append(Span(" (line \(error.line): \(error.reason))", ctx.theme.crit, priority: 4))
      }
    }
    if let message = input.message, !message.isEmpty {
      left += [Span("  "), Span(message, ctx.theme.warn.adding(.bold))]
    }
    var right: [Span] = []
    if withAlert, let top = ordered(ctx.state.alerts).first {
      right = alertSpans(ctx, top, withTime: false)
    }
    // The alert gets what the feeds leave; the feeds and message are cut last.
    let leftWidth = min(rect.width, SpanLine.width(SpanLine.fitted(left, columns: rect.width)))
    SpanLine.draw(SpanLine.fitted(left, columns: rect.width), in: rect, on: &canvas)
    let room = rect.width - leftWidth - 2
    if !right.isEmpty, room >= 12 {
      SpanLine.draw(
        right, in: Rect(x: rect.maxX - room, y: rect.y, width: room, height: 1), on: &canvas,
        alignment: .trailing)
    }
  }

  /// The spans of one alert: severity glyph, time, reference and message.
  static func alertSpans(_ ctx: RenderContext, _ alert: Alert, withTime: Bool) -> [Span] {
    let style = ctx.style(alert.severity)
    var spans = [ctx.span(ctx.glyph(alert.severity), style), Span(" ")]
    if withTime {
      let clock = String(Timestamp.formatShort(alert.ts).suffix(5))
      spans.append(Span(Timestamp.formatDay(alert.ts) + " " + clock + " ", ctx.label))
    }
    // The ref, unless the message already starts with it.
    if let ref = alert.ref, !ref.isEmpty, !alert.msg.hasPrefix(ref) {
      spans.append(Span(ref + " ", ctx.theme.text.adding(.bold)))
    }
    spans.append(Span(alert.msg, alert.severity == .info ? ctx.theme.text : style))
    return spans
  }

  /// The alert lines: the most urgent, newest alerts, one a line; the last line counts the rest.
  static func drawAlerts(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    let alerts = ordered(ctx.state.alerts)
    guard !alerts.isEmpty else {
      SpanLine.draw(
        [Span(" " + String(ctx.glyphs.check) + " no alerts", ctx.theme.dim)], in: rect.row(0), on: &canvas)
      return
    }
    let shown = Array(alerts.prefix(rect.height))
    for (index, alert) in shown.enumerated() {
      let row = rect.row(index)
      var right: [Span] = []
      if index == shown.count - 1, alerts.count > shown.count {
        right = [Span("+\(alerts.count - shown.count) more ", ctx.theme.dim)]
      }
      SpanLine.draw(
        left: [Span(" ")] + alertSpans(ctx, alert, withTime: true), right: right, in: row, on: &canvas)
    }
  }
}
