/// What the dashboard shows below its minimum size: the size it needs, centred, and how to leave.
enum TooSmallScreen {
  /// The message, e.g. `gigatop needs at least 80x24 (now 60x15) — enlarge or press q`.
  static func message(
    width: Int, height: Int, registry: KeyRegistry = .dashboard, dash: String = "—"
  ) -> String {
    parts(width: width, height: height, registry: registry).joined(separator: " \(dash) ")
  }

  /// The message's two halves: what is needed, and what to do.
  static func parts(width: Int, height: Int, registry: KeyRegistry = .dashboard) -> [String] {
    let quit = registry.bindings.first { $0.action == .quit }?.keys.first?.label ?? "q"
    return [
      "gigatop needs at least \(Dashboard.minimumWidth)x\(Dashboard.minimumHeight) (now \(width)x\(height))",
      "enlarge or press \(quit)",
    ]
  }

  /// The line above the message.
  static let heading = "Terminal too small"

  /// Words of a text wrapped into lines of at most `width` columns (long words are cut).
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ").map(String.init) {
      let candidate = current.isEmpty ? word : current + " " + word
      if TextWidth.columns(of: candidate) <= width {
        current = candidate
      } else {
        if !current.isEmpty { lines.append(current) }
        current = TextWidth.columns(of: word) <= width ? word : Canvas.fit(word, columns: width)
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// Draws the message centred on the whole canvas, wrapped when narrower than it.
  static func draw(_ ctx: RenderContext, on canvas: inout Canvas) {
    let width = canvas.width
    let height = canvas.height
    guard width > 0, height > 0 else { return }
    let whole = message(width: width, height: height, dash: ctx.glyphs.isUnicode ? "—" : "-")
    var lines =
      TextWidth.columns(of: whole) <= width
      ? [whole] : parts(width: width, height: height).flatMap { wrap($0, width: width) }
    // The heading goes first when rows are short: the size needed matters more.
    if lines.count + 2 <= height {
      lines = [heading, ""] + lines
    } else if lines.count < height {
      lines = [heading] + lines
    }
    let top = max(0, (height - lines.count) / 2)
    for (index, line) in lines.enumerated() where top + index < height {
      let style = line == heading ? ctx.theme.crit : ctx.theme.warn.adding(.bold)
      canvas.write(
        line, in: Rect(x: 0, y: top + index, width: width, height: 1), style: style, alignment: .center)
    }
  }
}
