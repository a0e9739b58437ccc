/// The whole dashboard screen, drawn by one pure function.
///
/// The live ncurses front end and the headless `snapshot` command both call `render`; it reads
/// only its input and never fails, at any size.
public enum Dashboard {
  /// The smallest screen the dashboard draws itself on; below it a "too small" screen says so.
  public static let minimumWidth = 80
  public static let minimumHeight = 24

  /// Draws the screen for one frame.
  ///
  /// Layout: a header line; the four panels (a 2x2 grid, or one column on tall narrow screens);
  /// alert lines on taller screens; the status line; the key hint line. The help overlay goes on
  /// top when `input.view.helpVisible`.
  public static func render(_ input: DashboardInput, width: Int, height: Int) -> Canvas {
    let ctx = RenderContext(input: input)
    var canvas = Canvas(width: width, height: height, fill: Cell(" ", style: input.theme.background))
    guard width >= minimumWidth, height >= minimumHeight else {
      TooSmallScreen.draw(ctx, on: &canvas)
      return finish(canvas, theme: input.theme)
    }
    if let top = input.view.drill.top {
      DrillScreen.draw(top, ctx, on: &canvas)
      return finish(canvas, theme: input.theme)
    }
    var layout = Layout(width: width, height: height)
    // REPLAY: the timeline takes the panels' last row.
    var timelineRow = Rect(x: 0, y: 0, width: 0, height: 0)
    if input.replay != nil { (layout.body, timelineRow) = layout.body.splitBottom(1) }
    HeaderBar.draw(ctx, in: layout.header, on: &canvas)
    for panel in ViewState.Panel.allCases {
      drawPanel(panel, ctx, in: layout.panel(panel), on: &canvas)
    }
    StatusBar.drawAlerts(ctx, in: layout.alerts, on: &canvas)
    StatusBar.draw(ctx, in: layout.status, on: &canvas, withAlert: layout.alerts.isEmpty)
    DrillScreen.drawPromptOrNotice(ctx, in: layout.status, on: &canvas)
    HintBar.draw(ctx, in: layout.hints, on: &canvas)
    if let replay = input.replay {
      TimelineBar.draw(ctx, replay, in: timelineRow, on: &canvas)
      if let changes = replay.changes { ChangesOverlay.draw(ctx, changes, in: layout.body, on: &canvas) }
    }
    if input.view.helpVisible {
      HelpOverlay.draw(ctx, in: layout.body, on: &canvas, registry: .forMode(input.mode))
    }
    return finish(canvas, theme: input.theme)
  }

  /// Where each part of the screen goes at a given size (at least the minimum size).
  struct Layout {
    var header: Rect
    /// The panels' area.
    var body: Rect
    var alerts: Rect
    var status: Rect
    var hints: Rect
    /// Whether the panels stand in one column rather than a 2x2 grid.
    var stacked: Bool

    init(width: Int, height: Int) {
      let alertRows = height >= 50 ? 3 : (height >= 30 ? 1 : 0)
      let full = Rect(x: 0, y: 0, width: width, height: height)
      let (header, rest) = full.splitTop(1)
      let (above, hints) = rest.splitBottom(1)
      let (aboveStatus, status) = above.splitBottom(1)
      let (body, alerts) = aboveStatus.splitBottom(alertRows)
      self.header = header
      self.body = body
      self.alerts = alerts
      self.status = status
      self.hints = hints
      stacked = width < 100 && height >= 48
    }

    /// The rectangle of one panel.
    func panel(_ panel: ViewState.Panel) -> Rect {
      let index = panel.rawValue
      if stacked {
        let count = ViewState.Panel.allCases.count
        let base = body.height / count
        let extra = body.height % count
        let y = body.y + index * base + min(index, extra)
        return Rect(x: body.x, y: y, width: body.width, height: base + (index < extra ? 1 : 0))
      }
      let leftWidth = body.width / 2
      let topHeight = (body.height + 1) / 2
      let column = index % 2
      let row = index / 2
      return Rect(
        x: body.x + (column == 0 ? 0 : leftWidth), y: body.y + (row == 0 ? 0 : topHeight),
        width: column == 0 ? leftWidth : body.width - leftWidth,
        height: row == 0 ? topHeight : body.height - topHeight)
    }
  }

  /// Draws one panel: its frame (highlighted when focused) and its blocks inside.
  static func drawPanel(
    _ panel: ViewState.Panel, _ ctx: RenderContext, in rect: Rect, on canvas: inout Canvas
  ) {
    let focused = ctx.input.view.focus == panel
    let inner = rect.inset(by: 1)
    let content = Self.content(panel, ctx, inner: inner)
    let box = Box(
      title: "\(panel.rawValue + 1) \(panel.title)", badge: content.badge,
      borderStyle: focused ? ctx.theme.borderFocused : ctx.theme.border,
      titleStyle: focused ? ctx.theme.titleFocused : ctx.theme.title, glyphs: ctx.glyphs)
    box.draw(in: rect, on: &canvas)
    // One blank column each side inside the frame, when there is room for it.
    let padded =
      inner.width >= 30
      ? Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height) : inner
    BlockStack(blocks: content.blocks).draw(in: padded, on: &canvas)
  }

  /// The content of a panel for an inner rectangle.
  static func content(_ panel: ViewState.Panel, _ ctx: RenderContext, inner: Rect) -> PanelContent {
    let width = inner.width >= 30 ? inner.width - 2 : inner.width
    switch panel {
    case .racks: return RacksPanel.content(ctx, width: width, height: inner.height)
    case .chips: return ChipsPanel.content(ctx, width: width)
    case .power: return PowerPanel.content(ctx, width: width, height: inner.height)
    case .readiness: return ReadinessPanel.content(ctx, width: width, height: inner.height)
    }
  }

  /// Gives cells left at the terminal's own colours the theme's text and background colours.
  static func finish(_ canvas: Canvas, theme: Theme) -> Canvas {
    let background = theme.background.background
    let foreground = theme.text.foreground
    guard background != .terminalDefault || foreground != .terminalDefault else { return canvas }
    var out = canvas
    out.restyle(out.bounds) { style in
      var s = style
      if s.background == .terminalDefault { s.background = background }
      if s.foreground == .terminalDefault { s.foreground = foreground }
      return s
    }
    return out
  }
}
