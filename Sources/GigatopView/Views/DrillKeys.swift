/// The drill-down views' keys: one registry per view feeds its hint line, its `?` overlay and its keys.
enum DrillKeys {
  typealias Binding = KeyRegistry.Binding

  static let quit = Binding(
    keys: [.character("q"), .control("c")], action: .quit, label: "q Ctrl-C", help: "quit", hint: false)
  static let help = Binding(
    keys: [.character("?"), .function(1)], action: .toggleHelp, label: "? F1", help: "help (this screen)",
    hint: true)
  static let back = Binding(
    keys: [.escape], action: .drill(.pop), label: "Esc", help: "back (clears the filter first)", hint: true)
  static let filter = Binding(
    keys: [.character("/")], action: .drill(.beginPrompt(.filter)), label: "/",
    help: "filter by id, stage:burnin, hall:A, row:3, pod:ID; /! inverts", hint: true)
  static let command = Binding(
    keys: [.character(":")], action: .drill(.beginPrompt(.command)), label: ":",
    help: "command line: rack ID, hall ID, floor, stuck, theme NAME, goto TIME, q", hint: true)
  static let redraw = Binding(
    keys: [.control("l")], action: .redraw, label: "Ctrl-L", help: "redraw the screen", hint: false)
  static let up = Binding(
    keys: [.up, .character("k")], action: .drill(.move(.up)), label: "Up k", help: "move up", hint: false)
  static let down = Binding(
    keys: [.down, .character("j")], action: .drill(.move(.down)), label: "Down j", help: "move down",
    hint: true)
  static let first = Binding(
    keys: [.character("g"), .home], action: .drill(.move(.first)), label: "g Home", help: "first", hint: false
  )
  static let last = Binding(
    keys: [.character("G"), .end], action: .drill(.move(.last)), label: "G End", help: "last", hint: false)
  static let pageUp = Binding(
    keys: [.pageUp], action: .drill(.move(.pageUp)), label: "PgUp", help: "a page up", hint: false)
  static let pageDown = Binding(
    keys: [.pageDown], action: .drill(.move(.pageDown)), label: "PgDn", help: "a page down", hint: false)
  static let next = Binding(
    keys: [.character("n")], action: .drill(.nextMatch), label: "n", help: "next filter match", hint: false)
  static let previous = Binding(
    keys: [.character("N")], action: .drill(.previousMatch), label: "N", help: "previous filter match",
    hint: false)

  /// The floor's keys.
  static let floor = KeyRegistry(bindings: [
    Binding(
      keys: [.enter], action: .drill(.open), label: "Enter", help: "open the rack under the cursor",
      hint: true),
    back,
    Binding(
      keys: [.left, .character("h")], action: .drill(.move(.left)), label: "Left h", help: "previous rack",
      hint: false),
    Binding(
      keys: [.right, .character("l")], action: .drill(.move(.right)), label: "Right l", help: "next rack",
      hint: false),
    Binding(
      keys: [.up, .character("k")], action: .drill(.move(.up)), label: "Up k", help: "the row above",
      hint: false),
    Binding(
      keys: [.down, .character("j")], action: .drill(.move(.down)), label: "Down j", help: "the row below",
      hint: false),
    Binding(
      keys: [.character("g"), .home], action: .drill(.move(.first)), label: "g Home", help: "first rack",
      hint: false),
    Binding(
      keys: [.character("G"), .end], action: .drill(.move(.last)), label: "G End", help: "last rack",
      hint: false),
    Binding(keys: [.pageUp], action: .drill(.move(.pageUp)), label: "PgUp", help: "a screen up", hint: false),
    Binding(
      keys: [.pageDown], action: .drill(.move(.pageDown)), label: "PgDn", help: "a screen down", hint: false),
    filter, next, previous, command, help, redraw, quit,
  ])

  /// The rack view's keys.
  static let rack = KeyRegistry(bindings: [
    Binding(
      keys: [.enter], action: .drill(.open), label: "Enter", help: "open the node under the cursor",
      hint: true),
    back, down, up, first, last, filter, command, help, redraw, quit,
  ])

  /// The node view's keys.
  static let node = KeyRegistry(bindings: [back, down, up, first, last, filter, command, help, redraw, quit])

  /// The stuck table's keys.
  static let stuck = KeyRegistry(bindings: [
    Binding(
      keys: [.enter], action: .drill(.open), label: "Enter", help: "open the rack under the cursor",
      hint: true),
    back,
    Binding(
      keys: [.character("s")], action: .drill(.cycleSort), label: "s", help: "sort by the next column",
      hint: true),
    Binding(
      keys: [.character("I")], action: .drill(.invertSort), label: "I", help: "invert the order", hint: true),
    down, up, first, last, pageUp, pageDown, filter, command, help, redraw, quit,
  ])

  /// The registry of a view.
  static func registry(for view: DrillView) -> KeyRegistry {
    switch view {
    case .floor: return floor
    case .rack: return rack
    case .node: return node
    case .stuck: return stuck
    }
  }
}
