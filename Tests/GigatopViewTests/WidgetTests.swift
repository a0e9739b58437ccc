import Testing

@testable import GigatopModel
@testable import GigatopView

@Suite("Widgets")
struct WidgetTests {
  // MARK: Bar and gauge

  @Test(arguments: [
    (0.0, 10, 0), (1.0, 10, 80), (0.5, 10, 40), (-0.3, 10, 0), (1.7, 10, 80), (Double.nan, 10, 0),
    (Double.infinity, 10, 0), (0.5, 0, 0), (0.5, -4, 0), (1.0 / 16.0, 1, 1),
  ])
  func barEighthsAreClamped(fraction: Double, width: Int, expected: Int) {
    #expect(Bar.eighths(fraction: fraction, width: width) == expected)
  }

  @Test func barDrawsFullAndPartialCells() {
    #expect(Bar.text(fraction: 0.5, width: 4, glyphs: .unicode) == "██  ")
    #expect(Bar.text(fraction: 0.3125, width: 4, glyphs: .unicode) == "█▎  ")
    #expect(Bar.text(fraction: 1, width: 3, glyphs: .unicode) == "███")
    #expect(Bar.text(fraction: 0, width: 3, glyphs: .unicode, empty: "·") == "···")
    #expect(Bar.text(fraction: 0.5, width: 0, glyphs: .unicode) == "")
  }

  @Test func gaugeClampsOutOfRangeValues() {
    #expect(Gauge(fraction: 1.6, gradient: []).clamped == 1)
    #expect(Gauge(fraction: -2, gradient: []).clamped == 0)
    #expect(Gauge(fraction: .nan, gradient: []).clamped == 0)
    #expect(Gauge(fraction: .infinity, gradient: []).clamped == 1)
    #expect(Gauge(fraction: 0.25, gradient: []).clamped == 0.25)

    var canvas = Canvas(width: 10, height: 1)
    Gauge(fraction: 3.5, gradient: [.indexed(2), .indexed(1)]).draw(
      in: canvas.bounds, on: &canvas, glyphs: .unicode, trackStyle: .plain)
    #expect(canvas.plainText() == "██████████\n")
    // Coloured by position: low cells from the gradient's start, high cells from its end.
    #expect(canvas[0, 0].style.foreground == .indexed(2))
    #expect(canvas[9, 0].style.foreground == .indexed(1))
  }

  @Test func gaugeRowKeepsFiguresAndShrinksTheBar() {
    var canvas = Canvas(width: 30, height: 1)
    Gauge.row(
      label: [Span("pool")], gauge: Gauge(fraction: 0.5, gradient: []), figures: [Span("5 / 10")],
      in: canvas.bounds,
      on: &canvas, glyphs: .unicode, trackStyle: .plain)
    #expect(canvas.plainText() == "pool █████████········· 5 / 10\n")
  }

  // MARK: Stacked bar

  @Test func stackedBarWidthsFillTheBarAndShowEveryPart() {
    let widths = StackedBar.widths(counts: [97, 2, 1], total: 100, width: 10)
    #expect(widths.reduce(0, +) == 10)
    #expect(widths.allSatisfy { $0 >= 1 })
    #expect(StackedBar.widths(counts: [1, 1], total: 4, width: 8) == [2, 2])
    #expect(StackedBar.widths(counts: [0, 0], total: 0, width: 8) == [0, 0])
    #expect(StackedBar.widths(counts: [5, -3], total: 5, width: 0) == [0, 0])
    #expect(StackedBar.widths(counts: [3, 3, 3], total: 9, width: 2).reduce(0, +) == 2)
  }

  // MARK: Sparkline

  @Test func resampleOfNothingIsEmpty() {
    #expect(Sparkline.resample([], columns: 3) == [nil, nil, nil])
    #expect(Sparkline.resample([Sample(ts: 0, value: 1)], columns: 0) == [])
  }

  @Test func resampleOfOneSampleFillsEveryColumn() {
    #expect(Sparkline.resample([Sample(ts: 5, value: 2)], columns: 4) == [2, 2, 2, 2])
  }

  @Test func resampleKeepsPeaksWhenManySamplesShareAColumn() {
    let samples = (0..<100).map { Sample(ts: Double($0), value: $0 == 42 ? 99 : 1) }
    let columns = Sparkline.resample(samples, columns: 10)
    #expect(columns.count == 10)
    #expect(columns[4] == 99)
    #expect(columns.compactMap { $0 }.filter { $0 == 1 }.count == 9)
  }

  @Test func resampleInterpolatesBetweenSparseSamples() {
    let columns = Sparkline.resample([Sample(ts: 0, value: 0), Sample(ts: 100, value: 10)], columns: 5)
    #expect(columns.first == 0)
    #expect(columns.last == 10)
    // Column 2's centre is at t = 50: half way.
    #expect(columns[2] == 5)
    #expect(columns == columns.sorted { ($0 ?? 0) < ($1 ?? 0) })
  }

  @Test func sparklineLevelsAreClampedAndVisible() {
    #expect(Sparkline.level(0, ceiling: 10, rows: 1) == 1)
    #expect(Sparkline.level(10, ceiling: 10, rows: 2) == 16)
    #expect(Sparkline.level(50, ceiling: 10, rows: 1) == 8)
    #expect(Sparkline.level(5, ceiling: 0, rows: 1) == 1)
    #expect(Sparkline.level(.nan, ceiling: 10, rows: 1) == 1)

    var canvas = Canvas(width: 4, height: 2)
    Sparkline(values: [0, 5, 10, nil], ceiling: 10, gradient: []).draw(
      in: canvas.bounds, on: &canvas, glyphs: .unicode)
    #expect(canvas.lines() == ["  █", "▁██"])
  }

  // MARK: Table, grid, flow, lines

  @Test func tableDropsOptionalColumnsFirst() {
    let table = Table(
      columns: [Table.Column("id"), Table.Column("vendor", priority: 2), Table.Column("GPUs", .trailing)],
      rows: [[[Span("SH-1")], [Span("Supermicro")], [Span("512")]]], headerStyle: .plain, moreStyle: .plain)
    var wide = Canvas(width: 30, height: 2)
    table.draw(in: wide.bounds, on: &wide)
    #expect(wide.lines() == ["id    vendor      GPUs", "SH-1  Supermicro   512"])
    var narrow = Canvas(width: 12, height: 2)
    table.draw(in: narrow.bounds, on: &narrow)
    #expect(narrow.lines() == ["id    GPUs", "SH-1   512"])
  }

  @Test func tableSaysHowManyRowsDoNotFit() {
    let rows = (1...5).map { [[Span("row \($0)")]] }
    let table = Table(columns: [Table.Column("name")], rows: rows, headerStyle: .plain, moreStyle: .plain)
    var canvas = Canvas(width: 10, height: 4)
    table.draw(in: canvas.bounds, on: &canvas)
    #expect(canvas.lines() == ["name", "row 1", "row 2", "+3 more"])
  }

  @Test func keyValueGridUsesMoreColumnsWhenShort() {
    let grid = KeyValueGrid(
      items: (1...4).map { KeyValueGrid.Item(label: [Span("k\($0)")], value: [Span("\($0)")]) })
    #expect(grid.minRows(width: 40) == 1)
    #expect(grid.minRows(width: 4) == 4)
    var canvas = Canvas(width: 40, height: 2)
    grid.draw(in: canvas.bounds, on: &canvas)
    #expect(canvas.lines() == ["k1 1   k3 3", "k2 2   k4 4"])
  }

  @Test func flowWrapsItems() {
    let flow = Flow(items: [[Span("aaaa")], [Span("bb")], [Span("cccccc")]])
    #expect(flow.height(width: 8) == 2)
    #expect(flow.height(width: 100) == 1)
    #expect(flow.height(width: 3) == 3)
  }

  @Test func spanLinesDropTheLeastImportantGroupFirst() {
    let spans = [Span("a"), Span(" bb", priority: 2), Span(" c", priority: 1), Span(" dd", priority: 2)]
    #expect(SpanLine.fitted(spans, columns: 100).map(\.text).joined() == "a bb c dd")
    #expect(SpanLine.fitted(spans, columns: 5).map(\.text).joined() == "a c")
    #expect(SpanLine.fitted(spans, columns: 1).map(\.text).joined() == "a")
  }

  @Test func blockStackGivesRowsByPriorityAndSteps() {
    func block(_ priority: Int, _ min: Int, _ max: Int, grow: Int? = nil) -> BlockStack.Block {
      BlockStack.Block(priority: priority, minHeight: min, maxHeight: max, growPriority: grow) { _, _ in }
    }
    // Growth at the block's own priority comes before lower priorities' least rows...
    #expect(BlockStack.heights([block(1, 1, 1), block(0, 2, 5)], available: 4) == [0, 4])
    // ...and a later grow priority lets them in first.
    let blocks = [block(1, 1, 1), block(0, 2, 5, grow: 3), block(2, 3, 3)]
    #expect(BlockStack.heights(blocks, available: 4) == [1, 3, 0])
    #expect(BlockStack.heights(blocks, available: 100) == [1, 5, 3])
    #expect(BlockStack.heights(blocks, available: 0) == [0, 0, 0])
    let stepped = BlockStack.Block(
      priority: 0, forms: [(height: 1, draw: { _, _ in }), (height: 6, draw: { _, _ in })])
    #expect(BlockStack.heights([stepped], available: 5) == [1])
    #expect(BlockStack.heights([stepped], available: 6) == [6])
  }

  @Test func boxDrawsTitleAndBadge() {
    var canvas = Canvas(width: 30, height: 3)
    let inner = Box(
      title: "1 Racks", badge: [Span("12/16")], borderStyle: .plain, titleStyle: .plain, glyphs: .unicode
    )
    .draw(in: canvas.bounds, on: &canvas)
    #expect(inner == Rect(x: 1, y: 1, width: 28, height: 1))
    let top = "┌─ 1 Racks " + String(repeating: "─", count: 10) + " 12/16 ─┐"
    #expect(
      canvas.lines() == [
        top, "│                            │", "└" + String(repeating: "─", count: 28) + "┘",
      ])
  }

  @Test func floorMapPlacesHallsInBands() {
    let hall = FloorMap.Hall(title: [Span("Hall A")], rowLabels: ["R1"], marks: [[Cell("█"), Cell("·")]])
    let map = FloorMap(halls: [hall, hall], cellWidth: 2, labelStyle: .plain)
    #expect(map.height(width: 40) == 2)
    #expect(map.height(width: 8) == 5)
    #expect(map.height(width: 3) == nil)
    var canvas = Canvas(width: 20, height: 2)
    map.draw(in: canvas.bounds, on: &canvas)
    #expect(canvas.lines() == ["Hall A    Hall A", "R1 █ ·    R1 █ ·"])
  }
}
