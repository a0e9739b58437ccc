/// A key press (or terminal event) as the view layer sees it, whatever the terminal.
public enum Key: Hashable, Sendable {
  /// A printable character.
  case character(Unicode.Scalar)
  /// A control chord, as the letter: `.control("l")` is Ctrl-L.
  case control(Unicode.Scalar)
  case enter, escape, tab, backTab, backspace, delete
  case up, down, left, right, home, end, pageUp, pageDown
  /// A function key, F1 = 1.
  case function(Int)
  /// A mouse button press at a cell; button 4/5 are the wheel.
  case mouse(x: Int, y: Int, button: Int)
  /// The terminal changed size.
  case resize

  /// How the key is written in hints and help: `q`, `Ctrl-L`, `F1`, `Shift-Tab`.
  public var label: String {
    switch self {
    case .character(" "): return "Space"
    case .character(let c): return String(c)
    case .control(let c): return "Ctrl-" + String(c).uppercased()
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .tab: return "Tab"
    case .backTab: return "Shift-Tab"
    case .backspace: return "Backspace"
    case .delete: return "Del"
    case .up: return "Up"
    case .down: return "Down"
    case .left: return "Left"
    case .right: return "Right"
    case .home: return "Home"
    case .end: return "End"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .function(let n): return "F\(n)"
    case .mouse: return "Mouse"
    case .resize: return "Resize"
    }
  }
}
