import GigatopView

#if canImport(Glibc)
  import Glibc
#endif

/// The theme and glyphs chosen from the options, the environment and the terminal.
struct Appearance {
  var theme: Theme
  var glyphs: Glyphs
  /// Problems with theme files, to show the user (the program goes on with the default).
  var warnings: [String]

  /// Picks the theme (`--theme`, falling back to the default) and the glyph set.
  static func resolve(_ look: LookOptions, unicode: Bool, colors: Bool = true) -> Appearance {
    let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
    var (theme, warnings) = ThemeLoader.search(name: look.theme, themesDir: look.themesDir)
    if !colors || noColor {
      if look.theme != "mono" { theme = Theme.mono }
      warnings = warnings.filter { _ in look.theme != "mono" }
    }
    return Appearance(theme: theme, glyphs: unicode && !look.ascii ? .unicode : .ascii, warnings: warnings)
  }
}
