/// The `?` screen: a centred box titled `Keys` listing every binding of the key registry.
enum HelpOverlay {
  /// The rows of the overlay: each binding's label and help, straight from the registry.
  static func rows(_ registry: KeyRegistry) -> [(label: String, help: String)] {
    registry.bindings.map { ($0.label, $0.help) }
  }

  /// Draws the overlay centred in `area`, over whatever is there.
  static func draw(
    _ ctx: RenderContext, in area: Rect, on canvas: inout Canvas, registry: KeyRegistry = .dashboard
  ) {
    let rows = rows(registry)
    let labelWidth = rows.reduce(0) { max($0, TextWidth.columns(of: $1.label)) }
    let helpWidth = rows.reduce(0) { max($0, TextWidth.columns(of: $1.help)) }
    // Border and one blank column each side: 6 columns; border and one blank row above and below: 4 rows.
    let width = min(area.width, max(20, labelWidth + 3 + helpWidth + 6))
    let height = min(area.height, rows.count + 4)
    let box = Rect(
      x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width,
      height: height)
    canvas.fill(box, with: Cell(" ", style: ctx.theme.background))
    let inner = Box(
      title: "Keys", borderStyle: ctx.theme.borderFocused, titleStyle: ctx.theme.titleFocused,
      glyphs: ctx.glyphs
    )
    .draw(in: box, on: &canvas)
    let content = Rect(x: inner.x + 2, y: inner.y + 1, width: inner.width - 4, height: inner.height - 2)
    for (index, row) in rows.enumerated() where index < content.height {
      let line = content.row(index)
      canvas.write(
        row.label, in: Rect(x: line.x, y: line.y, width: min(labelWidth, line.width), height: 1),
        style: ctx.theme.text.adding(.bold))
      let helpX = line.x + labelWidth + 3
      canvas.write(
        row.help, in: Rect(x: helpX, y: line.y, width: line.maxX - helpX, height: 1), style: ctx.theme.text)
    }
  }
}
