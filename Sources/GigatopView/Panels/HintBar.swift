/// The last line: the keys marked as hints in `KeyRegistry.dashboard`, and the focused panel.
enum HintBar {
  /// The hint spans: each hinted binding's first key and the first word of its help.
  static func spans(_ ctx: RenderContext, registry: KeyRegistry = .dashboard) -> [Span] {
    var spans: [Span] = []
    for binding in registry.bindings where binding.hint {
      let key = binding.keys.first?.label ?? binding.label
      let word = binding.help.split(separator: " ").first.map(String.init) ?? binding.help
      spans += [Span(" "), Span(key, ctx.theme.text.adding(.bold)), Span(" " + word, ctx.label), Span(" ")]
    }
    return spans
  }

  /// Draws the hints on the left and the focused panel on the right.
  static func draw(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    let right = [
      Span("focus ", ctx.label), Span(ctx.input.view.focus.title, ctx.theme.text.adding(.bold)), Span(" "),
    ]
    SpanLine.draw(left: spans(ctx, registry: .forMode(ctx.input.mode)), right: right, in: rect, on: &canvas)
  }
}
