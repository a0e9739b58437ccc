/// The replay keys, like asciinema's player; `KeyRegistry.replay` puts them before the dashboard's.
enum ReplayKeys {
  typealias Binding = KeyRegistry.Binding

  static let bindings: [Binding] = [
    Binding(
      keys: [.character(" ")], action: .replay(.togglePause), label: "Space", help: "pause / resume",
      hint: true),
    Binding(
      keys: [.character("<")], action: .replay(.slower), label: "<", help: "slower (half the speed)",
      hint: true),
    Binding(
      keys: [.character(">")], action: .replay(.faster), label: ">", help: "faster (double the speed)",
      hint: true),
    Binding(
      keys: [.character(".")], action: .replay(.stepForward), label: ".", help: "step one message forward",
      hint: false),
    Binding(
      keys: [.character(",")], action: .replay(.stepBack), label: ",", help: "step one message back",
      hint: false),
    Binding(
      keys: [.right, .character("l")], action: .replay(.seekForward), label: "Right l",
      help: "forward by the seek step", hint: true),
    Binding(
      keys: [.left, .character("h")], action: .replay(.seekBack), label: "Left h",
      help: "back by the seek step",
      hint: false),
    Binding(
      keys: (0...9).compactMap { Unicode.Scalar(UInt8(ascii: "0") + UInt8($0)) }.map { Key.character($0) },
      action: .replay(.jumpToTenth(-1)), label: "0-9", help: "jump to that tenth of the recording",
      hint: false),
    Binding(
      keys: [.home, .character("g")], action: .replay(.home), label: "Home g", help: "to the start",
      hint: false),
    Binding(
      keys: [.end, .character("G")], action: .replay(.end), label: "End G", help: "to the end", hint: false),
    Binding(
      keys: [.character(":")], action: .replay(.gotoPrompt), label: ":goto TIME", help: "go to a feed time",
      hint: true),
    Binding(
      keys: [.character("d")], action: .replay(.toggleChanges), label: "d",
      help: "changes (what changed view)",
      hint: true),
    Binding(
      keys: [.character("]")], action: .replay(.widenChanges), label: "] [",
      help: "widen / narrow the what-changed window", hint: false),
    Binding(
      keys: [.character("[")], action: .replay(.narrowChanges), label: "[", help: "narrow it", hint: false),
  ]

  /// The action of a key in REPLAY mode, with the tenth filled in for digits.
  static func action(for key: Key) -> Action? {
    if case .character(let c) = key, let digit = Int(String(c)), (0...9).contains(digit) {
      return .replay(.jumpToTenth(digit))
    }
    return KeyRegistry.replay.action(for: key)
  }
}

extension KeyRegistry {
  /// The action of a key in a mode (digits jump to a tenth in REPLAY mode).
  public static func action(for key: Key, mode: DashboardInput.Mode) -> Action? {
    mode == .replay ? ReplayKeys.action(for: key) : dashboard.action(for: key)
  }
}
