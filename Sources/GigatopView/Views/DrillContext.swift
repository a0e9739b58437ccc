import GigatopModel

/// What the drill-down reducer needs besides the action: the build-out and the screen size.
public struct DrillContext: Sendable {
  public var state: BuildoutState
  public var width: Int
  public var height: Int

  public init(state: BuildoutState, width: Int, height: Int) {
    self.state = state
    self.width = width
    self.height = height
  }

  /// The body of a view on this screen.
  func body(_ view: DrillView) -> Rect {
    DrillScreen.Layout(view: view, width: width, height: height).body
  }
}
