/// The one list of key bindings: the hint line, the `?` overlay and key handling all read it.
public struct KeyRegistry: Sendable {
  /// One binding: the keys, what they do, and how help shows them.
  public struct Binding: Sendable {
    public var keys: [Key]
    public var action: Action
    /// The keys as help shows them: `q Ctrl-C`.
    public var label: String
    public var help: String
    /// Whether the one-line hint bar shows it.
    public var hint: Bool
  }

  public var bindings: [Binding]

  /// The dashboard's keys.
  public static let dashboard = KeyRegistry(bindings: [
    Binding(
      keys: [.character("q"), .control("c")], action: .quit, label: "q Ctrl-C", help: "quit", hint: true),
    Binding(
      keys: [.character("?"), .function(1)], action: .toggleHelp, label: "? F1", help: "help (this screen)",
      hint: true),
    Binding(
      keys: [.character("f"), .enter], action: .drill(.push(.floor)), label: "f Enter",
      help: "floor: drill down to racks", hint: false),
    Binding(
      keys: [.character("/")], action: .drill(.beginPrompt(.filter)), label: "/",
      help: "find a rack (id, stage:, hall:)", hint: false),
    Binding(
      keys: [.character(":")], action: .drill(.beginPrompt(.command)), label: ":",
      help: "command (:rack ID, :stuck)", hint: false),
    Binding(keys: [.tab], action: .focusNext, label: "Tab", help: "focus the next panel", hint: true),
    Binding(
      keys: [.backTab], action: .focusPrevious, label: "Shift-Tab", help: "focus the previous panel",
      hint: false),
    Binding(keys: [.character("1")], action: .focus(.racks), label: "1", help: "focus Racks", hint: false),
    Binding(keys: [.character("2")], action: .focus(.chips), label: "2", help: "focus Chips", hint: false),
    Binding(keys: [.character("3")], action: .focus(.power), label: "3", help: "focus Power", hint: false),
    Binding(
      keys: [.character("4")], action: .focus(.readiness), label: "4", help: "focus Readiness", hint: false),
    Binding(keys: [.character("t")], action: .cycleTheme, label: "t", help: "next colour theme", hint: false),
    Binding(keys: [.control("l")], action: .redraw, label: "Ctrl-L", help: "redraw the screen", hint: false),
    Binding(keys: [.escape], action: .closeOverlay, label: "Esc", help: "close this help", hint: false),
  ])

  /// The REPLAY mode's keys: the replay keys, then the dashboard's keys that they leave free.
  public static let replay: KeyRegistry = {
    let own = ReplayKeys.bindings
    let taken = Set(own.flatMap(\.keys))
    return KeyRegistry(bindings: own + dashboard.bindings.filter { !$0.keys.contains(where: taken.contains) })
  }()

  /// The registry of a mode.
  public static func forMode(_ mode: DashboardInput.Mode) -> KeyRegistry {
    mode == .replay ? replay : dashboard
  }

  /// The action bound to a key, if any.
  public func action(for key: Key) -> Action? {
    bindings.first { $0.keys.contains(key) }?.action
  }
}
