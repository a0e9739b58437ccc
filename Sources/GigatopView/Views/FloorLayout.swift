import GigatopModel

/// Where every rack sits on the floor view: halls side by side in bands, a cell per rack position.
///
/// Built from the state for one width; positions are virtual rows (the view scrolls over them).
/// Building is O(racks + positions); drawing then touches only the visible rows.
struct FloorLayout {
  /// One hall's grid and where it is drawn.
  struct Hall {
    var id: String
    var name: String
    var rows: Int
    var slots: Int
    /// Rack index (into `BuildoutState.racks`) by `row * slots + slot` (0-based); -1 where none.
    var grid: [Int32]
    /// Virtual position of the hall's title row.
    var x = 0
    var y = 0
    /// Columns of the row labels (`R25`).
    var labelWidth: Int
    /// Racks known in the hall, and how many of them are installed.
    var racks = 0
    var installed = 0

    /// The columns the hall takes.
    var width: Int { max(TextWidth.columns(of: name) + 10, labelWidth + 1 + max(0, slots * 2 - 1)) }
    /// The rows it takes: the title and one per row.
    var height: Int { 1 + rows }

    /// The rack at a 0-based row and slot, if any.
    func rack(row: Int, slot: Int) -> Int? {
      guard row >= 0, row < rows, slot >= 0, slot < slots else { return nil }
      let value = grid[row * slots + slot]
      return value >= 0 ? Int(value) : nil
    }

    /// The virtual column of a slot's mark.
    func column(ofSlot slot: Int) -> Int { x + labelWidth + 1 + slot * 2 }
  }

  /// A rack's place: the hall (index into `halls`), its row and slot (0-based).
  struct Place: Equatable {
    var hall: Int
    var row: Int
    var slot: Int
  }

  /// The largest hall grid drawn; racks beyond it are still found by `/` and `:rack`.
  static let maxRows = 200
  static let maxSlots = 200

  var halls: [Hall] = []
  var hallIndex: [String: Int] = [:]
  /// The virtual rows the whole floor takes.
  var height = 0

  init(state: BuildoutState, width: Int) {
    var rows: [Int] = []
    var slots: [Int] = []
    var names: [String] = []
    var ids: [String] = []
    for plan in state.site.halls where hallIndex[plan.id] == nil {
      hallIndex[plan.id] = ids.count
      ids.append(plan.id)
      names.append(plan.name ?? "Hall " + plan.id)
      rows.append(min(Self.maxRows, max(0, plan.rows ?? 0)))
      slots.append(min(Self.maxSlots, max(0, plan.racksPerRow ?? 0)))
    }
    var placed: [(hall: Int, rack: Int)] = []
    placed.reserveCapacity(state.racks.count)
    for (index, rack) in state.racks.enumerated() {
      let hall: Int
      if let known = hallIndex[rack.hall] {
        hall = known
      } else {
        hall = ids.count
        hallIndex[rack.hall] = hall
        ids.append(rack.hall)
        names.append("Hall " + rack.hall)
        rows.append(0)
        slots.append(0)
      }
      guard rack.row >= 1, rack.slot >= 1, rack.row <= Self.maxRows, rack.slot <= Self.maxSlots else {
        continue
      }
      if rack.row > rows[hall] { rows[hall] = rack.row }
      if rack.slot > slots[hall] { slots[hall] = rack.slot }
      placed.append((hall, index))
    }
    halls = ids.indices.map { h in
      Hall(
        id: ids[h], name: names[h], rows: rows[h], slots: slots[h],
        grid: [Int32](repeating: -1, count: rows[h] * slots[h]), labelWidth: 1 + String(rows[h]).count)
    }
    for (hall, index) in placed {
      let rack = state.racks[index]
      halls[hall].grid[(rack.row - 1) * halls[hall].slots + rack.slot - 1] = Int32(index)
      halls[hall].racks += 1
      if rack.effectiveStage.isInstalled { halls[hall].installed += 1 }
    }
    arrange(width: width)
  }

  /// Places the halls left to right in bands as wide as `width`, a blank row between bands.
  mutating func arrange(width: Int) {
    let gap = 3
    var x = 0
    var y = 0
    var bandHeight = 0
    for h in halls.indices {
      let w = halls[h].width
      if x > 0, x + w > width {
        y += bandHeight + 1
        x = 0
        bandHeight = 0
      }
      halls[h].x = x
      halls[h].y = y
      bandHeight = max(bandHeight, halls[h].height)
      x += w + gap
    }
    height = halls.isEmpty ? 0 : y + bandHeight
  }

  /// Where a rack is drawn, if it is on the floor.
  func place(of rackID: String?, in state: BuildoutState) -> Place? {
    guard let rackID, let index = state.rackIndex[rackID] else { return nil }
    let rack = state.racks[index]
    guard let hall = hallIndex[rack.hall], halls[hall].rack(row: rack.row - 1, slot: rack.slot - 1) == index
    else { return nil }
    return Place(hall: hall, row: rack.row - 1, slot: rack.slot - 1)
  }

  /// The virtual row of a place.
  func y(of place: Place) -> Int { halls[place.hall].y + 1 + place.row }

  /// The rack drawn at a virtual position, if any.
  func rack(atX x: Int, y: Int) -> Int? {
    for hall in halls where y > hall.y && y <= hall.y + hall.rows && x >= hall.x && x < hall.x + hall.width {
      let column = x - hall.x - hall.labelWidth - 1
      guard column >= 0 else { return nil }
      return hall.rack(row: y - hall.y - 1, slot: column / 2)
    }
    return nil
  }

  /// The first rack in floor order (hall by hall, row by row, slot by slot), scanning from a place.
  ///
  /// `forward` walks towards the last rack; the start place itself is included.
  func scan(from start: Place, forward: Bool, where accept: (Int) -> Bool = { _ in true }) -> Place? {
    var place = start
    while true {
      if let rack = halls[place.hall].rack(row: place.row, slot: place.slot), accept(rack) { return place }
      guard let next = step(place, forward: forward) else { return nil }
      place = next
    }
  }

  /// The next position in floor order, or nil past either end.
  func step(_ place: Place, forward: Bool) -> Place? {
    var p = place
    let hall = halls[p.hall]
    if forward {
      p.slot += 1
      if p.slot >= hall.slots {
        p.slot = 0
        p.row += 1
      }
      if p.row >= hall.rows {
        var next = p.hall + 1
        while next < halls.count, halls[next].grid.isEmpty { next += 1 }
        guard next < halls.count else { return nil }
        p = Place(hall: next, row: 0, slot: 0)
      }
    } else {
      p.slot -= 1
      if p.slot < 0 {
        p.row -= 1
        p.slot = hall.slots - 1
      }
      if p.row < 0 {
        var previous = p.hall - 1
        while previous >= 0, halls[previous].grid.isEmpty { previous -= 1 }
        guard previous >= 0 else { return nil }
        p = Place(hall: previous, row: halls[previous].rows - 1, slot: halls[previous].slots - 1)
      }
    }
    return p
  }

  /// The first and last positions in floor order.
  var firstPlace: Place? {
    halls.firstIndex { !$0.grid.isEmpty }.map { Place(hall: $0, row: 0, slot: 0) }
  }
  var lastPlace: Place? {
    halls.lastIndex { !$0.grid.isEmpty }.map {
      Place(hall: $0, row: halls[$0].rows - 1, slot: halls[$0].slots - 1)
    }
  }

  /// The place `rows` rows above (negative) or below a place, across halls, at the nearest rack in that row.
  func move(_ place: Place, rows: Int) -> Place {
    var hall = place.hall
    var row = place.row + rows
    while row < 0 {
      var previous = hall - 1
      while previous >= 0, halls[previous].grid.isEmpty { previous -= 1 }
      guard previous >= 0 else {
        row = 0
        break
      }
      hall = previous
      row += halls[hall].rows
    }
    while row >= halls[hall].rows {
      var next = hall + 1
      while next < halls.count, halls[next].grid.isEmpty { next += 1 }
      guard next < halls.count else {
        row = halls[hall].rows - 1
        break
      }
      row -= halls[hall].rows
      hall = next
    }
    let h = halls[hall]
    let slot = min(place.slot, h.slots - 1)
    // The nearest rack in that row; else stay on the position (empty) so the next move goes on.
    for distance in 0..<max(1, h.slots) {
      if h.rack(row: row, slot: slot - distance) != nil {
        return Place(hall: hall, row: row, slot: slot - distance)
      }
      if h.rack(row: row, slot: slot + distance) != nil {
        return Place(hall: hall, row: row, slot: slot + distance)
      }
    }
    return Place(hall: hall, row: row, slot: slot)
  }
}
