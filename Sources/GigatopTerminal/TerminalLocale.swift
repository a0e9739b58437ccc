import CNcursesw

/// The process locale, chosen so that curses can draw Unicode when the system allows.
enum TerminalLocale {
  /// Adopts the environment's locale, falling back to `C.UTF-8` for LC_CTYPE; returns whether it is UTF-8.
  ///
  /// With a non-UTF-8 codeset (e.g. `LANG=C`) curses draws every non-ASCII
  /// character blank, so the caller must then draw ASCII only.
  static func adoptFromEnvironment() -> Bool {
    _ = cnc_setlocale_all("")
    if isUTF8(currentCodeset) { return true }
    if cnc_setlocale_ctype("C.UTF-8") != nil, isUTF8(currentCodeset) { return true }
    return false
  }

  /// Sets LC_ALL to a named locale; returns whether it exists. For tests.
  static func set(_ name: String) -> Bool {
    cnc_setlocale_all(name) != nil
  }

  /// The codeset of the current LC_CTYPE, e.g. `UTF-8` or `ANSI_X3.4-1968`.
  static var currentCodeset: String {
    guard let codeset = cnc_codeset() else { return "" }
    return String(cString: codeset)
  }

  /// Whether a codeset name means UTF-8 (`UTF-8`, `utf8`, ...).
  static func isUTF8(_ codeset: String) -> Bool {
    let letters = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
    return letters == "utf8"
  }
}
