import GigatopModel
import Testing

@testable import GigatopView

/// Text snapshots of the floor, rack, node and stuck views over the small fixture.
@Suite("Drill-down snapshots")
struct DrillDownSnapshotTests {
  static func render(
    _ stack: [DrillFrame], filter: String = "", width: Int = 120, height: Int = 40, glyphs: Glyphs = .unicode
  ) throws -> String {
    var input = try Fixture.input(glyphs: glyphs)
    input.view.drill.stack = stack
    input.view.drill.filter = FilterQuery(filter)
    return Dashboard.render(input, width: width, height: height).plainText()
  }

  @Test(arguments: [(80, 24), (120, 40)])
  func floor(width: Int, height: Int) throws {
    Snapshot.assert(
      try Self.render([DrillFrame(.floor, selected: "A-R02-K04")], width: width, height: height),
      named: "drill-floor-\(width)x\(height)")
  }

  @Test func floorFiltered() throws {
    Snapshot.assert(
      try Self.render([DrillFrame(.floor, selected: "B-R01-K01")], filter: "stage:burnin"),
      named: "drill-floor-filtered-120x40")
  }

  @Test func floorASCII() throws {
    Snapshot.assert(
      try Self.render([DrillFrame(.floor, selected: "A-R01-K01")], glyphs: .ascii),
      named: "drill-floor-ascii-120x40")
  }

  @Test func rack() throws {
    var frame = DrillFrame(.rack("A-R02-K04"))
    frame.cursor = 5
    Snapshot.assert(try Self.render([DrillFrame(.floor), frame]), named: "drill-rack-120x40")
  }

  @Test func node() throws {
    Snapshot.assert(
      try Self.render(
        [DrillFrame(.rack("A-R02-K04")), DrillFrame(.node("A-R02-K04-N3"))], width: 100, height: 24),
      named: "drill-node-100x24")
  }

  @Test func stuck() throws {
    Snapshot.assert(
      try Self.render([DrillFrame(.stuck)], width: 100, height: 24), named: "drill-stuck-100x24")
  }

  @Test func promptOnTheDashboard() throws {
    var input = try Fixture.input()
    input.view.drill.prompt = PromptLine(kind: .command, text: "rack A-R0")
    let text = Dashboard.render(input, width: 120, height: 40).plainText()
    #expect(text.contains(": rack A-R0_"))
  }
}
