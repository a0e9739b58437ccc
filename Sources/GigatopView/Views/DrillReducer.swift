import GigatopModel

extension ViewState {
  /// Applies an action that may need the build-out: the drill-down actions, and every other one.
  ///
  /// Pure: the same view, action and context give the same view. Every action but a notice
  /// clears the last notice.
  public mutating func reduce(_ action: Action, in context: DrillContext) {
    if case .drill(.notice) = action {} else { drill.notice = nil }
    guard case .drill(let drillAction) = action else {
      reduce(action)
      return
    }
    reduceDrill(drillAction, context)
  }

  mutating func reduceDrill(_ action: DrillAction, _ context: DrillContext) {
    let state = context.state
    switch action {
    case .push(let view): push(view, context)
    case .pop:
      if drill.filter.isActive && (drill.top?.view == .floor || drill.top?.view == .stuck || drill.top == nil)
      {
        drill.filter = FilterQuery()
      } else if !drill.stack.isEmpty {
        drill.stack.removeLast()
      } else {
        reduce(.closeOverlay)
      }
    case .move(let motion): move(motion, context)
    case .open: open(context)
    case .openHall(let id):
      let floor = FloorLayout(state: state, width: context.body(.floor).width)
      let lower = id.lowercased()
      guard let hall = floor.halls.firstIndex(where: { $0.id.lowercased() == lower }),
        let place = floor.scan(from: FloorLayout.Place(hall: hall, row: 0, slot: 0), forward: true),
        place.hall == hall, let rack = floor.halls[hall].rack(row: place.row, slot: place.slot)
      else {
        drill.notice = "no hall \(id)"
        return
      }
      var frame = DrillFrame(.floor, selected: state.racks[rack].id)
      frame.scroll = floor.halls[hall].y
      drill.stack.append(frame)
    case .cycleSort:
      let columns = StuckSort.Column.allCases
      drill.stuckSort.column = columns[(drill.stuckSort.column.rawValue + 1) % columns.count]
    case .invertSort:
      drill.stuckSort.inverted.toggle()
    case .beginPrompt(let kind):
      drill.prompt = PromptLine(kind: kind, previousFilter: drill.filter)
    case .editPrompt(let text):
      guard var prompt = drill.prompt else { return }
      prompt.text = text
      drill.prompt = prompt
      if prompt.kind == .filter {
        drill.filter = FilterQuery(text)
        followFilter(context)
      }
    case .cancelPrompt:
      if let prompt = drill.prompt, prompt.kind == .filter { drill.filter = prompt.previousFilter }
      drill.prompt = nil
    case .submitFilter:
      drill.prompt = nil
      submitFilter(context)
    case .nextMatch: jumpToMatch(forward: true, context)
    case .previousMatch: jumpToMatch(forward: false, context)
    case .click(let x, let y): click(x: x, y: y, context)
    case .scroll(let rows): scroll(rows, context)
    case .notice(let text): drill.notice = text
    }
  }

  /// Pushes a view; an unknown rack or node leaves the stack as it is and says so.
  mutating func push(_ view: DrillView, _ context: DrillContext) {
    let state = context.state
    switch view {
    case .rack(let id):
      guard let found = DrillCommand.resolveRack(id, state) else {
        drill.notice = "no rack \(id)"
        return
      }
      drill.stack.append(DrillFrame(.rack(found)))
    case .node(let id):
      guard let found = DrillCommand.resolveNode(id, state), let index = state.nodeIndex[found] else {
        drill.notice = "no node \(id)"
        return
      }
      let node = state.nodes[index]
      if drill.top?.view != .rack(node.rackID), state.rackIndex[node.rackID] != nil {
        var rack = DrillFrame(.rack(node.rackID))
        rack.cursor = RackView.slots(state).firstIndex(of: node.slot) ?? 0
        drill.stack.append(rack)
      }
      drill.stack.append(DrillFrame(.node(found)))
    case .floor:
      let floor = FloorLayout(state: state, width: context.body(.floor).width)
      var frame = DrillFrame(.floor)
      let start = floor.firstPlace.flatMap { floor.scan(from: $0, forward: true, where: matcher(state)) }
      if let start, let rack = floor.halls[start.hall].rack(row: start.row, slot: start.slot) {
        frame.selected = state.racks[rack].id
      }
      drill.stack.append(frame)
      ensureVisible(context)
    case .stuck:
      drill.stack.append(DrillFrame(.stuck))
    }
  }

  /// A test of the filter on a rack index.
  func matcher(_ state: BuildoutState) -> (Int) -> Bool {
    let filter = drill.filter
    return { filter.matches(state.racks[$0]) }
  }

  /// The rows of the top table view, and how many are visible at once.
  func tableRows(_ frame: DrillFrame, _ context: DrillContext) -> (count: Int, page: Int) {
    let state = context.state
    let body = context.body(frame.view)
    switch frame.view {
    case .rack: return (RackView.slots(state).count, max(1, body.height - RackView.tableTop))
    case .node(let id):
      let count = state.nodeIndex[id].map { NodeView.gpuCount(state.nodes[$0], state) } ?? 0
      return (count, max(1, body.height - NodeView.tableTop))
    case .stuck:
      let count = StuckView.rows(state, filter: drill.filter, sort: drill.stuckSort).count
      return (count, StuckView.visibleRows(height: body.height))
    case .floor: return (0, 1)
    }
  }

  mutating func move(_ motion: Motion, _ context: DrillContext) {
    guard var frame = drill.top else { return }
    if frame.view == .floor {
      moveOnFloor(motion, context)
      return
    }
    let (count, page) = tableRows(frame, context)
    guard count > 0 else { return }
    var cursor = frame.cursor
    switch motion {
    case .up, .left: cursor -= 1
    case .down, .right: cursor += 1
    case .first: cursor = 0
    case .last: cursor = count - 1
    case .pageUp: cursor -= page
    case .pageDown: cursor += page
    }
    frame.cursor = max(0, min(count - 1, cursor))
    if frame.cursor < frame.scroll { frame.scroll = frame.cursor }
    if frame.cursor >= frame.scroll + page { frame.scroll = frame.cursor - page + 1 }
    drill.stack[drill.stack.count - 1] = frame
  }

  mutating func moveOnFloor(_ motion: Motion, _ context: DrillContext) {
    guard var frame = drill.top else { return }
    let state = context.state
    let body = context.body(.floor)
    let floor = FloorLayout(state: state, width: body.width)
    guard let first = floor.firstPlace, let last = floor.lastPlace else { return }
    let current = floor.place(of: frame.selected, in: state)
    var target: FloorLayout.Place?
    switch motion {
    case .first: target = floor.scan(from: first, forward: true)
    case .last: target = floor.scan(from: last, forward: false)
    case .right:
      target = current.flatMap { floor.step($0, forward: true) }.flatMap {
        floor.scan(from: $0, forward: true)
      }
    case .left:
      target = current.flatMap { floor.step($0, forward: false) }.flatMap {
        floor.scan(from: $0, forward: false)
      }
    case .up, .down, .pageUp, .pageDown:
      let page = max(1, body.height - 2)
      let rows = motion == .up ? -1 : motion == .down ? 1 : motion == .pageUp ? -page : page
      if let current {
        var place = floor.move(current, rows: rows)
        // Rows without a rack are passed over.
        var tries = 0
        while floor.halls[place.hall].rack(row: place.row, slot: place.slot) == nil, tries < 400 {
          let next = floor.move(place, rows: rows > 0 ? 1 : -1)
          if next == place { break }
          place = next
          tries += 1
        }
        target = place
      }
    }
    if current == nil, target == nil { target = floor.scan(from: first, forward: true) }
    if let target, let rack = floor.halls[target.hall].rack(row: target.row, slot: target.slot) {
      frame.selected = state.racks[rack].id
      drill.stack[drill.stack.count - 1] = frame
      ensureVisible(context)
    }
  }

  /// Scrolls the floor so the cursor's rack shows (with its hall's title when it fits).
  mutating func ensureVisible(_ context: DrillContext) {
    guard var frame = drill.top, frame.view == .floor else { return }
    let body = context.body(.floor)
    let floor = FloorLayout(state: context.state, width: body.width)
    guard let place = floor.place(of: frame.selected, in: context.state) else { return }
    let y = floor.y(of: place)
    if y < frame.scroll || y >= frame.scroll + body.height {
      let hallTop = floor.halls[place.hall].y
      frame.scroll = y - hallTop < body.height ? hallTop : y - body.height / 2
    }
    frame.scroll = max(0, min(frame.scroll, floor.height - body.height))
    drill.stack[drill.stack.count - 1] = frame
  }

  mutating func open(_ context: DrillContext) {
    guard let frame = drill.top else { return }
    let state = context.state
    switch frame.view {
    case .floor:
      if let id = frame.selected { push(.rack(id), context) }
    case .rack(let id):
      guard let index = state.rackIndex[id] else { return }
      let slots = RackView.slots(state)
      guard slots.indices.contains(frame.cursor) else { return }
      guard let node = state.racks[index].nodeIndex(atSlot: slots[frame.cursor]) else {
        drill.notice = "no node reported in slot \(slots[frame.cursor]) of \(id)"
        return
      }
      drill.stack.append(DrillFrame(.node(state.nodes[node].id)))
    case .stuck:
      let rows = StuckView.rows(state, filter: drill.filter, sort: drill.stuckSort)
      if rows.indices.contains(frame.cursor) { push(.rack(state.racks[rows[frame.cursor]].id), context) }
    case .node:
      break
    }
  }

  /// While a filter is typed on the floor, keeps the cursor on a match.
  mutating func followFilter(_ context: DrillContext) {
    guard let frame = drill.top else { return }
    let state = context.state
    if frame.view == .floor {
      if let id = frame.selected, let index = state.rackIndex[id], drill.filter.matches(state.racks[index]) {
        return
      }
      jumpToMatch(forward: true, context, fromStart: true)
    } else if frame.view == .stuck {
      drill.stack[drill.stack.count - 1].cursor = 0
      drill.stack[drill.stack.count - 1].scroll = 0
    }
  }

  /// Enter on the filter line: an exact id or a single match opens; several go to the floor.
  mutating func submitFilter(_ context: DrillContext) {
    let state = context.state
    guard drill.filter.isActive else { return }
    if let id = drill.filter.plainID {
      if let rack = DrillCommand.resolveRack(id, state) {
        drill.filter = FilterQuery()
        push(.rack(rack), context)
        return
      }
      if let node = DrillCommand.resolveNode(id, state) {
        drill.filter = FilterQuery()
        push(.node(node), context)
        return
      }
    }
    var matches: [Int] = []
    for (index, rack) in state.racks.enumerated() where drill.filter.matches(rack) {
      matches.append(index)
      if matches.count > 1 { break }
    }
    if matches.isEmpty {
      drill.notice = "no rack matches \(drill.filter.text)"
      return
    }
    if matches.count == 1, drill.top?.view != .stuck {
      push(.rack(state.racks[matches[0]].id), context)
      return
    }
    if drill.top == nil || drill.top?.view != .floor && drill.top?.view != .stuck {
      push(.floor, context)
    } else if drill.top?.view == .floor {
      jumpToMatch(forward: true, context, fromStart: true)
    }
  }

  /// Moves the floor cursor to the next (or previous) match, wrapping around; in tables, a row.
  mutating func jumpToMatch(forward: Bool, _ context: DrillContext, fromStart: Bool = false) {
    guard var frame = drill.top else { return }
    if frame.view != .floor {
      move(forward ? .down : .up, context)
      return
    }
    let state = context.state
    let floor = FloorLayout(state: state, width: context.body(.floor).width)
    guard let first = floor.firstPlace, let last = floor.lastPlace else { return }
    let accept = matcher(state)
    var target: FloorLayout.Place?
    if !fromStart, let current = floor.place(of: frame.selected, in: state),
      let start = floor.step(current, forward: forward)
    {
      target = floor.scan(from: start, forward: forward, where: accept)
    }
    if target == nil { target = floor.scan(from: forward ? first : last, forward: forward, where: accept) }
    guard let target, let rack = floor.halls[target.hall].rack(row: target.row, slot: target.slot) else {
      drill.notice = "no rack matches \(drill.filter.text)"
      return
    }
    frame.selected = state.racks[rack].id
    drill.stack[drill.stack.count - 1] = frame
    ensureVisible(context)
  }

  /// A click: on the floor it opens the rack under it; in tables it opens the row under it.
  mutating func click(x: Int, y: Int, _ context: DrillContext) {
    guard var frame = drill.top else { return }
    let body = context.body(frame.view)
    guard x >= body.x, x < body.maxX, y >= body.y, y < body.maxY else { return }
    let state = context.state
    switch frame.view {
    case .floor:
      let floor = FloorLayout(state: state, width: body.width)
      let top = FloorView.scroll(frame, floor, rows: body.height)
      guard let rack = floor.rack(atX: x - body.x, y: y - body.y + top) else { return }
      frame.selected = state.racks[rack].id
      drill.stack[drill.stack.count - 1] = frame
      push(.rack(state.racks[rack].id), context)
    case .rack, .node, .stuck:
      var headerRows = RackView.tableTop
      var scrolled = frame.scroll
      if case .rack = frame.view { scrolled = 0 }
      if frame.view == .stuck { headerRows = StuckView.tableTop }
      let (count, _) = tableRows(frame, context)
      let row = y - body.y - headerRows + scrolled
      guard row >= 0, row < count else { return }
      frame.cursor = row
      drill.stack[drill.stack.count - 1] = frame
      open(context)
    }
  }

  /// The wheel: scrolls the floor by rows; moves the cursor in tables.
  mutating func scroll(_ rows: Int, _ context: DrillContext) {
    guard var frame = drill.top else { return }
    guard frame.view == .floor else {
      for _ in 0..<abs(rows) { move(rows < 0 ? .up : .down, context) }
      return
    }
    let body = context.body(.floor)
    let floor = FloorLayout(state: context.state, width: body.width)
    frame.scroll = max(
      0, min(FloorView.scroll(frame, floor, rows: body.height) + rows, floor.height - body.height))
    drill.stack[drill.stack.count - 1] = frame
  }
}
