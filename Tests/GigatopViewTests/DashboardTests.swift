import Testing

@testable import GigatopModel
@testable import GigatopView

@Suite("Dashboard")
struct DashboardTests {
  @Test func rendersAtEverySizeWithoutCrashing() throws {
    let input = try Fixture.input(help: true)
    let empty = DashboardInput(
      state: BuildoutState(), mode: .live, feeds: [], theme: .defaultDark, glyphs: .ascii)
    #expect(Dashboard.render(input, width: 0, height: 0).cells.isEmpty)
    for width in 1...80 {
      for height in 1...30 {
        let canvas = Dashboard.render(input, width: width, height: height)
        #expect(canvas.width == width && canvas.height == height)
        _ = Dashboard.render(empty, width: width, height: height)
      }
    }
    for (width, height) in [
      (300, 100), (81, 24), (99, 48), (100, 24), (250, 70), (80, 100), (300, 24), (-5, -5),
    ] {
      _ = Dashboard.render(input, width: width, height: height)
      _ = Dashboard.render(empty, width: width, height: height)
    }
  }

  @Test func tooSmallSaysTheSizeNeeded() throws {
    let canvas = Dashboard.render(try Fixture.input(), width: 79, height: 24)
    #expect(canvas.plainText().contains("gigatop needs at least 80x24 (now 79x24) — enlarge or press q"))
    #expect(canvas.plainText().contains("Terminal too small"))
    #expect(
      TooSmallScreen.message(width: 60, height: 15)
        == "gigatop needs at least 80x24 (now 60x15) — enlarge or press q")
    let tiny = Dashboard.render(try Fixture.input(), width: 12, height: 3)
    #expect(tiny.lines().contains { $0.contains("gigatop") })
  }

  @Test(arguments: [(80, 24), (120, 40), (200, 60)])
  func panelTitlesAreVisible(width: Int, height: Int) throws {
    let text = Dashboard.render(try Fixture.input(), width: width, height: height).plainText()
    for title in ["1 Racks", "2 Chips", "3 Power", "4 Readiness"] { #expect(text.contains(title)) }
    #expect(text.contains("Memphis-1"))
    #expect(text.contains("2024-07-20 12:00"))
  }

  @Test func helpListsEveryBindingFromTheRegistry() throws {
    let text = Dashboard.render(try Fixture.input(help: true), width: 120, height: 40).plainText()
    #expect(text.contains("Keys"))
    for binding in KeyRegistry.dashboard.bindings {
      #expect(text.contains(binding.label))
      #expect(text.contains(binding.help))
    }
  }

  @Test func hintBarComesFromTheRegistry() throws {
    let ctx = RenderContext(input: try Fixture.input())
    let hint = HintBar.spans(ctx).map(\.text).joined()
    #expect(hint == " q quit  ? help  Tab focus ")
    let lines = Dashboard.render(try Fixture.input(), width: 80, height: 24).lines()
    #expect(lines.last?.hasPrefix(" q quit  ? help  Tab focus") == true)
  }

  @Test func focusedPanelIsHighlighted() throws {
    let canvas = Dashboard.render(try Fixture.input(focus: .chips), width: 120, height: 40)
    let theme = Theme.defaultDark
    // Chips is the top-right panel: its corner and title use the focused styles, Racks' do not.
    #expect(canvas[60, 1].style == theme.borderFocused)
    #expect(canvas[0, 1].style == theme.border)
    let title = canvas.lines()[1]
    let chipsColumn = title.unicodeScalars.distance(
      from: title.unicodeScalars.startIndex,
      to: title.range(of: "2 Chips")?.lowerBound.samePosition(in: title.unicodeScalars)
        ?? title.unicodeScalars.startIndex)
    #expect(canvas[chipsColumn, 1].style == theme.titleFocused)
  }

  @Test func feedTextIsSanitised() throws {
    let canvas = Dashboard.render(try Fixture.input(), width: 200, height: 60)
    #expect(canvas.cells.allSatisfy { $0.scalar.value >= 0x20 || $0.isContinuation })
    #expect(canvas.plainText().contains("badge reader ␛]0;pwned␇ offline"))
    #expect(!canvas.ansiText().contains("\u{1B}]0;"))
  }

  @Test func monoThemeUsesNoColour() throws {
    let canvas = Dashboard.render(try Fixture.input(theme: .mono), width: 120, height: 40)
    #expect(
      canvas.cells.allSatisfy {
        $0.style.foreground == .terminalDefault && $0.style.background == .terminalDefault
      })
  }

  @Test func asciiGlyphsStaySevenBitInDrawnFigures() throws {
    let canvas = Dashboard.render(try Fixture.input(glyphs: .ascii), width: 120, height: 40)
    // Only feed text, the too-small dash and `…` cuts may be non-ASCII; the fixture's text is ASCII.
    let odd = canvas.cells.filter { !$0.scalar.isASCII && $0.scalar != "…" && !$0.isContinuation }
    #expect(odd.isEmpty, "non-ASCII: \(Set(odd.map { String($0.scalar) }).sorted())")
  }

  @Test func statusBarShowsFeedAgesAndStaleness() throws {
    var input = try Fixture.input()
    input.mode = .live
    input.modeDetail = "x86400"
    input.feeds[0].lastLineAt = 1000
    var second = FeedStatus(name: "power.ndjson")
    second.lastLineAt = 900
    second.counters.rejected = 2
    second.lastError = FeedLineError(feed: "power.ndjson", line: 7, reason: "missing field ts")
    input.feeds.append(second)
    input.wallClock = 1030
    input.staleAfter = 60
    input.message = "recording stopped: disk full"
    let lines = Dashboard.render(input, width: 200, height: 60).lines()
    let status = lines[lines.count - 2]
    #expect(status.contains("LIVE x86400"))
    #expect(status.contains("small.ndjson 30s"))
    #expect(status.contains("power.ndjson 2m stale"))
    #expect(status.contains("2 rejected (line 7: missing field ts)"))
    #expect(status.contains("recording stopped: disk full"))
    // Without a wall clock (headless), no ages.
    input.wallClock = nil
    let headless = Dashboard.render(input, width: 200, height: 60).lines()
    #expect(!headless[headless.count - 2].contains("stale"))
  }

  @Test func alertsAreOrderedCritFirstThenNewest() {
    let alerts = [
      Alert(ts: 1, severity: .crit, ref: nil, msg: "old crit"),
      Alert(ts: 5, severity: .info, ref: nil, msg: "new info"),
      Alert(ts: 3, severity: .warn, ref: nil, msg: "warn"),
      Alert(ts: 4, severity: .crit, ref: nil, msg: "new crit"),
    ]
    #expect(StatusBar.ordered(alerts).map(\.msg) == ["new crit", "old crit", "warn", "new info"])
  }

  @Test func bindingIsSpelledOutOrNothingHoldsTheJob() throws {
    let text = Dashboard.render(try Fixture.input(), width: 120, height: 40).plainText()
    let binding = try #require(Summary(try Fixture.state()).readiness.binding)
    #expect(text.contains("Held back by " + binding.words))
    let done = DashboardInput(
      state: BuildoutState(), mode: .demo, feeds: [], theme: .defaultDark, glyphs: .unicode)
    #expect(Dashboard.render(done, width: 120, height: 40).plainText().contains("Nothing holds the job back"))
  }

  @Test func layoutIsAGridWhenWideAndAColumnWhenTallAndNarrow() {
    let grid = Dashboard.Layout(width: 120, height: 40)
    #expect(!grid.stacked)
    #expect(grid.panel(.racks).maxX == grid.panel(.chips).x)
    #expect(grid.panel(.racks).maxY == grid.panel(.power).y)
    let column = Dashboard.Layout(width: 80, height: 50)
    #expect(column.stacked)
    #expect(ViewState.Panel.allCases.allSatisfy { column.panel($0).width == 80 })
    #expect(column.panel(.readiness).maxY == column.body.maxY)
  }
}
