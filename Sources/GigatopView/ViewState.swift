/// Everything about what the user is looking at, apart from the build-out itself.
public struct ViewState: Equatable, Sendable {
  /// The dashboard panels, in focus order.
  public enum Panel: Int, CaseIterable, Sendable {
    case racks, chips, power, readiness

    public var title: String {
      switch self {
      case .racks: return "Racks"
      case .chips: return "Chips"
      case .power: return "Power"
      case .readiness: return "Readiness"
      }
    }
  }

  public var focus: Panel = .racks
  public var helpVisible = false
  /// Set when the user asked to quit; the run loop ends.
  public var quitRequested = false
  /// Set by Ctrl-L; the run loop repaints every cell and clears it.
  public var redrawRequested = false
  /// The drill-down views above the dashboard, the `/` filter and the `:` line.
  public var drill = DrillState()

  public init() {}
}
