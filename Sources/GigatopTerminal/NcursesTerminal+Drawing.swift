import CNcursesw
import GigatopView

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NcursesTerminal {
  /// Shows a frame: writes the cells that changed since the last frame, then one `doupdate`.
  ///
  /// A frame of a different size than the last one (or the first after
  /// `invalidate()` or a resize) repaints everything. Cells outside the screen
  /// are clipped. Right halves of wide characters are skipped; a character
  /// whose width the C library sees differently than `TextWidth` is drawn as
  /// `?` so columns never shift.
  public func draw(_ canvas: Canvas) {
    guard isOpen, let window = cnc_stdscr() else { return }
    let screen = size
    let columns = min(canvas.width, screen.width)
    let rows = min(canvas.height, screen.height)

    let runs: [Rect]
    if let previous, previous.width == canvas.width, previous.height == canvas.height {
      runs = canvas.changedRuns(since: previous)
    } else {
      werase(window)
      runs = (0..<canvas.height).map { Rect(x: 0, y: $0, width: canvas.width, height: 1) }
    }

    for run in runs where run.y < rows {
      var x = run.x
      // Start at the wide character whose right half changed, so both halves agree.
      if x > 0, TextWidth.columns(of: canvas[x - 1, run.y].scalar) == 2 { x -= 1 }
      let end = min(run.maxX, columns)
      var drewWide = false
      while x < end {
        let cell = canvas[x, run.y]
        if cell.isContinuation {
          if !drewWide { put(" ", style: cell.style, x: x, y: run.y) }
          drewWide = false
        } else {
          let rightIsContinuation = x + 1 < columns && canvas[x + 1, run.y].isContinuation
          let glyph = Self.glyph(
            for: cell.scalar, unicode: unicode, rightIsContinuation: rightIsContinuation,
            systemWidth: { Int(cnc_wcwidth(wchar_t(bitPattern: $0.value))) })
          put(glyph.scalar, style: cell.style, x: x, y: run.y)
          drewWide = glyph.wide
        }
        x += 1
      }
    }
    wnoutrefresh(window)
    doupdate()
    previous = canvas
  }

  /// What to hand curses for a cell's character, and whether it will cover the next column too.
  ///
  /// - Control characters become their visible placeholder (`?` in ASCII mode).
  /// - In ASCII mode (no UTF-8 locale) every non-ASCII character becomes `?`.
  /// - A character is drawn only if the C library's width (`systemWidth`,
  ///   what curses uses) agrees with `TextWidth`; a wide character also needs
  ///   its continuation cell to its right. Otherwise it becomes `?`.
  static func glyph(
    for scalar: Unicode.Scalar, unicode: Bool, rightIsContinuation: Bool,
    systemWidth: (Unicode.Scalar) -> Int
  ) -> (scalar: Unicode.Scalar, wide: Bool) {
    let visible = TextWidth.placeholder(for: scalar) ?? scalar
    if visible.value < 0x7F { return (visible, false) }
    guard unicode else { return ("?", false) }
    let expected = TextWidth.columns(of: visible)
    guard expected >= 1, systemWidth(visible) == expected else { return ("?", false) }
    if expected == 2 {
      return rightIsContinuation ? (visible, true) : ("?", false)
    }
    return (visible, false)
  }
}
