import CNcursesw
import GigatopView

/// Turns what `get_wch` returns into a `Key`. Pure, so every mapping is tested without a terminal.
///
/// The terminal runs in raw mode, so Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-S/Ctrl-Q
/// arrive here as control characters rather than as signals or flow control.
enum KeyDecoder {
  /// The key for a character `get_wch` returned with `OK`, or nil for one to ignore.
  ///
  /// 1-26 are Ctrl-letter chords, except Tab (9), Enter (10 and 13) and
  /// Backspace (8, the ASCII BS that some terminals send for Backspace).
  /// 27 is Esc (after `ESCDELAY` ms with nothing following), 127 Backspace.
  /// C1 controls and invalid scalars are ignored.
  static func key(character code: UInt32) -> Key? {
    switch code {
    case 0: return .control("@")
    case 8, 127: return .backspace
    case 9: return .tab
    case 10, 13: return .enter
    case 1...26:
      guard let letter = Unicode.Scalar(UInt32(0x60) + code) else { return nil }
      return .control(letter)
    case 27: return .escape
    case 28: return .control("\\")
    case 29: return .control("]")
    case 30: return .control("^")
    case 31: return .control("_")
    case 0x80...0x9F: return nil
    default:
      guard let scalar = Unicode.Scalar(code) else { return nil }
      return .character(scalar)
    }
  }

  /// The key for a key code `get_wch` returned with `KEY_CODE_YES`, or nil for one to ignore.
  ///
  /// `KEY_MOUSE` is not handled here: the event must be fetched with `getmouse`
  /// and goes through `mouseKey(x:y:buttonState:)`.
  static func key(keyCode code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME, KEY_FIND, KEY_A1: return .home
    case KEY_END, KEY_SELECT, KEY_C1: return .end
    case KEY_PPAGE, KEY_A3: return .pageUp
    case KEY_NPAGE, KEY_C3: return .pageDown
    case KEY_ENTER: return .enter
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_BTAB: return .backTab
    case KEY_RESIZE: return .resize
    case KEY_F0 + 1...KEY_F0 + 63: return .function(Int(code - KEY_F0))
    default: return nil
    }
  }

  /// The key for a mouse event: button 1 press, or the wheel as buttons 4 (up) and 5 (down).
  static func mouseKey(x: Int32, y: Int32, buttonState: mmask_t) -> Key? {
    let button: Int
    if buttonState & cnc_button4_pressed() != 0 {
      button = 4
    } else if buttonState & cnc_button5_pressed() != 0 {
      button = 5
    } else if buttonState & (cnc_button1_pressed() | cnc_button1_clicked()) != 0 {
      button = 1
    } else {
      return nil
    }
    guard x >= 0, y >= 0 else { return nil }
    return .mouse(x: Int(x), y: Int(y), button: button)
  }
}
