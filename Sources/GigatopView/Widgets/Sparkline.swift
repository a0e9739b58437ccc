import GigatopModel

/// A small chart of a time series: one column per time bucket, one or more rows high.
struct Sparkline {
  /// One value per column (nil where nothing is known).
  var values: [Double?]
  /// The value a full column stands for (at least the largest value).
  var ceiling: Double
  var gradient: [Color]

  /// Resamples a time series to `columns` equal spans of feed time from its first to its last sample.
  ///
  /// A span holding samples takes their largest (so short peaks stay visible); an empty span takes
  /// the straight line between the samples around it. One sample (or all at one time) fills every
  /// column. O(samples + columns).
  static func resample(_ samples: [Sample], columns: Int) -> [Double?] {
    guard columns > 0 else { return [] }
    guard let first = samples.first, let last = samples.last else {
      return [Double?](repeating: nil, count: columns)
    }
    let span = last.ts - first.ts
    guard span > 0, span.isFinite else {
      let peak = samples.map(\.value).max() ?? last.value
      return [Double?](repeating: peak, count: columns)
    }
    var buckets = [Double?](repeating: nil, count: columns)
    for sample in samples {
      let position = (sample.ts - first.ts) / span * Double(columns)
      let index = min(columns - 1, max(0, Int(position.isFinite ? position : 0)))
      buckets[index] = max(buckets[index] ?? -.infinity, sample.value)
    }
    // Fill empty spans on the line between the neighbouring samples.
    var cursor = 0
    for index in 0..<columns where buckets[index] == nil {
      let center = first.ts + (Double(index) + 0.5) / Double(columns) * span
      while cursor + 1 < samples.count, samples[cursor + 1].ts <= center { cursor += 1 }
      let before = samples[cursor]
      let after = cursor + 1 < samples.count ? samples[cursor + 1] : before
      let gap = after.ts - before.ts
      let t = gap > 0 ? (center - before.ts) / gap : 0
      buckets[index] = before.value + (after.value - before.value) * min(1, max(0, t))
    }
    return buckets
  }

  /// The eighths of `rows` rows a value fills: at least one for any known value, at most all.
  static func level(_ value: Double, ceiling: Double, rows: Int) -> Int {
    let top = rows * 8
    guard top > 0, ceiling > 0, value.isFinite else { return top > 0 ? 1 : 0 }
    return min(top, max(1, Int((value / ceiling * Double(top)).rounded())))
  }

  /// Braille dots from the bottom up, for the left and the right value of a cell.
  static let brailleDots: [[UInt32]] = [[0x40, 0x04, 0x02, 0x01], [0x80, 0x20, 0x10, 0x08]]

  /// Draws a one-row chart in braille on the rect's last row: two values per cell, four dots high.
  ///
  /// Twice the time resolution of block glyphs, for the one-line sparklines; `values` should hold
  /// two per column. Any known value shows at least one dot.
  func drawBraille(in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    let top = max(ceiling, .leastNonzeroMagnitude)
    for column in 0..<rect.width {
      var bits: UInt32 = 0
      var peak: Double?
      for half in 0..<2 {
        let index = column * 2 + half
        guard index < values.count, let value = values[index], value.isFinite else { continue }
        let dots = min(4, max(1, Int((value / top * 4).rounded())))
        for dot in 0..<dots { bits |= Self.brailleDots[half][dot] }
        peak = max(peak ?? value, value)
      }
      guard let peak, let scalar = Unicode.Scalar(0x2800 + bits) else { continue }
      let style = Style(foreground: Theme.pick(gradient, at: peak / top))
      canvas[rect.x + column, rect.maxY - 1] = Cell(scalar, style: style)
    }
  }

  /// Draws the chart bottom-up in the rect; columns past the values stay blank.
  func draw(in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs) {
    guard !rect.isEmpty, !glyphs.spark.isEmpty else { return }
    let rows = rect.height
    let marks = glyphs.spark
    for (column, value) in values.prefix(rect.width).enumerated() {
      guard let value else { continue }
      let filled = Self.level(value, ceiling: ceiling, rows: rows)
      for row in 0..<rows {
        let eighths = min(8, max(0, filled - row * 8))
        if eighths == 0 { break }
        let mark = marks[min(marks.count - 1, max(0, (eighths * marks.count + 7) / 8 - 1))]
        let fraction =
          rows == 1 ? value / max(ceiling, .leastNonzeroMagnitude) : (Double(row) + 0.5) / Double(rows)
        let style = Style(foreground: Theme.pick(gradient, at: fraction))
        canvas[rect.x + column, rect.maxY - 1 - row] = Cell(mark, style: style)
      }
    }
  }
}
