/// A bar of a value against a limit, coloured from a gradient, with its figures to the right.
///
/// `Gauge(fraction: 0.62, gradient: theme.gaugeGradient)` fills 62% of the bar; values past the
/// limit are clamped to a full bar (and NaN to an empty one), so the figures carry the truth.
struct Gauge {
  /// How colours are chosen from the gradient.
  enum Coloring {
    /// Each cell by its position along the bar (a meter: high is hot).
    case byPosition
    /// The whole fill by how full it is.
    case byLevel
  }

  var fraction: Double
  var gradient: [Color]
  var coloring: Coloring = .byPosition
  /// Attributes added to every filled cell (mono themes use them to stand out).
  var attributes: Style.Attributes = []

  /// The fraction clamped to 0...1 (NaN and infinities made safe).
  var clamped: Double {
    guard fraction.isFinite else { return fraction == .infinity ? 1 : 0 }
    return min(1, max(0, fraction))
  }

  /// Draws the bar across the rect's first row.
  func draw(in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs, trackStyle: Style) {
    guard !rect.isEmpty else { return }
    let width = rect.width
    let level = clamped
    let levelColor = Theme.pick(gradient, at: level)
    Bar.draw(
      fraction: level, in: rect.row(0), on: &canvas, glyphs: glyphs, trackStyle: trackStyle
    ) { index in
      let color: Color
      switch coloring {
      case .byPosition: color = Theme.pick(gradient, at: width > 1 ? Double(index) / Double(width - 1) : 0)
      case .byLevel: color = levelColor
      }
      return Style(foreground: color, attributes: attributes)
    }
  }

  /// Draws `label` then the bar then `figures`, on one row; the bar takes what the text leaves.
  static func row(
    label: [Span], gauge: Gauge, figures: [Span], in rect: Rect, on canvas: inout Canvas, glyphs: Glyphs,
    trackStyle: Style, minBar: Int = 6
  ) {
    guard !rect.isEmpty else { return }
    let labelWidth = SpanLine.width(label)
    let rightSpans = SpanLine.fitted(figures, columns: max(0, rect.width - labelWidth - minBar - 2))
    let rightWidth = SpanLine.width(rightSpans)
    let barWidth = rect.width - labelWidth - rightWidth - (labelWidth > 0 ? 1 : 0) - (rightWidth > 0 ? 1 : 0)
    guard barWidth >= 3 else {
      SpanLine.draw(label + [Span(" ")] + figures, in: rect, on: &canvas)
      return
    }
    SpanLine.draw(label, in: rect, on: &canvas)
    let barX = rect.x + labelWidth + (labelWidth > 0 ? 1 : 0)
    gauge.draw(
      in: Rect(x: barX, y: rect.y, width: barWidth, height: 1), on: &canvas, glyphs: glyphs,
      trackStyle: trackStyle)
    SpanLine.draw(
      rightSpans, in: Rect(x: rect.maxX - rightWidth, y: rect.y, width: rightWidth, height: 1), on: &canvas)
  }
}
