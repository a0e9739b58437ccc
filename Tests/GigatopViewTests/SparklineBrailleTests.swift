import Testing

@testable import GigatopModel
@testable import GigatopView

/// One-row sparklines in braille: two values per cell, filled from the bottom.
@Suite struct SparklineBrailleTests {
  @Test func twoValuesShareACellAndFillFromTheBottom() {
    var canvas = Canvas(width: 3, height: 1)
    // Left 1/4 (one dot), right full (four dots); then full/nothing; then nothing.
    let line = Sparkline(values: [1, 4, 4, nil, nil, nil], ceiling: 4, gradient: [])
    line.drawBraille(in: canvas.bounds, on: &canvas)
    // Left dot 7 (0x40); right dots 8, 6, 5, 4 (0x80 0x20 0x10 0x08) = U+28F8.
    #expect(canvas[0, 0].scalar == Unicode.Scalar(0x2800 + 0x40 + 0xB8))
    // Left column full: dots 7, 3, 2, 1 = 0x47.
    #expect(canvas[1, 0].scalar == Unicode.Scalar(0x2847))
    #expect(canvas[2, 0] == .blank)
  }

  @Test func anyKnownValueShowsAtLeastOneDotAndHugeValuesAreClamped() {
    var canvas = Canvas(width: 2, height: 1)
    Sparkline(values: [0, 1e12, .nan, 0.1], ceiling: 100, gradient: []).drawBraille(
      in: canvas.bounds, on: &canvas)
    #expect(canvas[0, 0].scalar == Unicode.Scalar(0x2800 + 0x40 + 0x80 + 0x20 + 0x10 + 0x08))
    #expect(canvas[1, 0].scalar == Unicode.Scalar(0x2800 + 0x80))
  }
}
