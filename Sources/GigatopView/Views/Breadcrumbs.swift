import GigatopModel

/// The line under the header that says where the view is: site › hall › row › rack › node.
enum Breadcrumbs {
  /// The crumbs of a view, from the site down.
  static func crumbs(_ frame: DrillFrame, _ state: BuildoutState) -> [String] {
    let site = state.site.name ?? state.site.id ?? "site"
    func rackPath(_ id: String) -> [String] {
      guard let index = state.rackIndex[id] else { return [id] }
      let rack = state.racks[index]
      return [hallName(rack.hall, state), "row \(rack.row)", id]
    }
    switch frame.view {
    case .floor:
      guard let id = frame.selected, let index = state.rackIndex[id] else { return [site, "floor"] }
      let rack = state.racks[index]
      return [site, "floor", hallName(rack.hall, state), "row \(rack.row)"]
    case .rack(let id):
      return [site] + rackPath(id)
    case .node(let id):
      guard let index = state.nodeIndex[id] else { return [site, id] }
      return [site] + rackPath(state.nodes[index].rackID) + [id]
    case .stuck:
      return [site, "stuck racks"]
    }
  }

  /// The display name of a hall: its plan name, else `Hall ID`.
  static func hallName(_ id: String, _ state: BuildoutState) -> String {
    state.site.halls.first { $0.id == id }?.name ?? "Hall " + id
  }

  /// Draws the crumbs, the last in bold, and the stack depth on the right.
  static func draw(_ frame: DrillFrame, _ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    let parts = crumbs(frame, ctx.state)
    let separator = ctx.glyphs.isUnicode ? " › " : " > "
    var spans = [Span(" ")]
    for (index, part) in parts.enumerated() {
      if index > 0 { spans.append(Span(separator, ctx.label)) }
      let last = index == parts.count - 1
      spans.append(Span(part, last ? ctx.theme.titleFocused : ctx.theme.text))
    }
    let depth = ctx.input.view.drill.stack.count
    let right = [Span("Esc back (\(depth) open) ", ctx.label, priority: 1)]
    SpanLine.draw(left: spans, right: right, in: rect, on: &canvas)
  }
}
