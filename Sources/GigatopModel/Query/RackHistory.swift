/// The recent messages about each rack and its nodes, a few per rack, for the rack view.
///
/// Each rack keeps a small ring of its latest events (`capacity`), so memory stays bounded on a
/// 16,000-rack site (about a kilobyte a rack at most) and a busy rack never pushes out another's
/// history. Only messages that say something happened are kept: a stage change, a note, a node's
/// stage, GPU count or reason, a GPU's state or XID, an alert about the rack or one of its nodes.
public struct RackHistory: Sendable {
  /// Events kept per rack.
  public static let capacity = 12

  /// One rack's ring of events.
  struct Ring: Sendable {
    /// The rack it is about.
    var rackID: String
    var events: [RackEvent] = []
    /// Where the next event goes once the ring is full.
    var next = 0

    mutating func append(_ event: RackEvent) {
      // Room for a few events first (most racks see few), then for the whole ring in one step:
      // growing by doubling would copy it twice and end with room for 16.
      if events.isEmpty {
        events.reserveCapacity(4)
      } else if events.count == events.capacity && events.count < RackHistory.capacity {
        events.reserveCapacity(RackHistory.capacity)
      }
      if events.count < RackHistory.capacity {
        events.append(event)
      } else {
        events[next] = event
        next = (next + 1) % RackHistory.capacity
      }
    }

    /// The events, oldest first.
    var ordered: [RackEvent] {
      Array(events[next...] + events[..<next])
    }
  }

  /// Whether events are kept at all: a headless command that shows no rack view (`summary`)
  /// turns this off and saves the work.
  public var isKept = true

  /// Position in `rings` by rack id (a rack may have history before the rack itself is reported).
  var ringIndex = IDTable()
  var rings: [Ring] = []
  /// Where each rack's ring is in `rings`, by the rack's index in the state (-1: not known yet):
  /// a hint, checked before use (`append(_:toRack:rack:)`).
  var ringOfRack: [Int32] = []

  public init() {}

  /// The racks with any history, in the order their first event came.
  var rackIDs: [String] { ringIndex.ids }

  /// Makes room for the rings of `racks` racks.
  mutating func reserve(_ racks: Int) {
    guard isKept else { return }
    ringIndex.reserve(racks)
    rings.reserveCapacity(racks)
    ringOfRack.reserveCapacity(racks)
  }

  /// The events about a rack and its nodes, oldest first.
  public func events(forRack id: String) -> [RackEvent] {
    ringIndex[id].map { rings[$0].ordered } ?? []
  }

  /// Adds an event to a rack's history.
  mutating func append(_ event: RackEvent, toRack id: String) {
    var hint: Int32 = -1
    append(event, toRack: id, hint: &hint)
  }

  /// Adds an event to the history of a known rack, `r` its index in the state: where its ring is
  /// comes from `ringOfRack` (checked before use), so a rack's events are mostly added without
  /// looking its id up.
  mutating func append(_ event: RackEvent, toRack id: String, rack r: Int) {
    guard isKept, r >= 0 else { return }
    if r >= ringOfRack.count {
      ringOfRack.append(contentsOf: repeatElement(-1, count: r + 1 - ringOfRack.count))
    }
    var hint = ringOfRack[r]
    append(event, toRack: id, hint: &hint)
    ringOfRack[r] = hint
  }

  /// Adds an event to a rack's history; `hint` is where that rack's ring was last time (checked
  /// before use, updated after), which saves looking the id up.
  mutating func append(_ event: RackEvent, toRack id: String, hint: inout Int32) {
    guard isKept else { return }
    let h = Int(hint)
    if h >= 0, h < rings.count, rings[h].rackID == id {
      rings[h].append(event)
      return
    }
    // Looked up once: the lookup also says where a new rack's id goes.
    let found = ringIndex.lookup(id)
    if let i = found.value {
      rings[i].append(event)
      hint = Int32(truncatingIfNeeded: i)
    } else {
      hint = Int32(truncatingIfNeeded: rings.count)
      ringIndex.add(id, rings.count, at: found)
      rings.append(Ring(rackID: id))
      rings[rings.count - 1].append(event)
    }
  }

  /// The rack a message is about and the event it makes, judged against the state before it applies.
  ///
  /// Nil for messages about no rack, and for routine readings (a rack's kW alone).
  static func event(
    for message: FeedMessage, at ts: Double, in state: BuildoutState
  ) -> (rack: String, event: RackEvent)? {
    switch message {
    case .rack(let m):
      // Fields are read in place: a copy of the rack would retain its strings and slots.
      let old = state.rackIndex[m.id]
      let event = rackEvent(
        m, oldStage: old.flatMap { state.racks[$0].stage }, oldNote: old.flatMap { state.racks[$0].note },
        at: ts)
      return event.map { (m.id, $0) }
    case .node(let m):
      return nodeEvent(m, old: state.nodeIndex[m.id], in: state, at: ts)
    case .gpu(let m):
      guard let node = state.nodeIndex[m.node] else { return nil }
      return gpuEvent(m, records: state.nodes[node].gpuRecords, at: ts).map { (state.nodes[node].rackID, $0) }
    case .alert(let m):
      guard let ref = m.ref else { return nil }
      if state.rackIndex[ref] != nil {
        return (ref, RackEvent(ts: ts, node: nil, kind: .alert(m.severity, m.msg)))
      }
      if let node = state.nodeIndex[ref] {
        return (state.nodes[node].rackID, RackEvent(ts: ts, node: ref, kind: .alert(m.severity, m.msg)))
      }
      return nil
    default:
      return nil
    }
  }

  /// The rack a node message is about and the event it makes, judged against the node before it
  /// (`old`: its index, nil for a new node).
  static func nodeEvent(
    _ m: NodeMessage, old: Int?, in state: BuildoutState, at ts: Double
  ) -> (rack: String, event: RackEvent)? {
    guard let rack = (m.rack ?? nil) ?? old.map({ state.nodes[$0].rackID }) else { return nil }
    let newStage = m.stage.flatMap { $0 }
    let stageChanged = m.stage != nil && newStage != old.flatMap { state.nodes[$0].stage }
    let ok = m.gpusOK.flatMap { $0 }
    let reason = m.reason.flatMap { $0 }
    let okChanged = ok != nil && ok != old.flatMap { state.nodes[$0].gpusOK }
    let reasonChanged = reason != nil && reason != old.flatMap { state.nodes[$0].reason }
    guard stageChanged || okChanged || reasonChanged || old == nil else { return nil }
    return (
      rack,
      RackEvent(
        ts: ts, node: m.id,
        kind: .node(stage: stageChanged ? newStage : nil, gpusOK: ok, reason: reason, placed: old == nil))
    )
  }

  /// The event a rack message makes, judged against the rack's stage and note before it (nil, nil
  /// for a new rack).
  static func rackEvent(_ m: RackMessage, oldStage: Stage?, oldNote: String?, at ts: Double) -> RackEvent? {
    let newStage = m.stage.flatMap { $0 }
    let stageChanged = m.stage != nil && newStage != oldStage
    let note = m.note.flatMap { $0 }
    guard stageChanged || (note != nil && note != oldNote) else { return nil }
    return RackEvent(ts: ts, node: nil, kind: .rack(stage: stageChanged ? newStage : nil, note: note))
  }

  /// The event a GPU message about a known node makes, judged against the node's records before it.
  static func gpuEvent(_ m: GPUMessage, records: [GPURecord], at ts: Double) -> RackEvent? {
    let newState = m.state.flatMap { $0 }
    let xid = m.xid.flatMap { $0 }
    guard newState != nil || xid != nil else { return nil }
    let old = records.first { $0.index == m.index }
    guard newState != old?.state || (xid != nil && xid != old?.xid) else { return nil }
    return RackEvent(ts: ts, node: m.node, kind: .gpu(index: m.index, state: newState, xid: xid))
  }
}

/// Something that happened to a rack or one of its nodes, at a feed time.
public struct RackEvent: Equatable, Sendable {
  /// What happened.
  public enum Kind: Equatable, Sendable {
    /// The rack changed stage (nil: it did not) or got a note.
    case rack(stage: Stage?, note: String?)
    /// A node changed stage, GPU count or reason; `placed` when it was first reported.
    case node(stage: Stage?, gpusOK: Int?, reason: String?, placed: Bool)
    /// A GPU changed state or reported an XID.
    case gpu(index: Int, state: GPUState?, xid: Int?)
    /// An alert about the rack or one of its nodes.
    case alert(Severity, String)
  }

  public var ts: Double
  /// The node it is about, if any.
  public var node: String?
  public var kind: Kind
}
