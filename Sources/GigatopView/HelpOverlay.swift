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
    let content = Box.overlay("Keys", width: width, height: height, in: area, ctx: ctx, on: &canvas)
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
