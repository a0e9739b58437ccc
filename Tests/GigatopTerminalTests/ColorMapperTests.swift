import GigatopView
import Testing

@testable import GigatopTerminal

/// Colour mapping as pure functions: no curses involved.
@Suite struct ColorMapperTests {
  @Test(arguments: [
    // Exact cube colours.
    (UInt8(255), UInt8(0), UInt8(0), 196),
    (0, 255, 0, 46),
    (0, 0, 255, 21),
    (95, 135, 175, 67),
    (255, 255, 255, 231),
    (0, 0, 0, 16),
    // Greys go to the grey ramp when it is closer.
    (128, 128, 128, 244),
    (8, 8, 8, 232),
    (238, 238, 238, 255),
    // Off-grid colours snap to the nearest.
    (250, 10, 10, 196),
    (100, 140, 170, 67),
  ])
  func rgbToXterm256(r: UInt8, g: UInt8, b: UInt8, expected: Int) {
    #expect(ColorMapper.xterm256Index(r, g, b) == expected)
  }

  @Test func everyPaletteEntryMapsBackToItsOwnColour() {
    for index in 16..<256 {
      let (r, g, b) = ColorMapper.rgb(ofIndex: index)
      let found = ColorMapper.xterm256Index(r, g, b)
      #expect(ColorMapper.rgb(ofIndex: found) == ColorMapper.rgb(ofIndex: index), "index \(index)")
    }
  }

  @Test(arguments: [
    (UInt8(255), UInt8(0), UInt8(0), 1),
    (0, 200, 0, 2),
    (220, 220, 40, 3),
    (20, 20, 200, 4),
    (200, 0, 200, 5),
    (0, 190, 190, 6),
    (240, 240, 240, 7),
    (10, 10, 10, 0),
    (140, 140, 140, 7),
    (0, 0, 95, 4),  // dark blue stays blue
    (200, 100, 50, 1),  // orange -> red
    (110, 130, 110, 7),  // greyish green -> grey, not green
  ])
  func rgbToEightColours(r: UInt8, g: UInt8, b: UInt8, expected: Int) {
    #expect(ColorMapper.nearestBasic(r, g, b, among: 8) == expected)
  }

  @Test func sixteenColoursUseTheBrightOnes() {
    #expect(ColorMapper.nearestBasic(255, 0, 0, among: 16) == 9)
    #expect(ColorMapper.nearestBasic(127, 127, 127, among: 16) == 8)
    #expect(ColorMapper.nearestBasic(255, 255, 255, among: 16) == 15)
    #expect(ColorMapper.nearestBasic(20, 20, 20, among: 16) == 0)
    #expect(ColorMapper.nearestBasic(92, 92, 255, among: 16) == 12)
    #expect(ColorMapper.nearestBasic(100, 120, 100, among: 16) == 8)
  }

  @Test func paletteValues() {
    #expect(ColorMapper.rgb(ofIndex: 1) == (205, 0, 0))
    #expect(ColorMapper.rgb(ofIndex: 16) == (0, 0, 0))
    #expect(ColorMapper.rgb(ofIndex: 196) == (255, 0, 0))
    #expect(ColorMapper.rgb(ofIndex: 67) == (95, 135, 175))
    #expect(ColorMapper.rgb(ofIndex: 232) == (8, 8, 8))
    #expect(ColorMapper.rgb(ofIndex: 255) == (238, 238, 238))
  }

  @Test func terminalDefaultIsMinusOneOnlyWithDefaultColours() {
    let with = ColorMapper(colorCount: 256, defaultColors: true)
    #expect(with.foreground(.terminalDefault) == -1)
    #expect(with.background(.terminalDefault) == -1)
    let without = ColorMapper(colorCount: 8, defaultColors: false)
    #expect(without.foreground(.terminalDefault) == 7)
    #expect(without.background(.terminalDefault) == 0)
  }

  @Test func indexedColoursBeyondTheTerminalFallToTheNearest() {
    let eight = ColorMapper(colorCount: 8, defaultColors: true)
    #expect(eight.foreground(.indexed(3)) == 3)
    #expect(eight.foreground(.indexed(9)) == 1)  // bright red -> red
    #expect(eight.foreground(.indexed(196)) == 1)  // cube red -> red
    #expect(eight.foreground(.indexed(244)) == 7)  // mid grey -> white
    let sixteen = ColorMapper(colorCount: 16, defaultColors: true)
    #expect(sixteen.foreground(.indexed(9)) == 9)
    #expect(sixteen.foreground(.indexed(196)) == 9)
    let full = ColorMapper(colorCount: 256, defaultColors: true)
    #expect(full.foreground(.indexed(200)) == 200)
  }

  @Test func rgbByTerminal() {
    #expect(ColorMapper(colorCount: 256, defaultColors: true).foreground(.rgb(255, 0, 0)) == 196)
    #expect(ColorMapper(colorCount: 16, defaultColors: true).foreground(.rgb(255, 0, 0)) == 9)
    #expect(ColorMapper(colorCount: 8, defaultColors: true).foreground(.rgb(255, 0, 0)) == 1)
  }

  @Test func directColourPassesRGBThrough() {
    let direct = ColorMapper(colorCount: 0x100_0000, defaultColors: true)
    #expect(direct.isDirect)
    #expect(direct.foreground(.rgb(0x12, 0x34, 0x56)) == 0x123456)
    #expect(direct.foreground(.indexed(2)) == 2)
    #expect(direct.foreground(.indexed(196)) == 0xFF0000)
  }
}

/// The colour-pair cache, with a fake `init_pair`.
@Suite struct ColorPairTableTests {
  @Test func pairsAreDefinedOncePerCombination() {
    var table = ColorPairTable(limit: 16)
    var defined: [(Int32, Int32, Int32)] = []
    let define: (Int32, Int32, Int32) -> Bool = {
      defined.append(($0, $1, $2)); return true
    }
    #expect(table.pair(foreground: 1, background: -1, define: define) == 1)
    #expect(table.pair(foreground: 2, background: -1, define: define) == 2)
    #expect(table.pair(foreground: 1, background: -1, define: define) == 1)
    #expect(table.pair(foreground: -1, background: -1, define: define) == 0)
    #expect(defined.count == 2)
    #expect(defined[1] == (2, 2, -1))
  }

  @Test func runningOutOfPairsFallsBackToPairZero() {
    var table = ColorPairTable(limit: 3)
    let define: (Int32, Int32, Int32) -> Bool = { _, _, _ in true }
    #expect(table.pair(foreground: 1, background: 0, define: define) == 1)
    #expect(table.pair(foreground: 2, background: 0, define: define) == 2)
    #expect(table.pair(foreground: 3, background: 0, define: define) == 0)
    #expect(table.pair(foreground: 1, background: 0, define: define) == 1)
  }

  @Test func aRejectedPairIsNotRetried() {
    var table = ColorPairTable(limit: 8)
    var calls = 0
    let reject: (Int32, Int32, Int32) -> Bool = { _, _, _ in
      calls += 1; return false
    }
    #expect(table.pair(foreground: 1, background: 0, define: reject) == 0)
    #expect(table.pair(foreground: 1, background: 0, define: reject) == 0)
    #expect(calls == 1)
  }
}
