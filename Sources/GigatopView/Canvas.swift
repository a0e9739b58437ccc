/// An in-memory grid of styled cells that every view draws into.
///
/// Drawing outside the grid is clipped, never an error, so layouts can be
/// computed at any size (even 1x1) without guarding every call.
public struct Canvas: Equatable, Sendable {
  public private(set) var width: Int
  public private(set) var height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: fill, count: self.width * self.height)
  }

  /// The whole canvas as a rectangle.
  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The cell at a position; blank outside the grid.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < width, y < height else { return .blank }
      return cells[y * width + x]
    }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Fills a rectangle (clipped) with one cell.
  public mutating func fill(_ rect: Rect, with cell: Cell) {
    let x0 = max(0, rect.x)
    let x1 = min(width, rect.maxX)
    let y0 = max(0, rect.y)
    let y1 = min(height, rect.maxY)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      let base = y * width
      for x in x0..<x1 { cells[base + x] = cell }
    }
  }

  /// Sets the style of every cell in a rectangle, keeping the characters.
  public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
    let x0 = max(0, rect.x)
    let x1 = min(width, rect.maxX)
    let y0 = max(0, rect.y)
    let y1 = min(height, rect.maxY)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      for x in x0..<x1 { cells[y * width + x].style = transform(cells[y * width + x].style) }
    }
  }

  /// Draws text starting at (x, y), at most `limit` columns, clipped to the grid.
  ///
  /// Control characters, escape sequences and bidi overrides are drawn as
  /// visible placeholders; wide characters take two cells. Returns the
  /// number of columns used.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: Style = .plain, limit: Int = Int.max
  ) -> Int {
    guard y >= 0, y < height, limit > 0 else { return 0 }
    var column = x
    let end = limit == Int.max ? width : min(width, x + limit)
    for original in text.unicodeScalars {
      let scalar = TextWidth.placeholder(for: original) ?? original
      let cellWidth = TextWidth.columns(of: scalar)
      if cellWidth == 0 { continue }
      if column + cellWidth > end { break }
      if column >= 0 {
        cells[y * width + column] = Cell(scalar, style: style)
        if cellWidth == 2 { cells[y * width + column + 1] = Cell(Cell.continuation.scalar, style: style) }
      }
      column += cellWidth
    }
    return column - x
  }

  /// Draws text within a one-row rectangle, cut with `…` when too long.
  @discardableResult
  public mutating func write(
    _ text: String, in rect: Rect, style: Style = .plain, alignment: Alignment = .leading
  ) -> Int {
    guard !rect.isEmpty else { return 0 }
    let fitted = Canvas.fit(text, columns: rect.width)
    let used = TextWidth.columns(of: fitted)
    let x: Int
    switch alignment {
    case .leading: x = rect.x
    case .trailing: x = rect.maxX - used
    case .center: x = rect.x + (rect.width - used) / 2
    }
    return write(fitted, x: x, y: rect.y, style: style, limit: rect.maxX - x)
  }

  /// Horizontal placement of text in a rectangle.
  public enum Alignment: Sendable {
    case leading, trailing, center
  }

  /// Shortens text to at most `columns` columns, ending it with `…` when cut.
  public static func fit(_ text: String, columns: Int) -> String {
    guard columns > 0 else { return "" }
    if TextWidth.columns(of: text) <= columns { return text }
    var out = String.UnicodeScalarView()
    var used = 0
    for original in text.unicodeScalars {
      let scalar = TextWidth.placeholder(for: original) ?? original
      let cellWidth = TextWidth.columns(of: scalar)
      if used + cellWidth > columns - 1 { break }
      out.append(scalar)
      used += cellWidth
    }
    out.append("…")
    return String(out)
  }

  /// The rows as plain text, trailing spaces removed.
  public func lines() -> [String] {
    var result: [String] = []
    result.reserveCapacity(height)
    for y in 0..<height {
      var row = String.UnicodeScalarView()
      for x in 0..<width {
        let cell = cells[y * width + x]
        if !cell.isContinuation { row.append(cell.scalar) }
      }
      var text = String(row)
      while text.last == " " { text.removeLast() }
      result.append(text)
    }
    return result
  }

  /// The canvas as plain text, one line per row.
  public func plainText() -> String {
    lines().joined(separator: "\n") + "\n"
  }

  /// The canvas as text with ANSI SGR colour sequences.
  public func ansiText() -> String {
    var out = ""
    for y in 0..<height {
      var current: Style? = nil
      for x in 0..<width {
        let cell = cells[y * width + x]
        if cell.isContinuation { continue }
        if cell.style != current {
          out += ANSI.sgr(for: cell.style)
          current = cell.style
        }
        out.unicodeScalars.append(cell.scalar)
      }
      out += "\u{1B}[0m\n"
    }
    return out
  }

  /// The positions of cells that differ from another canvas of the same size (all cells if sizes differ).
  public func changedRuns(since previous: Canvas?) -> [Rect] {
    var runs: [Rect] = []
    let sameSize = previous.map { $0.width == width && $0.height == height } ?? false
    for y in 0..<height {
      var x = 0
      while x < width {
        let index = y * width + x
        if sameSize, let previous, previous.cells[index] == cells[index] {
          x += 1
          continue
        }
        let start = x
        while x < width {
          let i = y * width + x
          if sameSize, let previous, previous.cells[i] == cells[i] { break }
          x += 1
        }
        runs.append(Rect(x: start, y: y, width: x - start, height: 1))
      }
    }
    return runs
  }
}
