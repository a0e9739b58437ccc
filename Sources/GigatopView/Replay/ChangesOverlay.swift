import GigatopModel

/// The "what changed" view: a centred box listing `StateChanges` between two feed times.
enum ChangesOverlay {
  /// Draws the box over `area`.
  static func draw(_ ctx: RenderContext, _ changes: StateChanges, in area: Rect, on canvas: inout Canvas) {
    let lines = changes.lines(listLimit: max(2, (area.width - 30) / 24))
    let width = min(area.width, max(40, lines.reduce(0) { max($0, TextWidth.columns(of: $1)) } + 6))
    let height = min(area.height, lines.count + 5)
    guard width >= 4, height >= 4 else { return }
    let content = Box.overlay("What changed", width: width, height: height, in: area, ctx: ctx, on: &canvas)
    for (index, line) in lines.enumerated() where index < content.height {
      let style =
        index == 0 ? ctx.theme.text.adding(.bold) : (line.hasPrefix("  ") ? ctx.label : ctx.theme.text)
      canvas.write(line, in: content.row(index), style: style)
    }
    let footer = "[ ] narrow/widen   d close"
    if content.height > lines.count {
      canvas.write(footer, in: content.row(content.height - 1), style: ctx.label)
    }
  }
}
