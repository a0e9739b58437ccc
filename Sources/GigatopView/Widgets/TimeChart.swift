import GigatopModel

/// A time series over feed time: a labelled one- or two-row sparkline when short of rows, a titled
/// chart over a date axis when taller.
struct TimeChart {
  /// The short label left of a one- or two-row sparkline: `draw`.
  var label: String
  /// The title line over a tall chart.
  var title: [Span]
  /// Figures right of a short sparkline, when the width allows: ` peak 1.02 MW`.
  var note: [Span]
  var samples: [Sample]
  /// The value a full column stands for (raised to the largest sample).
  var ceiling: Double
  var gradient: [Color]
  /// What to say when there are no samples.
  var empty: String
  var labelStyle: Style
  var axisStyle: Style

  /// The heights the chart can take up to `maxRows`: 1, 2, then 4 and more (title, chart, axis).
  static func heights(maxRows: Int) -> [Int] {
    [1, 2] + (maxRows >= 4 ? Array(4...maxRows) : [])
  }

  func draw(in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs) {
    guard !rect.isEmpty else { return }
    guard let first = samples.first, let last = samples.last else {
      SpanLine.draw([Span(label + " ", labelStyle), Span(empty, labelStyle)], in: rect.row(0), on: &canvas)
      return
    }
    let top = max(ceiling, samples.map(\.value).max() ?? 0)
    if rect.height < 3 {
      let labelWidth = TextWidth.columns(of: label) + 1
      let noteWidth = rect.width >= 40 ? SpanLine.width(note) : 0
      let chart = Rect(
        x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth - noteWidth, height: rect.height)
      canvas.write(
        label, in: Rect(x: rect.x, y: rect.maxY - 1, width: labelWidth, height: 1), style: labelStyle)
      if glyphs.isUnicode && chart.height == 1 {
        // One row: braille, two points per cell.
        Sparkline(
          values: Sparkline.resample(samples, columns: chart.width * 2), ceiling: top, gradient: gradient
        )
        .drawBraille(in: chart, on: &canvas)
      } else {
        Sparkline(values: Sparkline.resample(samples, columns: chart.width), ceiling: top, gradient: gradient)
          .draw(in: chart, on: &canvas, glyphs: glyphs)
      }
      if noteWidth > 0 {
        SpanLine.draw(
          note, in: Rect(x: chart.maxX, y: rect.maxY - 1, width: noteWidth, height: 1), on: &canvas)
      }
      return
    }
    SpanLine.draw(SpanLine.fitted(title, columns: rect.width), in: rect.row(0), on: &canvas)
    let chart = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 2)
    Sparkline(values: Sparkline.resample(samples, columns: chart.width), ceiling: top, gradient: gradient)
      .draw(in: chart, on: &canvas, glyphs: glyphs)
    let axis = Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1)
    canvas.fill(axis, with: Cell(glyphs.horizontal, style: axisStyle))
    SpanLine.draw(
      left: [Span(Timestamp.formatDay(first.ts) + " ", labelStyle)],
      right: [Span(" " + Timestamp.formatDay(last.ts), labelStyle)], in: axis, on: &canvas)
  }
}
