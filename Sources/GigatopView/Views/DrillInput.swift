import GigatopModel

/// Turns a key into actions, whatever view is on top: the one place the live loop asks.
///
/// While a `/` or `:` line is being typed, keys edit the line (they are not looked up in the
/// registry); otherwise the top view's registry (the dashboard's when the stack is empty) decides.
public enum DrillInput {
  /// The longest line that can be typed.
  static let maxPromptLength = 80

  /// The actions a key asks for, in order; empty when the key means nothing here.
  public static func actions(
    for key: Key, view: ViewState, state: BuildoutState, mode: DashboardInput.Mode = .live
  ) -> [Action] {
    if let prompt = view.drill.prompt { return promptActions(key, prompt, state) }
    if case .mouse(let x, let y, let button) = key {
      guard view.drill.top != nil else { return [] }
      switch button {
      case 1: return [.drill(.click(x: x, y: y))]
      case 4: return [.drill(.scroll(-3))]
      case 5: return [.drill(.scroll(3))]
      default: return []
      }
    }
    guard let top = view.drill.top else {
      return KeyRegistry.action(for: key, mode: mode).map { [$0] } ?? []
    }
    return DrillKeys.registry(for: top.view).action(for: key).map { [$0] } ?? []
  }

  /// Keys while a line is typed: text, Backspace, Tab (completion), Enter, Esc.
  static func promptActions(_ key: Key, _ prompt: PromptLine, _ state: BuildoutState) -> [Action] {
    switch key {
    case .escape:
      return [.drill(.cancelPrompt)]
    case .enter:
      if prompt.kind == .filter { return [.drill(.submitFilter)] }
      return [.drill(.cancelPrompt)] + DrillCommand.actions(prompt.text, state)
    case .backspace, .delete:
      if prompt.text.isEmpty { return [.drill(.cancelPrompt)] }
      return [.drill(.editPrompt(String(prompt.text.dropLast())))]
    case .control("u"):
      return [.drill(.editPrompt(""))]
    case .control("c"):
      return [.quit]
    case .tab:
      guard prompt.kind == .command else { return [] }
      let completed = DrillCommand.complete(prompt.text, state)
      return completed == prompt.text ? [] : [.drill(.editPrompt(completed))]
    case .character(let c):
      guard prompt.text.unicodeScalars.count < maxPromptLength else { return [] }
      var text = prompt.text
      text.unicodeScalars.append(c)
      return [.drill(.editPrompt(text))]
    default:
      return []
    }
  }
}
