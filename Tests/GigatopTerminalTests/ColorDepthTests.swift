import Foundation
import GigatopView
import Testing

@testable import GigatopTerminal

/// Colour depth: detected from the environment and the terminal, and every theme colour mapped to it.
@Suite struct ColorDepthTests {
  @Test(arguments: [
    (["TERM": "xterm-256color"], ColorDepth.indexed256),
    (["TERM": "xterm-256color", "COLORTERM": "truecolor"], .trueColor),
    (["TERM": "tmux-256color", "COLORTERM": "24bit"], .trueColor),
    (["TERM": "xterm", "COLORTERM": "TrueColor"], .trueColor),
    (["TERM": "xterm-direct"], .trueColor),
    (["TERM": "screen-16color"], .sixteen),
    (["TERM": "xterm"], .eight),
    (["TERM": "linux"], .eight),
    (["TERM": "vt100"], .noColor),
    (["TERM": "dumb"], .noColor),
    ([:], .noColor),
    (["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"], .noColor),
    (["TERM": "xterm-256color", "NO_COLOR": ""], .indexed256),
    (["TERM": "xterm-256color", "COLORTERM": "yes"], .indexed256),
  ])
  func detectedFromTheEnvironment(environment: [String: String], expected: ColorDepth) {
    #expect(ColorDepth.detect(environment: environment) == expected)
  }

  @Test func theTerminalDatabaseDecidesUnlessNoColorIsSet() {
    #expect(ColorMapper.depth(terminalColors: 256, environment: ["COLORTERM": "truecolor"]) == .indexed256)
    #expect(ColorMapper.depth(terminalColors: 8, environment: [:]) == .eight)
    #expect(ColorMapper.depth(terminalColors: 0x100_0000, environment: [:]) == .trueColor)
    #expect(ColorMapper.depth(terminalColors: 256, environment: ["NO_COLOR": "yes"]) == .noColor)
    #expect(ColorMapper.depth(terminalColors: 0, environment: [:]) == .noColor)
    #expect(ColorMapper(colorCount: 88, defaultColors: true).depth == .sixteen)
  }

  @Test func commandLineValues() {
    #expect(ColorDepth(argument: "24bit") == .trueColor)
    #expect(ColorDepth(argument: "truecolor") == .trueColor)
    #expect(ColorDepth(argument: "256") == .indexed256)
    #expect(ColorDepth(argument: "16") == .sixteen)
    #expect(ColorDepth(argument: "8") == .eight)
    #expect(ColorDepth(argument: "none") == .noColor)
    #expect(ColorDepth(argument: "12") == nil)
    #expect(ColorDepth.allCases.sorted() == [.noColor, .eight, .sixteen, .indexed256, .trueColor])
  }

  @Test(arguments: [
    (ColorDepth.trueColor, Color.rgb(0x12, 0x34, 0x56), Color.rgb(0x12, 0x34, 0x56)),
    (.indexed256, .rgb(0xff, 0x00, 0x00), .indexed(196)),
    (.indexed256, .rgb(0x80, 0x80, 0x80), .indexed(244)),
    (.indexed256, .indexed(200), .indexed(200)),
    (.sixteen, .rgb(0xff, 0x00, 0x00), .indexed(9)),
    (.sixteen, .indexed(196), .indexed(9)),
    (.sixteen, .indexed(12), .indexed(12)),
    (.eight, .rgb(0xff, 0x00, 0x00), .indexed(1)),
    (.eight, .indexed(12), .indexed(4)),
    (.eight, .rgb(0x00, 0x00, 0x5f), .indexed(4)),
    (.eight, .rgb(0x80, 0x80, 0x80), .indexed(7)),
    (.noColor, .rgb(0xff, 0x00, 0x00), .terminalDefault),
    (.eight, .terminalDefault, .terminalDefault),
  ])
  func mappedToTheNearest(depth: ColorDepth, color: Color, expected: Color) {
    #expect(depth.map(color) == expected)
  }

  @Test(arguments: [8, 16, 256])
  func theMapperAgreesWithTheDepth(count: Int) {
    let mapper = ColorMapper(colorCount: count, defaultColors: true)
    let depth = ColorDepth(colorCount: count)
    for color in Self.sampleColors {
      guard case .indexed(let index) = depth.map(color) else {
        Issue.record("\(color) did not map to an index at \(count) colours")
        continue
      }
      #expect(mapper.foreground(color) == Int32(index), "\(color) at \(count) colours")
      #expect(Int(index) < count)
    }
  }

  /// Every colour of every shipped theme reaches a colour the terminal has, at every depth.
  @Test(arguments: [ColorDepth.eight, .sixteen, .indexed256])
  func everyShippedThemeFitsEveryDepth(depth: ColorDepth) throws {
    let folder = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("themes")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }
    #expect(files.count >= 6)
    for file in files {
      let (theme, warnings) = ThemeLoader.load(path: folder.appendingPathComponent(file).path)
      #expect(warnings == [])
      let styles =
        [
          theme.text, theme.dim, theme.background, theme.border, theme.borderFocused, theme.title,
          theme.titleFocused, theme.selection, theme.good, theme.warn, theme.crit,
        ] + theme.stages + theme.severities
      let colors =
        styles.flatMap { [$0.foreground, $0.background] } + theme.gaugeGradient + theme.sparkGradient
      for color in colors {
        switch depth.map(color) {
        case .terminalDefault:
          #expect(color == .terminalDefault, "\(file): \(color) lost at \(depth)")
        case .indexed(let index):
          #expect(Int(index) < depth.colorCount, "\(file): \(color) -> \(index) at \(depth)")
        case .rgb:
          Issue.record("\(file): \(color) stayed 24-bit at \(depth)")
        }
      }
    }
  }

  static let sampleColors: [Color] = [
    .rgb(0, 0, 0), .rgb(255, 255, 255), .rgb(0x7a, 0xa2, 0xf7), .rgb(0xe6, 0x9f, 0x00),
    .rgb(0x56, 0xb4, 0xe9),
    .rgb(0x00, 0x9e, 0x73), .rgb(0xd5, 0x5e, 0x00), .rgb(0xcc, 0x79, 0xa7), .rgb(0xf7, 0xf5, 0xf0),
    .indexed(3), .indexed(13), .indexed(100), .indexed(250),
  ]
}
