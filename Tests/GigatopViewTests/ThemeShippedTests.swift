import Foundation
import GigatopModel
import Testing

@testable import GigatopView

/// Every theme in `themes/`: it loads cleanly, tells stages apart without colour, and renders.
@Suite("Shipped themes")
struct ThemeShippedTests {
  /// The `themes/` folder of this checkout.
  static let folder = Fixture.root.appendingPathComponent("themes")

  /// The file stems of the shipped themes (not the schema).
  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }
      .map { String($0.dropLast(5)) }.sorted()
  }()

  /// Loads a shipped theme by file stem.
  static func load(_ name: String) -> (Theme, [String]) {
    ThemeLoader.load(path: folder.appendingPathComponent(name + ".json").path)
  }

  @Test func atLeastTheSixThemesTheIssueAsksForShip() {
    for required in ["default", "light", "mono", "high-contrast", "okabe-ito", "amber"] {
      #expect(Self.names.contains(required), "themes/\(required).json is missing")
    }
  }

  @Test(arguments: names)
  func loadsWithoutWarningsAndNamesItself(name: String) {
    let (theme, warnings) = Self.load(name)
    #expect(warnings == [], "themes/\(name).json")
    #expect(theme.name == name, "the name inside themes/\(name).json is not its file stem")
  }

  @Test(arguments: names)
  func stagesAndSeveritiesHaveTheirOwnGlyphs(name: String) {
    let (theme, _) = Self.load(name)
    #expect(theme.stageGlyphs.count == Stage.allCases.count)
    #expect(Set(theme.stageGlyphs).count == theme.stageGlyphs.count, "two stages share a glyph in \(name)")
    #expect(Set(theme.severityGlyphs).count == 3, "two severities share a glyph in \(name)")
    // Failures and critical alerts stand out without colour too.
    let failed = theme.style(for: .failed).attributes
    #expect(failed.contains(.bold) || failed.contains(.reverse), "failed is not bold or reverse in \(name)")
    #expect(theme.style(for: .crit).attributes.contains(.bold), "crit is not bold in \(name)")
  }

  @Test(arguments: names)
  func everyFileSetsEveryKey(name: String) throws {
    let text = try String(contentsOf: Self.folder.appendingPathComponent(name + ".json"), encoding: .utf8)
    let root = try JSONParser.parse(text)
    guard case .object(let object) = root else {
      Issue.record("themes/\(name).json is not an object")
      return
    }
    for key in ["version", "name", "description", "ui", "stages", "severities", "gauge", "spark"] {
      #expect(object[key] != nil, "themes/\(name).json lacks \(key)")
    }
    if case .object(let stages)? = object["stages"] {
      #expect(Set(stages.keys) == Set(Stage.allCases.map(\.rawValue)), "themes/\(name).json stages")
    }
    if case .object(let ui)? = object["ui"] {
      #expect(Set(ui.keys) == Set(ThemeReader.uiKeys.map(\.0)), "themes/\(name).json ui")
    }
  }

  @Test func theCompiledInThemesAreTheirFiles() {
    #expect(Self.load("default").0 == Theme.defaultDark)
    #expect(Self.load("mono").0 == Theme.mono)
  }

  /// Each theme's whole screen as ANSI text at 256 colours: what a user of that theme sees.
  @Test(arguments: names)
  func rendersASnapshot(name: String) throws {
    let (theme, _) = Self.load(name)
    let canvas = Dashboard.render(try Fixture.input(theme: theme), width: 100, height: 30)
    Snapshot.assert(canvas.ansiText(depth: .indexed256), named: "theme-\(name)-100x30")
    // The text itself is the same whatever the theme, apart from the glyphs.
    let plain = canvas.plainText()
    for title in ViewState.Panel.allCases.map(\.title) { #expect(plain.contains(title), "\(name): \(title)") }
  }

  @Test(arguments: names)
  func asciiGlyphsLeaveNoUnicodeAndNoHoles(name: String) throws {
    let (theme, _) = Self.load(name)
    let canvas = Dashboard.render(try Fixture.input(theme: theme, glyphs: .ascii), width: 120, height: 40)
    let text = canvas.plainText()
    let foreign = text.unicodeScalars.filter { !$0.isASCII }
    #expect(
      foreign.isEmpty, "\(name) draws \(String(String.UnicodeScalarView(foreign.prefix(10)))) in ASCII mode")
    #expect(text.contains("Racks"))
  }

  @Test func everyThemeIsFoundByNameAndListedForCycling() {
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: Fixture.root.path)
    let available = loader.availableThemes(themesDir: nil)
    #expect(available.prefix(2) == ["default", "mono"])
    #expect(Set(available) == Set(Self.names + ThemeLoader.builtInNames))
    #expect(!available.contains("theme.schema"))
    for name in Self.names {
      let (theme, warnings) = loader.search(name: name, themesDir: nil)
      #expect(warnings == [] && theme.name == name, "\(name): \(warnings)")
    }
  }

  @Test func withoutAFolderOnlyTheCompiledInThemesAreListed() {
    let loader = ThemeLoader(environment: [:], executableDirectory: nil, currentDirectory: "/nonexistent")
    #expect(loader.availableThemes(themesDir: nil) == ["default", "mono"])
    #expect(loader.search(name: "mono", themesDir: nil) == (Theme.mono, []))
  }
}
