import GigatopView

/// Why the full-screen terminal could not be opened; the app should print it to stderr and exit 2.
///
/// Every check runs before curses starts, so nothing has been written to the
/// terminal when this is thrown.
public struct TerminalError: Error, CustomStringConvertible, Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    case outputNotATerminal
    case inputNotATerminal
    case termNotSet
    case unknownTerminal(String)
    case noTerminfoDatabase(String)
    case hardcopyTerminal(String)
    case noCursorAddressing(String)
    case cannotStart(String)
  }

  let kind: Kind

  init(_ kind: Kind) { self.kind = kind }

  /// The exit status the app should end with: 2, a usage or environment error.
  public var exitCode: Int32 { 2 }

  /// The message to print, starting with `gigatop:`.
  public var description: String {
    switch kind {
    case .outputNotATerminal:
      return
        "gigatop: standard output is not a terminal; use `gigatop snapshot` or `gigatop summary` for text output"
    case .inputNotATerminal:
      return
        "gigatop: no terminal to read keys from: standard input is not a terminal and /dev/tty cannot be opened"
    case .termNotSet:
      return
        "gigatop: TERM is not set, so the terminal type is unknown; set it (e.g. TERM=xterm-256color) "
        + "or use `gigatop snapshot` or `gigatop summary` for text output"
    case .unknownTerminal(let name):
      return
        "gigatop: unknown terminal type \(Self.quoted(name)) (TERM): it has no terminfo entry on this system; "
        + "set TERM to a known type such as xterm-256color"
    case .noTerminfoDatabase(let name):
      return
        "gigatop: no terminfo database found to look up TERM=\(Self.quoted(name)); "
        + "install ncurses-base or set TERMINFO"
    case .hardcopyTerminal(let name):
      return
        "gigatop: terminal type \(Self.quoted(name)) (TERM) is a hardcopy terminal; "
        + "use `gigatop snapshot` or `gigatop summary` for text output"
    case .noCursorAddressing(let name):
      return
        "gigatop: terminal type \(Self.quoted(name)) (TERM) cannot move the cursor, so the dashboard cannot be drawn; "
        + "set TERM to a full-screen terminal such as xterm-256color, "
        + "or use `gigatop snapshot` or `gigatop summary` for text output"
    case .cannotStart(let name):
      return "gigatop: curses could not start on this terminal (TERM=\(Self.quoted(name)))"
    }
  }

  /// A terminal name made safe to print: quoted, with control characters shown as placeholders.
  private static func quoted(_ name: String) -> String {
    "\"" + TextWidth.sanitized(name) + "\""
  }
}
