/// A run of text in one style: the unit lines are built from.
///
/// Feed text in a span is made safe when it is drawn (`Canvas.write` replaces control characters).
struct Span: Equatable {
  var text: String
  var style: Style
  /// Lower is kept longer when a line must lose spans to fit (`SpanLine.fitted`).
  var priority: Int

  init(_ text: String, _ style: Style = .plain, priority: Int = 0) {
    self.text = text
    self.style = style
    self.priority = priority
  }

  /// The columns the text takes on screen.
  var width: Int { TextWidth.columns(of: text) }
}

/// Draws lines made of styled spans.
enum SpanLine {
  /// The columns a line of spans takes.
  static func width(_ spans: [Span]) -> Int {
    spans.reduce(0) { $0 + $1.width }
  }

  /// The spans left once the least important ones are dropped to fit.
  ///
  /// Spans of the same priority go together (a label with its figure), highest priority number
  /// first; priority 0 is never dropped (it is cut with `…` when drawn instead).
  static func fitted(_ spans: [Span], columns: Int) -> [Span] {
    var kept = spans
    while width(kept) > columns {
      guard let worst = kept.map(\.priority).max(), worst > 0 else { break }
      kept.removeAll { $0.priority == worst }
    }
    return kept
  }

  /// Draws spans left to right from the rect's left edge (or right-aligned), cutting the last one with `…`.
  ///
  /// Returns the columns used.
  @discardableResult
  static func draw(
    _ spans: [Span], in rect: Rect, on canvas: inout Canvas, alignment: Canvas.Alignment = .leading
  ) -> Int {
    guard !rect.isEmpty else { return 0 }
    let total = width(spans)
    var x = rect.x
    switch alignment {
    case .leading: break
    case .trailing: x = max(rect.x, rect.maxX - total)
    case .center: x = max(rect.x, rect.x + (rect.width - total) / 2)
    }
    for span in spans {
      let room = rect.maxX - x
      if room <= 0 { break }
      if span.width <= room {
        x += canvas.write(span.text, x: x, y: rect.y, style: span.style, limit: room)
      } else {
        x += canvas.write(span.text, in: Rect(x: x, y: rect.y, width: room, height: 1), style: span.style)
        break
      }
    }
    return x - rect.x
  }

  /// Draws a left part and a right part on one row.
  ///
  /// Both parts lose their least important spans together until they fit with a gap between;
  /// if they still do not fit, the right part keeps its room and the left part is cut.
  static func draw(left: [Span], right: [Span], in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    var left = left
    var right = right
    while width(left) + width(right) + 1 > rect.width {
      guard let worst = (left + right).map(\.priority).max(), worst > 0 else { break }
      left.removeAll { $0.priority == worst }
      right.removeAll { $0.priority == worst }
    }
    let rightSpans = fitted(right, columns: rect.width)
    let rightWidth = min(rect.width, width(rightSpans))
    let leftRoom = max(0, rect.width - rightWidth - (rightWidth > 0 ? 1 : 0))
    let leftSpans = fitted(left, columns: leftRoom)
    draw(leftSpans, in: Rect(x: rect.x, y: rect.y, width: leftRoom, height: 1), on: &canvas)
    draw(
      rightSpans, in: Rect(x: rect.maxX - rightWidth, y: rect.y, width: rightWidth, height: 1), on: &canvas)
  }
}
