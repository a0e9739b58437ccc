import GigatopModel

/// The `:` commands: what a typed line does, and how Tab completes it.
enum DrillCommand {
  /// The command names, as Tab completes them.
  static let names = ["rack", "node", "hall", "floor", "stuck", "theme", "goto", "quit"]

  /// The actions of a command line.
  static func actions(_ line: String, _ state: BuildoutState) -> [Action] {
    let words = line.split(separator: " ").map(String.init)
    guard let name = words.first else { return [] }
    let argument = words.dropFirst().joined(separator: " ")
    switch name.lowercased() {
    case "q", "q!", "quit", "qa":
      return [.quit]
    case "rack":
      guard !argument.isEmpty else { return [.drill(.notice("rack: which one? (:rack ID, Tab completes)"))] }
      return [.drill(.push(.rack(argument)))]
    case "node":
      guard !argument.isEmpty else { return [.drill(.notice("node: which one? (:node ID)"))] }
      return [.drill(.push(.node(argument)))]
    case "hall":
      guard !argument.isEmpty else { return [.drill(.notice("hall: which one? (:hall ID)"))] }
      return [.drill(.openHall(argument))]
    case "floor", "racks":
      return [.drill(.push(.floor))]
    case "stuck":
      return [.drill(.push(.stuck))]
    case "theme":
      guard !argument.isEmpty else { return [.drill(.notice("theme: which one? (:theme NAME)"))] }
      return [.setTheme(argument)]
    case "goto":
      guard let time = Timestamp.parseArgument(argument) else {
        return [
          .drill(
            .notice("goto \(argument): not a time (use 2024-07-25, 2024-07-25T12:00:00Z or Unix seconds)"))
        ]
      }
      return [.goto(time)]
    default:
      if words.count == 1, resolveRack(name, state) != nil { return [.drill(.push(.rack(name)))] }
      return [.drill(.notice("unknown command: \(name) (rack, node, hall, floor, stuck, theme, goto, q)"))]
    }
  }

  /// A rack id as the state spells it, matching exactly or else ignoring case.
  static func resolveRack(_ id: String, _ state: BuildoutState) -> String? {
    if state.rackIndex[id] != nil { return id }
    let lower = id.lowercased()
    return state.racks.first { $0.id.lowercased() == lower }?.id
  }

  /// A node id as the state spells it, matching exactly or else ignoring case.
  static func resolveNode(_ id: String, _ state: BuildoutState) -> String? {
    if state.nodeIndex[id] != nil { return id }
    let lower = id.lowercased()
    return state.nodes.first { $0.id.lowercased() == lower }?.id
  }

  /// The line completed as far as it is unambiguous: a command name, or a rack, node or hall id.
  static func complete(_ line: String, _ state: BuildoutState) -> String {
    guard let space = line.firstIndex(of: " ") else {
      let matches = names.filter { $0.hasPrefix(line.lowercased()) }
      guard let common = commonPrefix(matches) else { return line }
      return matches.count == 1 && common != "floor" && common != "stuck" && common != "quit"
        ? common + " " : common
    }
    let name = line[..<space].lowercased()
    var argument = String(line[line.index(after: space)...])
    while argument.first == " " { argument.removeFirst() }
    let candidates: [String]
    switch name {
    case "rack": candidates = state.racks.map(\.id)
    case "node": candidates = state.nodes.map(\.id)
    case "hall": candidates = FloorLayout(state: state, width: 0).halls.map(\.id)
    case "theme": candidates = ["default", "mono"]
    default: return line
    }
    let lower = argument.lowercased()
    let matches = candidates.filter { $0.lowercased().hasPrefix(lower) }
    guard let common = commonPrefix(matches), common.count >= argument.count else { return line }
    return name + " " + common
  }

  /// The longest prefix the strings share, ignoring case (spelled as the first one); nil for none.
  static func commonPrefix(_ strings: [String]) -> String? {
    guard var prefix = strings.first.map(Array.init) else { return nil }
    for string in strings.dropFirst() {
      let other = Array(string)
      var n = 0
      while n < prefix.count, n < other.count, prefix[n].lowercased() == other[n].lowercased() { n += 1 }
      prefix.removeLast(prefix.count - n)
      if prefix.isEmpty { break }
    }
    return String(prefix)
  }
}
