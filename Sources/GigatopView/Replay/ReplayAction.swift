/// What a key asks a replay to do; the replay's run loop carries it out.
public enum ReplayAction: Equatable, Sendable {
  case togglePause
  case slower
  case faster
  case stepForward
  case stepBack
  case seekForward
  case seekBack
  /// Jump to that tenth of the recording (0-9).
  case jumpToTenth(Int)
  case home
  case end
  /// Open the `:goto TIME` prompt.
  case gotoPrompt
  /// Open or close the "what changed" view.
  case toggleChanges
  /// Widen or narrow the "what changed" window.
  case widenChanges
  case narrowChanges
}
