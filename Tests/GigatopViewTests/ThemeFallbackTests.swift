import Foundation
import GigatopModel
import Testing

@testable import GigatopView

/// Where themes are found, and what happens when one is missing or broken: never a failure to start.
@Suite("Theme fallback and errors")
struct ThemeFallbackTests {
  /// Writes `text` to `NAME.json` in a fresh directory; returns the directory.
  static func folder(with files: [String: String]) throws -> URL {
    let dir = try ThemeLoaderTests.scratch()
    for (name, text) in files {
      try text.write(to: dir.appendingPathComponent(name + ".json"), atomically: true, encoding: .utf8)
    }
    return dir
  }

  @Test func theCheckoutIsFoundFromTheExecutable() {
    // `swift run` puts the binary in .build/<triple>/debug; the checkout's themes/ is above it.
    let exe = Fixture.root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug").path
    let loader = ThemeLoader(environment: [:], executableDirectory: exe, currentDirectory: "/nonexistent")
    #expect(loader.directories(themesDir: nil).contains(Fixture.root.appendingPathComponent("themes").path))
    let (theme, warnings) = loader.search(name: "amber", themesDir: nil)
    #expect(warnings == [])
    #expect(theme.name == "amber")
    #expect(ThemeLoader.checkoutRoot(above: "/") == nil)
  }

  @Test func directoriesAreListedOnceEach() {
    let loader = ThemeLoader(
      environment: ["XDG_CONFIG_HOME": "/c"], executableDirectory: "/p/bin", currentDirectory: "/p/bin/..")
    let dirs = loader.directories(themesDir: "/c/gigatop/themes/")
    #expect(dirs.first == "/c/gigatop/themes/")
    #expect(dirs.map(ThemeLoader.normalized).count == Set(dirs.map(ThemeLoader.normalized)).count)
    #expect(dirs.contains("/p/share/gigatop/themes"))
  }

  @Test func aBrokenFileGivesTheDefaultAndNamesTheFile() throws {
    let dir = try Self.folder(with: ["broken": "{\"ui\": {\"text\": \"red\",}", "empty": ""])
    defer { try? FileManager.default.removeItem(at: dir) }
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: "/nonexistent")
    for name in ["broken", "empty"] {
      let (theme, warnings) = loader.search(name: name, themesDir: dir.path)
      #expect(theme == Theme.defaultDark)
      #expect(warnings.count == 1)
      let path = dir.appendingPathComponent(name + ".json").path
      #expect(warnings.first?.hasPrefix(path + ": not valid JSON at line 1") == true, "\(warnings)")
      #expect(warnings.first?.hasSuffix("using the built-in default theme") == true)
    }
  }

  @Test func aBadReferenceNamesTheKeyAndKeepsTheRest() throws {
    let text = #"""
      {"version": 1, "name": "typo", "palette": {"sea": "#0088cc", "deep": "ocean"},
       "ui": {"text": "sea", "border": "deep", "title": {"color": "seaa"}},
       "stages": {"racked": {"color": "sea", "glyph": "R"}}, "gauge": ["sea", "lava"]}
      """#
    let (theme, warnings) = ThemeLoader.parse(text, file: "themes/typo.json")
    #expect(
      warnings == [
        #"themes/typo.json: palette.deep: unknown colour "ocean""#,
        #"themes/typo.json: ui.border: unknown colour "deep""#,
        #"themes/typo.json: ui.title.color: unknown colour "seaa""#,
        #"themes/typo.json: gauge[1]: unknown colour "lava""#,
      ])
    #expect(theme.name == "typo")
    #expect(theme.text.foreground == .rgb(0, 0x88, 0xcc))
    #expect(theme.border == Theme.defaultDark.border)
    #expect(theme.title == Theme.defaultDark.title)
    #expect(theme.gaugeGradient == Theme.defaultDark.gaugeGradient)
    #expect(theme.stages[Stage.racked.rank].foreground == .rgb(0, 0x88, 0xcc))
    #expect(theme.stageGlyphs[Stage.racked.rank] == "R")
  }

  @Test func editorKeysAreAcceptedButMustBeStrings() {
    let good = #"{"$schema": "theme.schema.json", "version": 1, "name": "x", "description": "y"}"#
    #expect(ThemeLoader.parse(good, file: "x.json").1 == [])
    let bad = #"{"description": 3}"#
    #expect(ThemeLoader.parse(bad, file: "x.json").1 == ["x.json: description: must be a string, got 3"])
  }

  @Test func aMissingNamedThemeSaysWhereItLooked() throws {
    let dir = try Self.folder(with: [:])
    defer { try? FileManager.default.removeItem(at: dir) }
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: dir.path)
    let (theme, warnings) = loader.search(name: "solarized", themesDir: dir.path)
    #expect(theme == Theme.defaultDark)
    #expect(warnings.first?.contains(dir.path) == true)
    let (_, pathWarnings) = loader.search(name: "/nonexistent/x.json", themesDir: nil)
    #expect(pathWarnings == ["theme file /nonexistent/x.json not found; using the built-in default theme"])
  }
}

/// ANSI output of the headless renderer at each colour depth.
@Suite("Theme ANSI colour depth")
struct ThemeANSITests {
  static let style = Style(foreground: .rgb(0xff, 0xff, 0x00), background: .indexed(4), attributes: [.bold])

  @Test(arguments: [
    (ColorDepth.trueColor, "\u{1B}[0;1;38;2;255;255;0;48;5;4m"),
    (.indexed256, "\u{1B}[0;1;38;5;226;48;5;4m"),
    (.sixteen, "\u{1B}[0;1;93;44m"),
    (.eight, "\u{1B}[0;1;33;44m"),
    (.noColor, "\u{1B}[0;1m"),
  ])
  func sgrAtEachDepth(depth: ColorDepth, expected: String) {
    #expect(ANSI.sgr(for: Self.style, depth: depth) == expected)
  }

  @Test func noColourLeavesOnlyAttributes() throws {
    let canvas = Dashboard.render(try Fixture.input(theme: .defaultDark), width: 80, height: 24)
    let text = canvas.ansiText(depth: .noColor)
    #expect(!text.contains("38;"), "a foreground colour was sent")
    #expect(!text.contains("48;"), "a background colour was sent")
    #expect(text.contains("\u{1B}[0;1m"), "bold is kept")
  }

  @Test(arguments: [ColorDepth.eight, .sixteen])
  func basicDepthsUseOnlyTheBasicCodes(depth: ColorDepth) throws {
    let canvas = Dashboard.render(try Fixture.input(theme: .defaultDark), width: 80, height: 24)
    let text = canvas.ansiText(depth: depth)
    #expect(!text.contains("38;5;") && !text.contains("38;2;"))
    #expect(text.contains(";3") || text.contains(";9"))
  }

  @Test func theDefaultSGRIsTwentyFourBit() {
    #expect(ANSI.sgr(for: Self.style) == ANSI.sgr(for: Self.style, depth: .trueColor))
  }
}
