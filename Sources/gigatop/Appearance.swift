import Foundation
import GigatopView

/// The theme, glyphs and colour depth chosen from the options, the environment and the terminal.
///
/// Colour off (`--no-color`, `NO_COLOR`, or a terminal without colour) means the
/// `mono` theme whatever was asked: its glyphs and attributes (bold, reverse,
/// underline) carry the meaning alone. Glyphs are Unicode where the locale is
/// UTF-8 and `--ascii` is not given, ASCII otherwise.
struct Appearance {
  var theme: Theme
  var glyphs: Glyphs
  /// Problems with theme files, to show the user (the program goes on with the default).
  var warnings: [String]
  /// The colour depth the screen is drawn at; `.noColor` means no colour.
  var colorDepth: ColorDepth = .trueColor
  /// The file stem of the theme in use (what `--theme` and `:theme` take).
  var themeName: String = "default"
  /// The themes `t` cycles through, `themeName` among them.
  var themeNames: [String] = ThemeLoader.builtInNames
  /// Where themes are looked for first (`--themes-dir`).
  var themesDir: String?

  /// Whether colour is in use at all.
  var colored: Bool { colorDepth != .noColor }

  /// Picks the theme (`--theme`, falling back to the default) and the glyph set.
  ///
  /// - Parameters:
  ///   - unicode: whether the terminal's locale can show Unicode.
  ///   - colors: false when colour is off by option or the terminal has none.
  ///   - depth: the terminal's colour depth, if known.
  static func resolve(
    _ look: LookOptions, unicode: Bool, colors: Bool = true, depth: ColorDepth = .trueColor,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Appearance {
    let colorDepth = colors && !ColorDepth.noColorRequested(environment) ? depth : .noColor
    let loader = ThemeLoader(
      environment: environment, executableDirectory: ThemeLoader().executableDirectory,
      currentDirectory: FileManager.default.currentDirectoryPath)
    var appearance = Appearance(
      theme: Theme.mono, glyphs: unicode && !look.ascii ? .unicode : .ascii, warnings: [],
      colorDepth: colorDepth, themeName: "mono", themeNames: ["mono"], themesDir: look.themesDir)
    guard colorDepth != .noColor else { return appearance }
    appearance.themeNames = loader.availableThemes(themesDir: look.themesDir)
    appearance.warnings = appearance.select(look.theme, loader: loader)
    return appearance
  }

  /// Switches to theme `name` (a file stem, or a path to a `.json` file); returns the problems found.
  ///
  /// Never fails: a missing or broken theme gives the default (or what it could read) and a warning.
  /// With colour off the theme stays `mono` and the answer says so.
  @discardableResult
  mutating func select(_ name: String, loader: ThemeLoader = ThemeLoader()) -> [String] {
    guard colored else { return ["colour is off (NO_COLOR, --no-color or the terminal): staying with mono"] }
    let (found, problems) = loader.search(name: name, themesDir: themesDir)
    theme = found
    themeName = name
    if !themeNames.contains(name), problems.isEmpty { themeNames.append(name) }
    return problems
  }

  /// Switches to the theme after the current one in `themeNames` (wrapping); returns the problems found.
  @discardableResult
  mutating func cycleTheme(loader: ThemeLoader = ThemeLoader()) -> [String] {
    guard colored else { return select(themeName, loader: loader) }
    guard !themeNames.isEmpty else { return [] }
    let index = themeNames.firstIndex(of: themeName).map { ($0 + 1) % themeNames.count } ?? 0
    return select(themeNames[index], loader: loader)
  }
}
