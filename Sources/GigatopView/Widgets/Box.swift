/// A bordered frame with a title on its top edge and an optional badge on the right of that edge.
struct Box {
  var title: String
  /// Short figures shown at the right of the top border: `12/16 installed`.
  var badge: [Span] = []
  var borderStyle: Style
  var titleStyle: Style
  var glyphs: Glyphs

  /// Draws the frame and returns the rectangle inside it.
  ///
  /// Rectangles under 2x2 get no frame, just the title on their first row when there is one.
  @discardableResult
  func draw(in rect: Rect, on canvas: inout Canvas) -> Rect {
    guard !rect.isEmpty else { return rect }
    guard rect.width >= 2, rect.height >= 2 else {
      canvas.write(title, in: rect.row(0), style: titleStyle)
      return Rect(x: rect.x, y: rect.y, width: 0, height: 0)
    }
    let top = rect.y
    let bottom = rect.maxY - 1
    let right = rect.maxX - 1
    let horizontal = Cell(glyphs.horizontal, style: borderStyle)
    canvas.fill(Rect(x: rect.x + 1, y: top, width: rect.width - 2, height: 1), with: horizontal)
    canvas.fill(Rect(x: rect.x + 1, y: bottom, width: rect.width - 2, height: 1), with: horizontal)
    let vertical = Cell(glyphs.vertical, style: borderStyle)
    canvas.fill(Rect(x: rect.x, y: top + 1, width: 1, height: rect.height - 2), with: vertical)
    canvas.fill(Rect(x: right, y: top + 1, width: 1, height: rect.height - 2), with: vertical)
    canvas[rect.x, top] = Cell(glyphs.topLeft, style: borderStyle)
    canvas[right, top] = Cell(glyphs.topRight, style: borderStyle)
    canvas[rect.x, bottom] = Cell(glyphs.bottomLeft, style: borderStyle)
    canvas[right, bottom] = Cell(glyphs.bottomRight, style: borderStyle)

    // "┌─ 1 Racks ───── 12/16 installed ─┐": the title wins the room, the badge takes what is left.
    let edge = Rect(x: rect.x + 2, y: top, width: rect.width - 4, height: 1)
    var titleWidth = 0
    if !title.isEmpty, edge.width >= 3 {
      let label = Canvas.fit(title, columns: edge.width - 2)
      titleWidth = canvas.write(" " + label + " ", in: edge, style: titleStyle)
    }
    let badgeRoom = edge.width - titleWidth - 3
    let fitted = SpanLine.fitted(badge, columns: max(0, badgeRoom - 2))
    let badgeWidth = SpanLine.width(fitted)
    if !fitted.isEmpty, badgeWidth + 2 <= badgeRoom {
      let x = edge.maxX - badgeWidth - 2
      canvas.write(" ", x: x, y: top, style: borderStyle)
      SpanLine.draw(fitted, in: Rect(x: x + 1, y: top, width: badgeWidth, height: 1), on: &canvas)
      canvas.write(" ", x: x + 1 + badgeWidth, y: top, style: borderStyle)
    }
    return rect.inset(by: 1)
  }
}

extension Box {
  /// Clears a `width` x `height` box centered in `area`, draws it with this title in the focused
  /// border style, and returns the content area inside it (one blank column each side).
  static func overlay(
    _ title: String, width: Int, height: Int, in area: Rect, ctx: RenderContext, on canvas: inout Canvas
  ) -> Rect {
    let box = Rect(
      x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width,
      height: height)
    canvas.fill(box, with: Cell(" ", style: ctx.theme.background))
    let inner = Box(
      title: title, borderStyle: ctx.theme.borderFocused, titleStyle: ctx.theme.titleFocused,
      glyphs: ctx.glyphs
    )
    .draw(in: box, on: &canvas)
    return Rect(
      x: inner.x + 2, y: inner.y + 1, width: max(0, inner.width - 4), height: max(0, inner.height - 2))
  }
}
