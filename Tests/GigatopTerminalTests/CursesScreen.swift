import CNcursesw

#if canImport(Glibc)
import Glibc
#endif

/// Reads back what curses holds for the current screen (stdscr), for assertions.
enum CursesScreen {
  /// One cell as curses stores it.
  struct CellContent: Equatable {
    var text: String
    var attributes: attr_t
    var pair: Int32
    var foreground: Int32
    var background: Int32

    var bold: Bool { attributes & cnc_attr_bold() != 0 }
    var dim: Bool { attributes & cnc_attr_dim() != 0 }
    var reverse: Bool { attributes & cnc_attr_reverse() != 0 }
    var underline: Bool { attributes & cnc_attr_underline() != 0 }
  }

  /// The text of row `y`, trailing spaces removed (wide characters appear once).
  static func row(_ y: Int) -> String {
    guard let window = cnc_stdscr() else { return "" }
    let width = Int(getmaxx(window))
    var buffer = [wchar_t](repeating: 0, count: width + 1)
    let count = mvwinnwstr(window, Int32(y), 0, &buffer, Int32(width))
    guard count > 0 else { return "" }
    var scalars = String.UnicodeScalarView()
    for value in buffer.prefix(Int(count)) where value != 0 {
      if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { scalars.append(scalar) }
    }
    var text = String(scalars)
    while text.last == " " { text.removeLast() }
    return text
  }

  /// Every row of the screen.
  static func rows() -> [String] {
    guard let window = cnc_stdscr() else { return [] }
    return (0..<Int(getmaxy(window))).map(row)
  }

  /// The cell at (x, y).
  static func cell(x: Int, y: Int) -> CellContent {
    guard let window = cnc_stdscr() else {
      return CellContent(text: "", attributes: 0, pair: 0, foreground: 0, background: 0)
    }
    var stored = cchar_t()
    _ = mvwin_wch(window, Int32(y), Int32(x), &stored)
    var characters = [wchar_t](repeating: 0, count: 8)
    var attributes: attr_t = 0
    var shortPair: Int16 = 0
    var pair: Int32 = 0
    _ = getcchar(&stored, &characters, &attributes, &shortPair, &pair)
    var foreground: Int32 = 0
    var background: Int32 = 0
    _ = extended_pair_content(pair, &foreground, &background)
    var scalars = String.UnicodeScalarView()
    for value in characters where value != 0 {
      if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { scalars.append(scalar) }
    }
    return CellContent(
      text: String(scalars), attributes: attributes, pair: pair, foreground: foreground,
      background: background)
  }

  /// Writes a character straight into stdscr, behind the backend's back.
  static func scribble(_ character: Character, x: Int, y: Int) {
    guard let window = cnc_stdscr(), let ascii = character.asciiValue else { return }
    _ = mvwaddch(window, Int32(y), Int32(x), chtype(ascii))
  }
}
