import CNcursesw

/// Chained signal handlers that put the terminal back before the process dies.
///
/// For SIGTERM, SIGHUP, SIGINT, SIGQUIT and the crash signals (SIGSEGV, SIGILL,
/// SIGTRAP, SIGBUS, SIGABRT, SIGFPE; a Swift trap is SIGILL or SIGTRAP) the
/// handler calls `endwin` if curses owns the screen, puts back the handler that
/// was there before (the default, or Swift's backtracer) and re-raises, so the
/// process ends exactly as it would have, with a readable terminal. SIGPIPE is
/// ignored. An `atexit` hook restores the terminal too if the process calls
/// `exit` while the screen is still open. SIGWINCH and SIGTSTP are left to ncurses.
///
/// The state lives in C (`cnc_signals_*` in the CNcursesw shim), so the handler
/// touches no Swift object. This is the only Swift file that may call those
/// functions: each object file gets its own copy of the header's static state.
public enum TerminalSignals {
  /// Installs the handlers once; later calls do nothing.
  ///
  /// `NcursesTerminal.open` calls this before `newterm`, so ncurses keeps its
  /// own SIGINT/SIGTERM handlers (which exit with status 1) out of the way and
  /// a SIGTERM ends the process as a SIGTERM (status 143 in a shell).
  public static func install() {
    _ = cnc_signals_install()
  }

  /// Whether `install()` has run in this process.
  public static var isInstalled: Bool { cnc_signals_installed() != 0 }

  /// Tells the handlers whether curses owns the terminal (set after `newterm`, cleared before `endwin`).
  static func setCursesActive(_ active: Bool) {
    cnc_signals_set_active(active ? 1 : 0)
  }
}
