/// The small surface through which the app talks to a real terminal.
///
/// The ncurses backend is the only implementation that touches a terminal;
/// everything above it draws into a `Canvas`.
public protocol TerminalBackend: AnyObject {
  /// The current size in cells, as (columns, rows).
  var size: (width: Int, height: Int) { get }
  /// The file descriptor that becomes readable when a key is waiting.
  var inputFileDescriptor: Int32 { get }
  /// Shows a frame, sending only the cells that changed since the last one.
  func draw(_ canvas: Canvas)
  /// Forgets what is on screen so the next `draw` repaints every cell (Ctrl-L).
  func invalidate()
  /// The next waiting key or event, or nil when none is waiting. Never blocks.
  func readKey() -> Key?
  /// Restores the terminal. Safe to call more than once.
  func close()
}
