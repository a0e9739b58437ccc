/// What a key asks the view to do.
public enum Action: Equatable, Sendable {
  case quit
  case toggleHelp
  case closeOverlay
  case focusNext
  case focusPrevious
  case focus(ViewState.Panel)
  case redraw
  /// A replay key; the replay's run loop carries it out.
  case replay(ReplayAction)
  /// Switch to the next available theme (`t`); the run loop carries it out.
  case cycleTheme
  /// Switch to the theme of this name (`:theme NAME`); the run loop carries it out.
  case setTheme(String)
  /// A drill-down key (floor, rack, node, stuck views; `/` and `:` lines); see `reduce(_:in:)`.
  case drill(DrillAction)
  /// Go to a feed time (`:goto TIME`); the replay's run loop carries it out, live mode says it cannot.
  case goto(Double)
}

extension ViewState {
  /// Applies an action: the only way the view state changes.
  public mutating func reduce(_ action: Action) {
    switch action {
    case .quit:
      quitRequested = true
    case .toggleHelp:
      helpVisible.toggle()
    case .closeOverlay:
      helpVisible = false
    case .focusNext:
      focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count) ?? .racks
    case .focusPrevious:
      let count = Panel.allCases.count
      focus = Panel(rawValue: (focus.rawValue + count - 1) % count) ?? .racks
    case .focus(let panel):
      focus = panel
    case .redraw:
      redrawRequested = true
    case .replay, .cycleTheme, .setTheme, .drill:
      break
    case .goto:
      drill.notice = "goto works when replaying a recording (gigatop replay FILE)"
    }
  }
}
