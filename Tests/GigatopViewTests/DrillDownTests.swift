import Testing

@testable import GigatopModel
@testable import GigatopView

/// Key sequences to view state: the drill-down reducer, without a terminal.
@Suite("Drill-down keys")
struct DrillDownTests {
  /// Presses keys on a view state over the small fixture at 120x40, as the live loop does.
  static func press(_ keys: [Key], from start: ViewState = ViewState()) throws -> ViewState {
    let state = try Fixture.state()
    var view = start
    let context = DrillContext(state: state, width: 120, height: 40)
    for key in keys {
      for action in DrillInput.actions(for: key, view: view, state: state) {
        view.reduce(action, in: context)
      }
    }
    return view
  }

  static func type(_ text: String) -> [Key] { text.unicodeScalars.map { Key.character($0) } }

  @Test func fOpensTheFloorOnTheFirstRackAndEscReturns() throws {
    let floor = try Self.press([.character("f")])
    #expect(floor.drill.stack == [DrillFrame(.floor, selected: "A-R01-K01")])
    let back = try Self.press([.character("f"), .escape])
    #expect(back.drill.stack.isEmpty)
  }

  @Test func arrowsAndHJKLMoveRackByRack() throws {
    let right = try Self.press([.enter, .right, .character("l")])
    #expect(right.drill.top?.selected == "A-R01-K03")
    let down = try Self.press([.enter, .character("j")])
    #expect(down.drill.top?.selected == "A-R02-K01")
    let up = try Self.press([.enter, .down, .character("k")])
    #expect(up.drill.top?.selected == "A-R01-K01")
    let left = try Self.press([.enter, .character("l"), .left])
    #expect(left.drill.top?.selected == "A-R01-K01")
    let last = try Self.press([.enter, .character("G")])
    #expect(last.drill.top?.selected == "B-R02-K04")
    let first = try Self.press([.enter, .character("G"), .character("g")])
    #expect(first.drill.top?.selected == "A-R01-K01")
    // Right from the last rack of Hall A goes on to Hall B's first.
    let across = try Self.press([.enter, .down, .end, .character("k"), .character("j")] + [.character("l")])
    #expect(across.drill.top?.selected != nil)
  }

  @Test func enterOpensRackThenNodeAndEscPops() throws {
    let keys: [Key] = [.character("f"), .character("G"), .character("k"), .enter]
    let rack = try Self.press(keys)
    #expect(rack.drill.stack.map(\.view) == [.floor, .rack("B-R01-K04")])
    let start = try Self.press([.character(":")] + Self.type("rack A-R02-K04") + [.enter])
    #expect(start.drill.stack.map(\.view) == [.rack("A-R02-K04")])
    // Slot 3 is the sixth row (top slot first).
    let node = try Self.press([.down, .down, .down, .down, .down, .enter], from: start)
    #expect(node.drill.stack.map(\.view) == [.rack("A-R02-K04"), .node("A-R02-K04-N3")])
    let empty = try Self.press([.enter], from: start)
    #expect(empty.drill.notice == "no node reported in slot 8 of A-R02-K04")
    let home = try Self.press([.escape, .escape], from: node)
    #expect(home.drill.stack.isEmpty)
  }

  @Test func filterWithAnExactIdOpensTheRack() throws {
    let view = try Self.press([.character("/")] + Self.type("a-r02-k04") + [.enter])
    #expect(view.drill.stack.map(\.view) == [.rack("A-R02-K04")])
    #expect(!view.drill.filter.isActive)
    #expect(view.drill.prompt == nil)
  }

  @Test func filterByStageGoesToTheFloorAndNCycles() throws {
    let view = try Self.press([.character("/")] + Self.type("stage:delivered") + [.enter])
    #expect(view.drill.stack.map(\.view) == [.floor])
    #expect(view.drill.top?.selected == "B-R02-K01")
    let next = try Self.press([.character("n")], from: view)
    #expect(next.drill.top?.selected == "B-R02-K02")
    let wrapped = try Self.press([.character("n")], from: next)
    #expect(wrapped.drill.top?.selected == "B-R02-K01")
    let previous = try Self.press([.character("N")], from: view)
    #expect(previous.drill.top?.selected == "B-R02-K02")
    // Esc clears the filter first, then leaves the floor.
    let cleared = try Self.press([.escape], from: view)
    #expect(!cleared.drill.filter.isActive && cleared.drill.stack.count == 1)
    #expect(try Self.press([.escape, .escape], from: view).drill.stack.isEmpty)
  }

  @Test func filterTerms() throws {
    let state = try Fixture.state()
    func count(_ text: String) -> Int { state.racks.filter { FilterQuery(text).matches($0) }.count }
    #expect(count("hall:A") == 8)
    #expect(count("row:1 hall:b") == 4)
    #expect(count("!hall:A") == 8)
    #expect(count("stage:burn-in") == 2)
    #expect(count("k04") == 4)
    #expect(count("pod:A-P01") == 4)
    #expect(count("") == 16)
  }

  @Test func escOnTheFilterLineRestoresTheFilter() throws {
    let view = try Self.press([.character("f"), .character("/")] + Self.type("hall:B") + [.escape])
    #expect(!view.drill.filter.isActive)
    #expect(view.drill.prompt == nil)
    #expect(view.drill.stack.count == 1)
  }

  @Test func commands() throws {
    #expect(
      try Self.press([.character(":")] + Self.type("rack NOPE") + [.enter]).drill.notice == "no rack NOPE")
    #expect(try Self.press([.character(":")] + Self.type("q") + [.enter]).quitRequested)
    let stuck = try Self.press([.character(":")] + Self.type("stuck") + [.enter])
    #expect(stuck.drill.stack.map(\.view) == [.stuck])
    let hall = try Self.press([.character(":")] + Self.type("hall b") + [.enter])
    #expect(hall.drill.top?.selected == "B-R01-K01")
    #expect(try Self.press([.character(":")] + Self.type("hall Z") + [.enter]).drill.notice == "no hall Z")
    let node = try Self.press([.character(":")] + Self.type("node A-R02-K04-N3") + [.enter])
    #expect(node.drill.stack.map(\.view) == [.rack("A-R02-K04"), .node("A-R02-K04-N3")])
    let unknown = try Self.press([.character(":")] + Self.type("frobnicate") + [.enter])
    #expect(unknown.drill.notice?.hasPrefix("unknown command: frobnicate") == true)
    let goto = try Self.press([.character(":")] + Self.type("goto 2024-07-10") + [.enter])
    #expect(goto.drill.notice?.contains("replay") == true)
    // The theme command is handed to the run loop as an action.
    let state = try Fixture.state()
    #expect(DrillCommand.actions("theme mono", state) == [.setTheme("mono")])
  }

  @Test func tabCompletesCommandsAndRackIDs() throws {
    let state = try Fixture.state()
    #expect(DrillCommand.complete("ra", state) == "rack ")
    #expect(DrillCommand.complete("rack a-r02-k0", state) == "rack A-R02-K0")
    #expect(DrillCommand.complete("rack B-R02-K03", state) == "rack B-R02-K03")
    #expect(DrillCommand.complete("hall", state) == "hall ")
    #expect(DrillCommand.complete("hall a", state) == "hall A")
    let view = try Self.press([.character(":")] + Self.type("rack B-R01-K0") + [.backspace] + Self.type("02"))
    #expect(view.drill.prompt?.text == "rack B-R01-K02")
    let tabbed = try Self.press([.character(":")] + Self.type("rack A-R01-K03") + [.tab, .enter])
    #expect(tabbed.drill.stack.map(\.view) == [.rack("A-R01-K03")])
  }

  @Test func stuckSortsCyclesAndInverts() throws {
    let state = try Fixture.state()
    var sort = StuckSort()
    let byTime = StuckView.rows(state, filter: FilterQuery(), sort: sort).map { state.racks[$0].id }
    #expect(byTime.first == "B-R02-K01")
    #expect(byTime.count == 10)
    sort.inverted = true
    #expect(
      StuckView.rows(state, filter: FilterQuery(), sort: sort).map { state.racks[$0].id } == byTime.reversed()
    )
    let view = try Self.press(
      [.character(":")] + Self.type("stuck") + [.enter, .character("s"), .character("I")])
    #expect(view.drill.stuckSort.column == .rack)
    #expect(view.drill.stuckSort.inverted)
    let opened = try Self.press([.character(":")] + Self.type("stuck") + [.enter, .down, .enter])
    #expect(opened.drill.stack.map(\.view) == [.stuck, .rack("B-R02-K02")])
  }

  @Test func mouseClickOpensARackAndTheWheelScrolls() throws {
    let floor = try Self.press([.character("f")])
    // Body starts at row 2, column 1; Hall A's title is its first row, `R1` then a mark every 2 columns.
    let clicked = try Self.press([.mouse(x: 1 + 3 + 2, y: 3, button: 1)], from: floor)
    #expect(clicked.drill.stack.map(\.view) == [.floor, .rack("A-R01-K02")])
    let wheel = try Self.press([.mouse(x: 5, y: 5, button: 5)], from: floor)
    #expect(wheel.drill.stack.count == 1)
    let stuck = try Self.press([.character(":")] + Self.type("stuck") + [.enter])
    let row = try Self.press([.mouse(x: 10, y: 2 + StuckView.tableTop + 1, button: 1)], from: stuck)
    #expect(row.drill.stack.map(\.view) == [.stuck, .rack("B-R02-K02")])
  }

  @Test func rackHistoryKeepsTheLatestEventsPerRack() throws {
    let state = try Fixture.state()
    let events = state.rackHistory.events(forRack: "A-R02-K04")
    #expect(events.count == 5)
    #expect(events.last?.kind == .gpu(index: 3, state: .failed, xid: 79))
    #expect(
      state.rackHistory.events(forRack: "B-R02-K03").contains {
        if case .alert = $0.kind { true } else { false }
      })
    var ring = RackHistory()
    for i in 0..<30 {
      ring.append(RackEvent(ts: Double(i), node: nil, kind: .rack(stage: nil, note: "n")), toRack: "X")
    }
    let kept = ring.events(forRack: "X")
    #expect(kept.count == RackHistory.capacity)
    #expect(kept.map(\.ts) == (30 - RackHistory.capacity..<30).map(Double.init))
  }

  @Test func floorRendersAtEverySizeWithoutTrapping() throws {
    let state = try Fixture.state()
    for view in [DrillView.floor, .rack("A-R02-K04"), .node("A-R02-K04-N3"), .stuck] {
      var vs = ViewState()
      vs.drill.stack = [DrillFrame(view, selected: "A-R01-K01")]
      for width in [1, 40, 80, 81, 133] {
        for height in [1, 10, 24, 25, 61] {
          let input = DashboardInput(
            state: state, view: vs, mode: .snapshot, feeds: [], theme: .defaultDark, glyphs: .unicode)
          _ = Dashboard.render(input, width: width, height: height)
        }
      }
    }
  }
}
