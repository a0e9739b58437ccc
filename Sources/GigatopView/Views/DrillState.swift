/// A view that the drill-down stack can hold, above the dashboard.
public enum DrillView: Equatable, Sendable {
  /// Every rack as one cell, hall by hall.
  case floor
  /// One rack: its elevation, facts and history.
  case rack(String)
  /// One node: its GPUs.
  case node(String)
  /// The racks that have sat longest in their stage.
  case stuck
}

/// One entry of the view stack: a view and where its cursor and scroll are.
public struct DrillFrame: Equatable, Sendable {
  public var view: DrillView
  /// The selected rack (floor).
  public var selected: String?
  /// The selected row (rack, node and stuck views).
  public var cursor = 0
  /// The first row shown (virtual rows on the floor, table rows elsewhere).
  public var scroll = 0

  public init(_ view: DrillView, selected: String? = nil) {
    self.view = view
    self.selected = selected
  }
}

/// The drill-down part of the view state: the stack, the filter, the line being typed, the notice.
public struct DrillState: Equatable, Sendable {
  /// The views above the dashboard, bottom first; empty when the dashboard shows.
  public var stack: [DrillFrame] = []
  /// The `/` filter (active when not empty).
  public var filter = FilterQuery()
  /// The `/` or `:` line while it is being typed.
  public var prompt: PromptLine?
  /// A one-line answer for the status line ("no rack X-1"), cleared by the next key.
  public var notice: String?
  /// The stuck table's sort column and direction.
  public var stuckSort = StuckSort()

  public init() {}

  /// The view on top of the stack, if any.
  public var top: DrillFrame? { stack.last }
}

/// A cursor motion.
public enum Motion: Equatable, Sendable {
  case up, down, left, right, first, last, pageUp, pageDown
}

/// What a key asks the drill-down views to do.
public enum DrillAction: Equatable, Sendable {
  /// Push a view (a rack or node is checked against the state first).
  case push(DrillView)
  /// Pop the top view (Esc).
  case pop
  case move(Motion)
  /// Open what is under the cursor (Enter).
  case open
  /// Push the floor with the cursor on a hall's first rack.
  case openHall(String)
  case cycleSort
  case invertSort
  /// Start typing a `/` filter or a `:` command.
  case beginPrompt(PromptLine.Kind)
  /// Replace the typed line (typing, deleting, completing).
  case editPrompt(String)
  case cancelPrompt
  /// Keep the typed filter; open its match if there is one clear match.
  case submitFilter
  case nextMatch
  case previousMatch
  /// A mouse click at a screen cell.
  case click(x: Int, y: Int)
  /// The wheel: rows to scroll, negative up.
  case scroll(Int)
  /// Say something on the status line.
  case notice(String)
}

/// The line typed after `/` or `:`.
public struct PromptLine: Equatable, Sendable {
  /// Which line it is.
  public enum Kind: Equatable, Sendable {
    case filter, command

    /// The character that opens it.
    public var sigil: String { self == .filter ? "/" : ":" }
  }

  public var kind: Kind
  public var text: String
  /// What the filter was before typing began (Esc restores it).
  public var previousFilter: FilterQuery

  public init(kind: Kind, text: String = "", previousFilter: FilterQuery = FilterQuery()) {
    self.kind = kind
    self.text = text
    self.previousFilter = previousFilter
  }
}

/// The stuck table's sort: a column and a direction.
public struct StuckSort: Equatable, Sendable {
  /// The columns the table sorts by, in the order `s` cycles them.
  public enum Column: Int, CaseIterable, Sendable {
    case time, rack, stage, hall, kw

    public var title: String {
      switch self {
      case .time: return "in stage"
      case .rack: return "rack"
      case .stage: return "stage"
      case .hall: return "hall"
      case .kw: return "kW"
      }
    }
  }

  public var column = Column.time
  /// Whether the order is the reverse of the column's natural one.
  public var inverted = false

  public init() {}
}
