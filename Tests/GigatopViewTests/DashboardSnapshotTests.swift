import GigatopModel
import Testing

@testable import GigatopView

@Suite("Dashboard snapshots")
struct DashboardSnapshotTests {
  @Test(arguments: [(80, 24), (120, 40), (200, 60), (250, 70), (80, 50)])
  func wholeScreen(width: Int, height: Int) throws {
    let canvas = Dashboard.render(try Fixture.input(), width: width, height: height)
    Snapshot.assert(canvas.plainText(), named: "dashboard-\(width)x\(height)")
  }

  @Test(arguments: [(80, 24), (120, 40)])
  func helpOverlay(width: Int, height: Int) throws {
    let canvas = Dashboard.render(try Fixture.input(help: true), width: width, height: height)
    Snapshot.assert(canvas.plainText(), named: "help-\(width)x\(height)")
  }

  @Test(arguments: [(80, 24), (120, 40)])
  func monoTheme(width: Int, height: Int) throws {
    let canvas = Dashboard.render(
      try Fixture.input(theme: .mono, focus: .power), width: width, height: height)
    Snapshot.assert(canvas.plainText(), named: "mono-\(width)x\(height)")
  }

  @Test func asciiGlyphs() throws {
    let canvas = Dashboard.render(try Fixture.input(glyphs: .ascii), width: 120, height: 40)
    Snapshot.assert(canvas.plainText(), named: "ascii-120x40")
  }

  @Test func tooSmall() throws {
    let canvas = Dashboard.render(try Fixture.input(), width: 60, height: 15)
    Snapshot.assert(canvas.plainText(), named: "too-small-60x15")
  }
}
