import Foundation
import Testing

@testable import GigatopView

@Suite("Theme loading")
struct ThemeLoaderTests {
  /// A fresh directory under the temporary directory, removed by the caller.
  static func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-themes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func shippedThemeFilesMatchTheCompiledInThemes() {
    let themes = Fixture.root.appendingPathComponent("themes")
    let (dark, darkWarnings) = ThemeLoader.load(path: themes.appendingPathComponent("default.json").path)
    #expect(darkWarnings == [])
    #expect(dark == Theme.defaultDark)
    let (mono, monoWarnings) = ThemeLoader.load(path: themes.appendingPathComponent("mono.json").path)
    #expect(monoWarnings == [])
    #expect(mono == Theme.mono)
  }

  @Test func monoHasNoColourAndDistinctStageGlyphs() {
    let theme = Theme.mono
    let styles =
      [theme.text, theme.dim, theme.border, theme.warn, theme.crit] + theme.stages + theme.severities
    #expect(styles.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
    #expect(Set(theme.stageGlyphs).count == theme.stageGlyphs.count)
    #expect(Set(Theme.defaultDark.stageGlyphs).count == Theme.defaultDark.stageGlyphs.count)
    #expect(theme.stages.count == 11 && theme.stageGlyphs.count == 11)
  }

  @Test func missingKeysComeFromTheDefaultKeyByKey() {
    let text = ##"{"version": 1, "name": "partial", "stages": {"burnin": {"color": "#ff0000"}}}"##
    let (theme, warnings) = ThemeLoader.parse(text, file: "themes/partial.json")
    #expect(warnings == [])
    #expect(theme.name == "partial")
    #expect(theme.stages[5].foreground == .rgb(255, 0, 0))
    // The glyph and attributes of that stage, and everything else, stay the default's.
    #expect(theme.stageGlyphs == Theme.defaultDark.stageGlyphs)
    #expect(theme.stages[5].attributes == Theme.defaultDark.stages[5].attributes)
    var expected = Theme.defaultDark
    expected.name = "partial"
    expected.stages[5] = theme.stages[5]
    #expect(theme == expected)
  }

  @Test func paletteNamesAndShorthandsResolve() {
    let text = ##"""
      {"palette": {"sky": "#0080ff", "alias": "sky"},
       "ui": {"warn": "alias", "crit": {"color": "bright-red", "attrs": ["bold", "reverse"]}},
       "severities": {"crit": {"glyph": "!"}}, "gauge": ["sky", 2], "spark": ["sky", "214"]}
      """##
    let (theme, warnings) = ThemeLoader.parse(text, file: "t.json")
    #expect(theme.warn.foreground == .rgb(0, 128, 255))
    #expect(theme.crit == Style(foreground: .indexed(9), attributes: [.bold, .reverse]))
    #expect(theme.severityGlyphs[2] == "!")
    #expect(theme.sparkGradient == [.rgb(0, 128, 255), .indexed(214)])
    #expect(theme.gaugeGradient == Theme.defaultDark.gaugeGradient)
    #expect(warnings == [##"t.json: gauge[1]: must be a colour name or #rrggbb, got 2"##])
  }

  @Test func aBadValueNamesTheFileAndTheKey() {
    let text = #"{"stages": {"burnin": {"color": "blurple", "glyph": "▆"}}}"#
    let (theme, warnings) = ThemeLoader.parse(text, file: "themes/x.json")
    #expect(warnings == [#"themes/x.json: stages.burnin.color: unknown colour "blurple""#])
    #expect(theme.stages == Theme.defaultDark.stages)
  }

  @Test func otherMistakesAreNamedToo() {
    let text = #"""
      {"version": 2, "colours": {}, "ui": {"txt": "red", "title": {"attrs": ["blink"]}},
       "stages": {"burnen": "red", "racked": {"glyph": "ab"}}, "severities": {"fatal": "red"}, "spark": []}
      """#
    let (theme, warnings) = ThemeLoader.parse(text, file: "f.json")
    #expect(
      warnings == [
        "f.json: version: version 2 is newer than this gigatop reads (1); reading the keys it knows",
        "f.json: colours: unknown key (ignored)",
        "f.json: ui.txt: unknown key (ignored)",
        #"f.json: ui.title.attrs[0]: unknown attribute "blink" (bold, dim, reverse, underline)"#,
        "f.json: stages.burnen: unknown stage (ignored)",
        #"f.json: stages.racked.glyph: must be one character one column wide, got "ab""#,
        "f.json: severities.fatal: unknown severity (ignored)",
        "f.json: spark: must be a non-empty array of colours, got an array",
      ])
    var expected = Theme.defaultDark
    expected.name = theme.name
    #expect(theme == expected)
  }

  @Test func brokenJSONGivesTheDefaultAndWhere() {
    let (theme, warnings) = ThemeLoader.parse("{\n  \"ui\": {,}\n}", file: "themes/broken.json")
    #expect(theme == Theme.defaultDark)
    #expect(warnings.count == 1)
    #expect(warnings.first?.hasPrefix("themes/broken.json: not valid JSON at line 2, column") == true)
    let (_, notObject) = ThemeLoader.parse("[1, 2]", file: "a.json")
    #expect(notObject == ["a.json: a theme must be a JSON object; using the built-in default theme"])
  }

  @Test func unknownThemeFallsBackToTheDefault() throws {
    let empty = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: empty) }
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: empty.path)
    let (theme, warnings) = loader.search(name: "nope", themesDir: nil)
    #expect(theme == Theme.defaultDark)
    #expect(warnings.count == 1)
    #expect(warnings.first?.hasPrefix("theme \"nope\" not found (looked in ") == true)
    // Built-in names need no file.
    #expect(loader.search(name: "mono", themesDir: nil) == (Theme.mono, []))
    #expect(loader.search(name: "default", themesDir: nil).0 == Theme.defaultDark)
    // Names are file stems, never paths up the tree.
    #expect(loader.search(name: "..", themesDir: nil).1.first?.contains("not valid") == true)
  }

  @Test func searchOrderIsExplicitDirThenConfigThenShareThenCurrent() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let explicit = root.appendingPathComponent("explicit")
    let config = root.appendingPathComponent("config/gigatop/themes")
    let share = root.appendingPathComponent("prefix/share/gigatop/themes")
    let current = root.appendingPathComponent("cwd/themes")
    for (dir, name) in [
      (explicit, "from-explicit"), (config, "from-config"), (share, "from-share"), (current, "from-cwd"),
    ] {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try #"{"name": "\#(name)"}"#.write(
        to: dir.appendingPathComponent("t.json"), atomically: true, encoding: .utf8)
    }
    let loader = ThemeLoader(
      environment: ["XDG_CONFIG_HOME": root.appendingPathComponent("config").path],
      executableDirectory: root.appendingPathComponent("prefix/bin").path,
      currentDirectory: root.appendingPathComponent("cwd").path)
    #expect(loader.directories(themesDir: explicit.path).first == explicit.path)
    #expect(loader.search(name: "t", themesDir: explicit.path).0.name == "from-explicit")
    #expect(loader.search(name: "t", themesDir: nil).0.name == "from-config")
    try FileManager.default.removeItem(at: config)
    #expect(loader.search(name: "t", themesDir: nil).0.name == "from-share")
    try FileManager.default.removeItem(at: share)
    #expect(loader.search(name: "t", themesDir: nil).0.name == "from-cwd")
    // Without XDG_CONFIG_HOME, ~/.config is used.
    let home = ThemeLoader(environment: ["HOME": "/home/u"], executableDirectory: nil, currentDirectory: "/x")
    #expect(home.directories(themesDir: nil) == ["/home/u/.config/gigatop/themes", "/x/themes"])
  }

  @Test func aThemeFileWinsOverTheBuiltInOfTheSameName() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try #"{"ui": {"text": "red"}}"#.write(
      to: dir.appendingPathComponent("mono.json"), atomically: true, encoding: .utf8)
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: "/nonexistent")
    let (theme, warnings) = loader.search(name: "mono", themesDir: dir.path)
    #expect(warnings == [])
    #expect(theme.name == "mono")
    #expect(theme.text.foreground == .indexed(1))
  }
}
