import GigatopModel

/// The screen of a drill-down view: header, breadcrumbs, the view, status line and key hints.
enum DrillScreen {
  /// Where each part of a drill-down screen goes.
  struct Layout {
    var header: Rect
    var crumbs: Rect
    var body: Rect
    /// Lines under the body (the floor's cursor line and legend).
    var footer: Rect
    var status: Rect
    var hints: Rect

    init(view: DrillView, width: Int, height: Int) {
      let full = Rect(x: 0, y: 0, width: width, height: height)
      let (header, rest) = full.splitTop(1)
      let (crumbs, middle) = rest.splitTop(1)
      let (above, hints) = middle.splitBottom(1)
      let (aboveStatus, status) = above.splitBottom(1)
      let footerRows = view == .floor ? 2 : 0
      let (body, footer) = aboveStatus.splitBottom(footerRows)
      self.header = header
      self.crumbs = crumbs
      self.body = Rect(x: body.x + 1, y: body.y, width: body.width - 2, height: body.height)
      self.footer = Rect(x: footer.x + 1, y: footer.y, width: footer.width - 2, height: footer.height)
      self.status = status
      self.hints = hints
    }
  }

  /// Draws the top view of the stack over the whole canvas.
  static func draw(_ frame: DrillFrame, _ ctx: RenderContext, on canvas: inout Canvas) {
    let layout = Layout(view: frame.view, width: canvas.width, height: canvas.height)
    HeaderBar.draw(ctx, in: layout.header, on: &canvas)
    Breadcrumbs.draw(frame, ctx, in: layout.crumbs, on: &canvas)
    switch frame.view {
    case .floor: FloorView.draw(frame, ctx, layout: layout, on: &canvas)
    case .rack(let id): RackView.draw(id, frame, ctx, in: layout.body, on: &canvas)
    case .node(let id): NodeView.draw(id, frame, ctx, in: layout.body, on: &canvas)
    case .stuck: StuckView.draw(frame, ctx, in: layout.body, on: &canvas)
    }
    drawStatus(ctx, in: layout.status, on: &canvas)
    let registry = DrillKeys.registry(for: frame.view)
    SpanLine.draw(HintBar.spans(ctx, registry: registry), in: layout.hints, on: &canvas)
    if ctx.input.view.helpVisible {
      let area = Rect(
        x: 0, y: layout.crumbs.maxY, width: canvas.width, height: layout.status.y - layout.crumbs.maxY)
      HelpOverlay.draw(ctx, in: area, on: &canvas, registry: registry)
    }
  }

  /// The status line: the line being typed, else the notice over the usual status line.
  static func drawStatus(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    let drill = ctx.input.view.drill
    if let prompt = drill.prompt {
      canvas.fill(rect, with: Cell(" ", style: ctx.theme.background))
      var spans = [
        Span(" " + prompt.kind.sigil, ctx.theme.titleFocused), Span(" "),
        Span(prompt.text, ctx.theme.text.adding(.bold)), Span("_", ctx.theme.text.adding(.reverse)),
      ]
      spans.append(Span("   " + promptHint(prompt, ctx.state), ctx.label, priority: 1))
      SpanLine.draw(SpanLine.fitted(spans, columns: rect.width), in: rect, on: &canvas)
      return
    }
    var input = ctx.input
    if let notice = drill.notice { input.message = notice }
    StatusBar.draw(RenderContext(input: input), in: rect, on: &canvas, withAlert: true)
  }

  /// On the dashboard: the line being typed, or the notice, over the status line (nothing otherwise).
  static func drawPromptOrNotice(_ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas) {
    let drill = ctx.input.view.drill
    guard drill.prompt != nil || drill.notice != nil else { return }
    drawStatus(ctx, in: rect, on: &canvas)
  }

  /// What the prompt line says right of the text: matches, or the command's completions.
  static func promptHint(_ prompt: PromptLine, _ state: BuildoutState) -> String {
    switch prompt.kind {
    case .filter:
      let filter = FilterQuery(prompt.text)
      guard filter.isActive else { return "id, stage:burnin, hall:A, row:3, pod:ID; ! inverts; Enter opens" }
      var count = 0
      for rack in state.racks where filter.matches(rack) { count += 1 }
      return count == 1 ? "1 rack matches; Enter opens it" : "\(Format.count(count)) racks match"
    case .command:
      return "rack ID · hall ID · floor · stuck · theme NAME · goto TIME · q  (Tab completes)"
    }
  }
}
