import GigatopModel

/// The top line: the site, its GPU model and target, the deadline with days left, and the feed clock.
enum HeaderBar {
  /// Draws the header in a one-row rect; the least useful parts go first when narrow.
  static func draw(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    let site = ctx.state.site
    var left = [Span(" gigatop ", ctx.theme.titleFocused), Span(" ")]
    if ctx.state.hasSite || site.name != nil || site.id != nil {
      left.append(Span(site.name ?? site.id ?? "site", ctx.theme.text.adding(.bold)))
      if let id = site.id, site.name != nil { left.append(Span(" " + id, ctx.label, priority: 4)) }
      if let model = site.gpuModel {
        left += [Span(ctx.sep, ctx.label, priority: 2), Span(model, ctx.theme.text, priority: 2)]
      }
      if let target = site.targetGPUs {
        left += [
          Span(ctx.sep, ctx.label, priority: 5), Span(Format.count(target), ctx.theme.text, priority: 5),
          Span(" GPUs", ctx.label, priority: 5),
        ]
      }
    } else {
      left.append(Span("waiting for the site plan", ctx.theme.dim))
    }

    var right: [Span] = []
    if let deadline = site.deadline {
      right += [
        Span("deadline ", ctx.label, priority: 1),
        Span(Timestamp.formatDay(deadline), ctx.theme.text, priority: 1),
      ]
      if let now = ctx.now {
        let days = (deadline - now) / 86_400
        let whole = Int(days.rounded(.down))
        let text = days >= 0 ? " (\(whole)d left)" : " (\(-Int(days.rounded(.up)))d past)"
        let style = days < 0 ? ctx.theme.crit : (days < 14 ? ctx.theme.warn : ctx.theme.good)
        right.append(Span(text, style.adding(.bold)))
      }
      right.append(Span("  ", ctx.label))
    }
    if let now = ctx.now {
      right += [
        Span("feed ", ctx.label, priority: 3), Span(Timestamp.formatShort(now), ctx.theme.text.adding(.bold)),
      ]
    } else {
      right.append(Span("no feed data yet", ctx.theme.dim))
    }
    right.append(Span(" "))
    SpanLine.draw(left: left, right: right, in: rect, on: &canvas)
  }
}
