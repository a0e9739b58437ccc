/// Everything known about the build-out: the reduction of every feed message read so far.
///
/// `apply` is the only way state changes. A message that breaks a rule is
/// rejected whole and leaves the state exactly as it was.
public struct BuildoutState: Equatable, Sendable {
  public internal(set) var site = SitePlan()
  /// Whether a `site` message (or snapshot site) was seen.
  public internal(set) var hasSite = false
  public internal(set) var racks: [Rack] = []
  /// Rack index (into `racks`) by rack id.
  public internal(set) var rackIndex = IDTable()
  public internal(set) var nodes: [Node] = []
  /// Node index (into `nodes`) by node id.
  public internal(set) var nodeIndex = IDTable()
  /// Nodes whose rack has not been seen yet, by rack id.
  var nodesAwaitingRack: [String: [Int]] = [:]
  /// GPUs reported for nodes not yet placed, by node id.
  public internal(set) var pendingGPUs: [String: [GPURecord]] = [:]
  /// Serial numbers reported for those GPUs, by node id and GPU index.
  public internal(set) var pendingSerials: [String: [Int: String]] = [:]
  public internal(set) var shipments: [Shipment] = []
  var shipmentIndex: [String: Int] = [:]
  /// Need per chip SKU, in first-seen order.
  public internal(set) var supply: [(sku: String, needed: Int?, leadTimeDays: Double?)] = []
  public internal(set) var power: PowerReading?
  public internal(set) var powerSources: [PowerSource] = []
  public internal(set) var fabric: FabricStatus?
  public internal(set) var gates: [Gate] = []
  public internal(set) var job: JobStatus?
  /// The most recent alerts, oldest first, at most `alertLimit`.
  public var alerts: [Alert] { recentAlerts.items }
  var recentAlerts = RecentItems<Alert>(limit: BuildoutState.alertLimit)
  /// The latest feed time seen.
  public internal(set) var now: Double?
  /// When the first message was observed.
  public internal(set) var start: Double?
  public internal(set) var counters = FeedCounters()
  /// Facility draw over feed time, MW.
  public internal(set) var facilitySeries = Series()
  /// IT draw over feed time, MW.
  public internal(set) var itSeries = Series()
  /// GPUs in the pool, sampled every six feed hours.
  public internal(set) var poolSeries = Series()
  /// GPUs installed, sampled every six feed hours.
  public internal(set) var installedSeries = Series()
  var lastSampleBucket: Int?
  /// Whether the id tables' room for the plan is cleared when reserved rather than as it is first
  /// used (`IDTable.reserve(_:atOnce:)`): for whole-file loads, where no frame waits on the site
  /// message's batch. Not part of equality.
  var reservesAtOnce = false
  /// The node the last GPU message was about, and its index: readings come node by node, so
  /// most GPU messages find their node here without a lookup. (Node indexes never change while
  /// the state lasts; a snapshot starts a new state, and this with it.) Not part of equality.
  var lastGPUNode: (id: String, index: Int)?
  /// The rack last looked up by `rackIndex(memo:)`, and its index: a rack's nodes come one after
  /// another, and its GPUs' readings likewise. (Rack indexes never change while the state
  /// lasts.) Not part of equality.
  var lastRack: (id: String, index: Int)?
  /// The slot table of a rack with no node reported (`nodes_per_rack` slots of -1), shared by
  /// every such rack. Not part of equality.
  var emptySlots: [Int32] = []
  /// Seconds of feed time between samples of the pool and installed series.
  public static let sampleInterval = 6 * 3600.0

  /// How many alerts are kept.
  public static let alertLimit = 200
  /// The recent events of each rack (a small ring per rack), for the rack view.
  public internal(set) var rackHistory = RackHistory()
  /// GPU counts by stage, kept up to date as messages are applied: always what
  /// `Accounting.gpuTotals` would count, without its scan of every rack and node.
  public internal(set) var gpuTotals = Accounting.GPUTotals()

  public init() {}

  public static func == (lhs: BuildoutState, rhs: BuildoutState) -> Bool {
    lhs.site == rhs.site && lhs.hasSite == rhs.hasSite && lhs.racks == rhs.racks && lhs.nodes == rhs.nodes
      && lhs.pendingGPUs == rhs.pendingGPUs
      && lhs.pendingSerials == rhs.pendingSerials && lhs.shipments == rhs.shipments
      && lhs.supply.elementsEqual(
        rhs.supply, by: { $0.sku == $1.sku && $0.needed == $1.needed && $0.leadTimeDays == $1.leadTimeDays })
      && lhs.power == rhs.power && lhs.powerSources == rhs.powerSources && lhs.fabric == rhs.fabric
      && lhs.gates == rhs.gates && lhs.job == rhs.job && lhs.alerts == rhs.alerts && lhs.now == rhs.now
      && lhs.counters == rhs.counters
  }

  /// Applies one decoded message; throws the reason when it breaks a rule (the state is then unchanged).
  public mutating func apply(_ envelope: Envelope) throws(LineError) {
    switch envelope.message {
    case .gpu(let m):
      try applyGPUMessage(m, at: envelope.ts, unknownFields: envelope.unknownFields)
    case .node(let m):
      try applyNodeMessage(m, at: envelope.ts, unknownFields: envelope.unknownFields)
    case .rack(let m):
      try applyRackMessage(m, at: envelope.ts, unknownFields: envelope.unknownFields)
    default:
      try applyGeneral(envelope)
    }
  }

  /// `apply` for a rack message: to the rack it names, or a new one.
  mutating func applyRackMessage(_ m: RackMessage, at ts: Double, unknownFields: Int) throws(LineError) {
    let found = rackIndex.lookup(m.id)
    if let r = found.value {
      try applyRackMessage(m, rack: r, at: ts, unknownFields: unknownFields)
    } else {
      try applyNewRackMessage(m, at: ts, found: found, unknownFields: unknownFields)
    }
  }

  /// `apply` for every message type, counting plainly (the reference the fast paths are tested against).
  mutating func applyGeneral(_ envelope: Envelope) throws(LineError) {
    // Every reducer checks its message fully before it changes anything, so a throw leaves the
    // state as it was without copying it first (a copy would cost O(racks) per message).
    let event = rackHistory.isKept ? RackHistory.event(for: envelope.message, at: envelope.ts, in: self) : nil
    // The GPU totals change only through the racks a message touches: their share is taken out
    // before and put back after (a site or snapshot message counts everything again).
    let touchedBefore = touchedRacks(envelope.message)
    moveRackShares(touchedBefore, sign: -1)
    do throws(ReasonError) {
      try reduce(envelope.message, at: envelope.ts)
    } catch {
      moveRackShares(touchedBefore, sign: 1)
      countRejectedLine()
      throw LineError(reason: error.reason)
    }
    switch envelope.message {
    case .site, .snapshot:
      gpuTotals = Accounting.gpuTotals(self)
    default:
      // Node and GPU messages touch no rack that was not there before (they create none); a rack
      // message may create its rack.
      var touched = touchedBefore
      if touched.isEmpty, case .rack(let m) = envelope.message, let rack = rackIndex[m.id] {
        touched = [rack]
      }
      moveRackShares(touched, sign: 1)
    }
    if case .unknown = envelope.message {
      counters.lines += 1
      counters.ignored += 1
    } else {
      countApplied(unknownFields: envelope.unknownFields)
    }
    if let event { rackHistory.append(event.event, toRack: event.rack) }
    advanceClock(to: envelope.ts)
  }

  /// `apply` for the most common message, a GPU's reading: the node is looked up once, its rack
  /// once, the history event is judged in place, and the GPU totals change by the node's share
  /// alone (the only share a GPU's record can change). Same outcome as the general path.
  mutating func applyGPUMessage(_ m: GPUMessage, at ts: Double, unknownFields: Int) throws(LineError) {
    try withUnsafePointer(to: m) { p throws(LineError) in
      try applyGPUMessage(at: p, at: ts, unknownFields: unknownFields)
    }
  }

  /// `applyGPUMessage` of a message read where it is (`m`): a chunk's decoded messages are
  /// applied in place, and a message passed by value from there would be copied first (its
  /// memory might be the state's, which the call changes).
  mutating func applyGPUMessage(
    at message: UnsafePointer<GPUMessage>, at ts: Double, unknownFields: Int
  ) throws(LineError) {
    let m = message
    let known: Int?
    if let last = lastGPUNode, last.id == m.pointee.node {
      known = last.index
    } else if let last = lastGPUNode, last.index + 1 < nodes.count, nodes[last.index + 1].id == m.pointee.node
    {
      // Readings sweep the nodes mostly in the order they were added: the next node is the
      // likeliest, and reading it costs less than a lookup that misses the cache.
      known = last.index + 1
      lastGPUNode = (m.pointee.node, last.index + 1)
    } else {
      known = nodeIndex[m.pointee.node]
      if let known { lastGPUNode = (m.pointee.node, known) }
    }
    if let n = known {
      let count = nodes[n].gpus ?? site.gpusPerNode
      if m.pointee.index >= count {
        countRejectedLine()
        throw LineError(
          reason: "field index: \(m.pointee.index) is beyond node \(m.pointee.node)'s \(count) GPUs")
      }
      let event =
        rackHistory.isKept ? RackHistory.gpuEvent(m.pointee, records: nodes[n].gpuRecords, at: ts) : nil
      // Where the GPU's record is (or goes): found once, for its old state and for the update.
      let place = Self.place(ofGPU: m.pointee.index, in: nodes[n].gpuRecords)
      // The totals count failed and degraded GPUs: only a state moving into or out of one of
      // those can change them.
      var moves = false
      if let newState = m.pointee.state {
        let oldState = place.found ? nodes[n].gpuRecords[place.position].state : nil
        moves = newState != oldState && (Self.isUnwell(oldState) || Self.isUnwell(newState))
      }
      // Whether the node holds its slot in its rack (only then do its GPUs count).
      var counted = false
      var rack: Int?
      if moves, let r = rackIndex(memo: nodes[n].rackID) {
        rack = r
        let slot = nodes[n].slot
        counted = slot >= 1 && slot <= racks[r].slots.count && racks[r].slots[slot - 1] == Int32(n)
      }
      let before = counted ? Accounting.gpuShare(ofNode: n, in: self) : nil
      mergeGPU(m, intoNode: n, at: place, gpus: count, at: ts)
      if let before, let rack {
        let after = Accounting.gpuShare(ofNode: n, in: self)
        let stage = nodes[n].stage?.rank ?? racks[rack].effectiveStage.rank
        gpuTotals.failed += after.failed - before.failed
        gpuTotals.degraded += after.degraded - before.degraded
        gpuTotals.byStage[stage] += before.failed - after.failed
      }
      countApplied(unknownFields: unknownFields)
      if let event { rackHistory.append(event, toRack: nodes[n].rackID, hint: &nodes[n].ringPosition) }
    } else {
      mergePendingGPU(m, at: ts)
      countApplied(unknownFields: unknownFields)
    }
    advanceClock(to: ts)
  }

  /// The index of the rack `id`, if there is one: from `lastRack` when it is the same rack (no
  /// hashing, and no probe of a table that mostly misses the cache), else looked up and kept.
  @inline(__always) private mutating func rackIndex(memo id: String) -> Int? {
    if let last = lastRack, last.id == id { return last.index }
    guard let r = rackIndex[id] else { return nil }
    lastRack = (id, r)
    return r
  }

  /// `apply` for a message about a rack already known (most rack messages: readings and stage
  /// changes): one lookup, the history event judged in place, and the GPU totals moved only when
  /// the stage changes (a rack message changes nothing else they count). Same outcome as the
  /// general path.
  mutating func applyRackMessage(
    _ m: RackMessage, rack r: Int, at ts: Double, unknownFields: Int
  ) throws(LineError) {
    let event =
      rackHistory.isKept
      ? RackHistory.rackEvent(m, oldStage: racks[r].stage, oldNote: racks[r].note, at: ts) : nil
    let stageMoves = m.stage.map { ($0 ?? .planned) != racks[r].effectiveStage } ?? false
    if stageMoves { moveRackShares(CollectionOfOne(r), sign: -1) }
    do throws(ReasonError) {
      try updateRack(r, with: m, at: ts)
    } catch {
      if stageMoves { moveRackShares(CollectionOfOne(r), sign: 1) }
      countRejectedLine()
      throw LineError(reason: error.reason)
    }
    if stageMoves { moveRackShares(CollectionOfOne(r), sign: 1) }
    countApplied(unknownFields: unknownFields)
    if let event { rackHistory.append(event, toRack: m.id, rack: r) }
    advanceClock(to: ts)
  }

  /// `apply` for a message about a rack not known yet: the rack is made without looking its id up
  /// again, and the GPU totals gain its share (it had none). Same outcome as the general path.
  /// (`found` is what looking its id up found: nothing, and where it goes.)
  mutating func applyNewRackMessage(
    _ m: RackMessage, at ts: Double, found: IDTable.Lookup, unknownFields: Int
  ) throws(LineError) {
    let event = rackHistory.isKept ? RackHistory.rackEvent(m, oldStage: nil, oldNote: nil, at: ts) : nil
    let r: Int
    do throws(ReasonError) {
      r = try addRack(m, at: ts, found: found)
    } catch {
      countRejectedLine()
      throw LineError(reason: error.reason)
    }
    moveRackShares(CollectionOfOne(r), sign: 1)
    countApplied(unknownFields: unknownFields)
    if let event { rackHistory.append(event, toRack: m.id, rack: r) }
    advanceClock(to: ts)
  }

  /// `apply` for a node message: the GPU totals move by the shares of the (at most two) rack
  /// slots it changes, where the node is and where it goes, instead of by its racks' whole
  /// shares. Same outcome as the general path.
  mutating func applyNodeMessage(_ m: NodeMessage, at ts: Double, unknownFields: Int) throws(LineError) {
    // Each id is looked up once (a lookup mostly misses the cache): the node's, and its rack's.
    let found = nodeIndex.lookup(m.id)
    let existing = found.value
    let event = rackHistory.isKept ? RackHistory.nodeEvent(m, old: existing, in: self, at: ts) : nil
    // Plain `if let`s and every argument in a local first: a call to a method of `self` whose
    // arguments read `self` (or one in a closure) copies the whole state here, a retain and a
    // release of each of its stored references, per message.
    var rackID = m.rack ?? nil
    var slotWanted = m.slot ?? nil
    if let n = existing {
      if rackID == nil { rackID = nodes[n].rackID }
      if slotWanted == nil { slotWanted = nodes[n].slot }
    }
    var rack: Int?
    if let rackID { rack = rackIndex(memo: rackID) }
    var here: (rack: Int, slot: Int)?
    if let n = existing {
      let ownRack = nodes[n].rackID
      let placedRack = rackID == ownRack ? rack : rackIndex[ownRack]
      here = placedPosition(ofNode: n, rack: placedRack)
    }
    var there: (rack: Int, slot: Int)?
    if let r = rack, let slot = slotWanted, slot >= 1, slot <= racks[r].slots.count {
      there = (r, slot - 1)
    }
    if let a = here, let b = there, a == b { there = nil }
    moveSlotShares(here, there, sign: -1)
    do throws(ReasonError) {
      try applyNode(m, at: ts, found: found, rack: rack)
    } catch {
      moveSlotShares(here, there, sign: 1)
      countRejectedLine()
      throw LineError(reason: error.reason)
    }
    moveSlotShares(here, there, sign: 1)
    countApplied(unknownFields: unknownFields)
    if let event { rackHistory.append(event.event, toRack: event.rack) }
    advanceClock(to: ts)
  }

  /// Where node `n` holds a slot, if it does: its rack's index and the slot's position. `rack`
  /// is the index of the node's rack (nil: no such rack yet).
  func placedPosition(ofNode n: Int, rack: Int?) -> (rack: Int, slot: Int)? {
    guard let r = rack else { return nil }
    let slot = nodes[n].slot
    guard slot >= 1, slot <= racks[r].slots.count, racks[r].slots[slot - 1] == Int32(n) else { return nil }
    return (r, slot - 1)
  }

  /// Adds (`sign` 1) or takes away (-1) the GPU shares of whole racks from the totals.
  private mutating func moveRackShares(_ touched: some Collection<Int>, sign: Int) {
    guard !touched.isEmpty else { return }
    changeTotals { racks, nodes, perNode, totals in
      for r in touched {
        Accounting.addGPUs(ofRack: r, racks: racks, nodes: nodes, perNode: perNode, to: &totals, sign: sign)
      }
    }
  }

  /// Adds (`sign` 1) or takes away (-1) the GPU shares of up to two rack slots from the totals.
  private mutating func moveSlotShares(_ a: (rack: Int, slot: Int)?, _ b: (rack: Int, slot: Int)?, sign: Int)
  {
    guard a != nil || b != nil else { return }
    changeTotals { racks, nodes, perNode, totals in
      if let a {
        Accounting.addGPUs(
          ofSlot: a.slot, ofRack: a.rack, racks: racks, nodes: nodes, perNode: perNode, to: &totals,
          sign: sign)
      }
      if let b {
        Accounting.addGPUs(
          ofSlot: b.slot, ofRack: b.rack, racks: racks, nodes: nodes, perNode: perNode, to: &totals,
          sign: sign)
      }
    }
  }

  /// Changes the GPU totals in place, with the rack and node tables at hand.
  private mutating func changeTotals(
    _ body: (UnsafeBufferPointer<Rack>, UnsafeBufferPointer<Node>, Int, inout Accounting.GPUTotals) -> Void
  ) {
    let perNode = site.gpusPerNode
    racks.withUnsafeBufferPointer { racks in
      nodes.withUnsafeBufferPointer { nodes in body(racks, nodes, perNode, &gpuTotals) }
    }
  }

  /// Whether a GPU state is one the totals count apart (failed or degraded).
  @inline(__always) static func isUnwell(_ state: GPUState?) -> Bool {
    state == .failed || state == .degraded
  }

  /// Counts a line that could not be decoded, or a message that broke a rule.
  public mutating func countRejectedLine() {
    counters.lines += 1
    counters.rejected += 1
  }

  /// Counts a message applied, with the fields it had that this version does not know.
  mutating func countApplied(unknownFields: Int) {
    counters.lines += 1
    counters.applied += 1
    counters.unknownFields += unknownFields
  }

  mutating func advanceClock(to ts: Double) {
    if start.map({ ts < $0 }) ?? true { start = ts }
    guard now.map({ ts > $0 }) ?? true else { return }
    now = ts
    let bucket = Int((ts / Self.sampleInterval).rounded(.down))
    if lastSampleBucket != bucket {
      lastSampleBucket = bucket
      let totals = gpuTotals
      poolSeries.append(Sample(ts: ts, value: Double(totals.inPool)))
      installedSeries.append(Sample(ts: ts, value: Double(totals.installed)))
    }
  }

  /// The racks (by index) whose GPUs a rack, node or GPU message may change, as the state is now.
  func touchedRacks(_ message: FeedMessage) -> [Int] {
    switch message {
    case .rack(let m):
      return rackIndex[m.id].map { [$0] } ?? []
    case .node(let m):
      var result: [Int] = []
      if let node = nodeIndex[m.id], let rack = rackIndex[nodes[node].rackID] { result.append(rack) }
      if let id = m.rack ?? nil, let rack = rackIndex[id], !result.contains(rack) { result.append(rack) }
      return result
    case .gpu(let m):
      if let node = nodeIndex[m.node], let rack = rackIndex[nodes[node].rackID] { return [rack] }
      return []
    default:
      return []
    }
  }

  mutating func reduce(_ message: FeedMessage, at ts: Double) throws(ReasonError) {
    switch message {
    case .site(let m): applySite(m)
    case .rack(let m): try applyRack(m, at: ts)
    case .node(let m): try applyNode(m, at: ts)
    case .gpu(let m): try applyGPU(m, at: ts)
    case .shipment(let m): applyShipment(m, at: ts)
    case .supply(let m): applySupply(m)
    case .power(let m): applyPower(m, at: ts)
    case .powerSource(let m): applyPowerSource(m, at: ts)
    case .fabric(let m): try applyFabric(m, at: ts)
    case .gate(let m): applyGate(m, at: ts)
    case .job(let m): applyJob(m, at: ts)
    case .alert(let m):
      recentAlerts.append(Alert(ts: ts, severity: m.severity, ref: m.ref, msg: m.msg))
    case .snapshot(let m): try applySnapshot(m, at: ts)
    case .unknown: break
    }
  }

  mutating func applySite(_ m: SiteMessage) {
    hasSite = true
    if let v = m.id { site.id = v }
    if let v = m.name { site.name = v }
    if let v = m.targetGPUs { site.targetGPUs = v }
    if let v = m.deadline { site.deadline = v }
    if let v = m.gpuModel { site.gpuModel = v }
    if let v = m.gpusPerNode { site.gpusPerNode = v ?? 8 }
    if let v = m.nodesPerRack {
      site.nodesPerRack = v ?? 8
      for i in racks.indices { resizeSlots(of: i) }
    }
    if let v = m.halls { site.halls = v ?? [] }
    if let v = m.job { site.job = v }
    reserveForPlan()
  }

  /// Makes room for the racks and nodes the plan describes, so the tables do not grow (and copy
  /// themselves) step by step while a large site is read. A plan is only a hint: at most 262,144
  /// racks and 2,097,152 nodes are reserved.
  mutating func reserveForPlan() {
    var planned = 0
    for hall in site.halls {
      planned += min(100_000, hall.rows ?? 0) * min(100_000, hall.racksPerRow ?? 0)
      if planned > 262_144 { break }
    }
    let racksWanted = min(planned, 262_144)
    guard racksWanted > racks.count else { return }
    // Half as many again for nodes: feeds replace and rename nodes (each new id is a new node).
    let nodesWanted = min(racksWanted * site.nodesPerRack * 3 / 2, 2_097_152)
    racks.reserveCapacity(racksWanted)
    rackIndex.reserve(racksWanted, atOnce: reservesAtOnce)
    rackHistory.reserve(racksWanted)
    if nodesWanted > nodes.count {
      nodes.reserveCapacity(nodesWanted)
      nodeIndex.reserve(nodesWanted, atOnce: reservesAtOnce)
    }
  }

  /// Makes a rack's slot table match `nodes_per_rack`; nodes beyond it stay known but uncounted.
  mutating func resizeSlots(of rack: Int) {
    let n = site.nodesPerRack
    if racks[rack].slots.count == n { return }
    var slots = [Int32](repeating: -1, count: n)
    for (i, node) in nodes.enumerated() where node.rackID == racks[rack].id && node.slot <= n {
      slots[node.slot - 1] = Int32(i)
      racks[rack].hasNodes = true
    }
    racks[rack].slots = slots
  }

  mutating func applyRack(_ m: RackMessage, at ts: Double) throws(ReasonError) {
    let found = rackIndex.lookup(m.id)
    if let index = found.value {
      try updateRack(index, with: m, at: ts)
      return
    }
    _ = try addRack(m, at: ts, found: found)
  }

  /// Adds the rack a message reports for the first time (its id is not known); its index.
  /// `found` is what `rackIndex.lookup` found for its id: nothing, and where it goes.
  mutating func addRack(_ m: RackMessage, at ts: Double, found: IDTable.Lookup) throws(ReasonError) -> Int {
    guard let hall = m.hall ?? nil, let row = m.row ?? nil, let slot = m.slot ?? nil else {
      throw ReasonError("rack \(m.id) is new: hall, row and slot are needed the first time")
    }
    // Every new rack shares one table of empty slots until a node is placed in it (then it gets
    // its own): no allocation per rack.
    if emptySlots.count != site.nodesPerRack { emptySlots = [Int32](repeating: -1, count: site.nodesPerRack) }
    // Made in the table and filled there: a rack made apart was copied into it.
    let index = racks.count
    racks.append(Rack(id: m.id, hall: hall, row: row, slot: slot, stageSince: ts))
    Self.update(&racks[index], with: m, at: ts)
    racks[index].stageSince = ts
    racks[index].slots = emptySlots
    rackIndex.add(m.id, index, at: found)
    if !nodesAwaitingRack.isEmpty, let waiting = nodesAwaitingRack.removeValue(forKey: m.id) {
      for node in waiting where nodes[node].slot <= site.nodesPerRack {
        racks[index].slots[nodes[node].slot - 1] = Int32(node)
        racks[index].hasNodes = true
      }
    }
    return index
  }

  /// Applies a rack message to the known rack at `index`.
  mutating func updateRack(_ index: Int, with m: RackMessage, at ts: Double) throws(ReasonError) {
    let up = m.linksUp ?? racks[index].linksUp
    let total = m.linksTotal ?? racks[index].linksTotal
    if let up, let total, up > total {
      throw ReasonError("field links_up: \(up) is above links_total \(total) of rack \(m.id)")
    }
    if let v = m.hall { racks[index].hall = v ?? racks[index].hall }
    if let v = m.row { racks[index].row = v ?? racks[index].row }
    if let v = m.slot { racks[index].slot = v ?? racks[index].slot }
    Self.update(&racks[index], with: m, at: ts)
  }

  private static func update(_ rack: inout Rack, with m: RackMessage, at ts: Double) {
    if let v = m.pod { rack.pod = v }
    if let v = m.stage, v != rack.stage {
      rack.stage = v
      rack.stageSince = ts
      if rack.installedAt == nil, let stage = v, stage.isInstalled { rack.installedAt = ts }
    }
    if let v = m.kw { rack.kw = v }
    if let v = m.inletC { rack.inletC = v }
    if let v = m.linksUp { rack.linksUp = v }
    if let v = m.linksTotal { rack.linksTotal = v }
    if let v = m.note { rack.note = v }
  }

  mutating func applyNode(_ m: NodeMessage, at ts: Double) throws(ReasonError) {
    let found = nodeIndex.lookup(m.id)
    let rackID = (m.rack ?? nil) ?? found.value.map { nodes[$0].rackID }
    try applyNode(m, at: ts, found: found, rack: rackID.flatMap { rackIndex[$0] })
  }

  /// `applyNode` with the node's id looked up (`found`) and the index of the rack it ends up in
  /// (nil: not known yet).
  private mutating func applyNode(
    _ m: NodeMessage, at ts: Double, found: IDTable.Lookup, rack: Int?
  )
    throws(ReasonError)
  {
    let existing = found.value
    let rackID = (m.rack ?? nil) ?? existing.map { nodes[$0].rackID }
    let slot = (m.slot ?? nil) ?? existing.map { nodes[$0].slot }
    guard let rackID, let slot else {
      throw ReasonError("node \(m.id) is new: rack and slot are needed the first time")
    }
    if hasSite, slot > site.nodesPerRack {
      throw ReasonError("field slot: \(slot) is beyond nodes_per_rack \(site.nodesPerRack)")
    }
    // Checked first, then changed: a known node in place, neither copied out nor written back.
    let gpusOK = m.gpusOK ?? existing.flatMap { nodes[$0].gpusOK }
    let gpus = m.gpus ?? existing.flatMap { nodes[$0].gpus }
    if let ok = gpusOK, let gpus = gpus ?? Optional(site.gpusPerNode), ok > gpus {
      throw ReasonError("field gpus_ok: \(ok) is above the node's \(gpus) GPUs")
    }
    let index: Int
    if let existing {
      if nodes[existing].rackID != rackID || nodes[existing].slot != slot {
        unplace(existing)
        nodes[existing].rackID = rackID
        nodes[existing].slot = slot
      }
      Self.update(&nodes[existing], with: m, at: ts)
      index = existing
    } else {
      // Made in the table and filled there: a node made apart was copied into it.
      index = nodes.count
      nodes.append(Node(id: m.id, rackID: rackID, slot: slot, stageSince: ts))
      Self.update(&nodes[index], with: m, at: ts)
      if !pendingGPUs.isEmpty, let pending = pendingGPUs.removeValue(forKey: m.id) {
        nodes[index].gpuRecords = pending
      }
      if !pendingSerials.isEmpty, let serials = pendingSerials.removeValue(forKey: m.id) {
        nodes[index].serials = serials
      }
      nodeIndex.add(m.id, index, at: found)
    }
    place(index, rack: rack)
  }

  /// Sets what a node message reports (besides its rack and slot) on the node, in place.
  private static func update(_ node: inout Node, with m: NodeMessage, at ts: Double) {
    if let v = m.u { node.u = v }
    if let v = m.stage, v != node.stage {
      node.stage = v
      node.stageSince = ts
    }
    if let v = m.kw { node.kw = v }
    if let v = m.gpus { node.gpus = v }
    if let v = m.gpusOK { node.gpusOK = v }
    if let v = m.reason { node.reason = v }
  }

  /// Removes a node from its rack's slot table (before it moves).
  private mutating func unplace(_ index: Int) {
    // The fields are read, not the node copied (its strings and records would be retained).
    let rackID = nodes[index].rackID
    let slot = nodes[index].slot
    if let rack = rackIndex[rackID], slot <= racks[rack].slots.count,
      racks[rack].slots[slot - 1] == Int32(index)
    {
      racks[rack].slots[slot - 1] = -1
    } else if var waiting = nodesAwaitingRack[rackID] {
      waiting.removeAll { $0 == index }
      nodesAwaitingRack[rackID] = waiting.isEmpty ? nil : waiting
    }
  }

  /// Puts a node into its rack's slot table (`rack`: the rack's index), or waits for the rack
  /// (nil). The latest placement wins a slot.
  private mutating func place(_ index: Int, rack: Int?) {
    let rackID = nodes[index].rackID
    let slot = nodes[index].slot
    if let rack {
      if slot <= racks[rack].slots.count {
        racks[rack].slots[slot - 1] = Int32(index)
        racks[rack].hasNodes = true
      }
    } else if !(nodesAwaitingRack[rackID]?.contains(index) ?? false) {
      nodesAwaitingRack[rackID, default: []].append(index)
    }
  }

  mutating func applyGPU(_ m: GPUMessage, at ts: Double) throws(ReasonError) {
    let node = nodeIndex[m.node]
    let count = node.map { nodes[$0].gpus ?? site.gpusPerNode }
    if let count, m.index >= count {
      throw ReasonError("field index: \(m.index) is beyond node \(m.node)'s \(count) GPUs")
    }
    withUnsafePointer(to: m) { p in
      if let node, let count {
        mergeGPU(
          p, intoNode: node, at: Self.place(ofGPU: m.index, in: nodes[node].gpuRecords), gpus: count, at: ts)
      } else {
        mergePendingGPU(p, at: ts)
      }
    }
  }

  /// Merges a GPU message into node `n`: its record (at `place`, found by `place(ofGPU:in:)`;
  /// a node's first record makes room for its `gpus`), and its serial if the message has one.
  private mutating func mergeGPU(
    _ m: UnsafePointer<GPUMessage>, intoNode n: Int, at place: (position: Int, found: Bool), gpus: Int,
    at ts: Double
  ) {
    if nodes[n].gpuRecords.isEmpty { nodes[n].gpuRecords.reserveCapacity(min(gpus, 64)) }
    Self.merge(m, at: place, into: &nodes[n].gpuRecords, at: ts)
    if let v = m.pointee.serial { nodes[n].setSerial(v, ofGPU: m.pointee.index) }
  }

  /// Keeps a GPU message for a node not placed yet: its record, and its serial (a null one
  /// forgets the serial) if the message has one.
  private mutating func mergePendingGPU(_ m: UnsafePointer<GPUMessage>, at ts: Double) {
    let node = m.pointee.node
    var records = pendingGPUs.removeValue(forKey: node) ?? []
    Self.merge(m, at: Self.place(ofGPU: m.pointee.index, in: records), into: &records, at: ts)
    pendingGPUs[node] = records
    guard let serial = m.pointee.serial else { return }
    var serials = pendingSerials.removeValue(forKey: node) ?? [:]
    serials[m.pointee.index] = serial
    if !serials.isEmpty { pendingSerials[node] = serials }
  }

  /// `merge` with the record's place already found (`place(ofGPU:in:)`); the message read where it
  /// is (see `applyGPUMessage(at:at:unknownFields:)`).
  private static func merge(
    _ m: UnsafePointer<GPUMessage>, at place: (position: Int, found: Bool), into records: inout [GPURecord],
    at ts: Double
  ) {
    if place.found {
      update(&records[place.position], with: m, at: ts)
      return
    }
    // A new record is made whole and put in once (most go last: appended).
    var record = GPURecord(index: m.pointee.index, updatedAt: ts)
    update(&record, with: m, at: ts)
    if place.position == records.count {
      records.append(record)
    } else {
      records.insert(record, at: place.position)
    }
  }

  /// Where the record of GPU `index` is among a node's records (sorted by index), or where it goes,
  /// and whether it is there. A node's GPUs are first reported in order, so a new one most often
  /// goes last: that is checked first.
  @inline(__always) static func place(
    ofGPU index: Int, in records: [GPURecord]
  ) -> (position: Int, found: Bool) {
    guard !records.isEmpty, records[records.count - 1].index >= index else { return (records.count, false) }
    var position = 0
    while records[position].index < index { position += 1 }
    return (position, records[position].index == index)
  }

  /// Sets what a GPU message reports on its record, in place.
  private static func update(_ record: inout GPURecord, with m: UnsafePointer<GPUMessage>, at ts: Double) {
    if let v = m.pointee.state { record.state = v }
    if let v = m.pointee.tempC { record.tempC = v }
    if let v = m.pointee.powerW { record.powerW = v }
    if let v = m.pointee.xid { record.xid = v }
    record.updatedAt = ts
  }

  mutating func applyShipment(_ m: ShipmentMessage, at ts: Double) {
    let index: Int
    if let existing = shipmentIndex[m.id] {
      index = existing
    } else {
      index = shipments.count
      shipments.append(Shipment(id: m.id, updatedAt: ts))
      shipmentIndex[m.id] = index
    }
    var s = shipments[index]
    if let v = m.po { s.po = v }
    if let v = m.vendor { s.vendor = v }
    if let v = m.sku { s.sku = v }
    if let v = m.gpus { s.gpus = v ?? 0 }
    if let v = m.status { s.status = v }
    if let v = m.eta { s.eta = v }
    s.updatedAt = ts
    shipments[index] = s
  }

  mutating func applySupply(_ m: SupplyMessage) {
    if let index = supply.firstIndex(where: { $0.sku == m.sku }) {
      if let v = m.needed { supply[index].needed = v }
      if let v = m.leadTimeDays { supply[index].leadTimeDays = v }
    } else {
      supply.append((m.sku, m.needed ?? nil, m.leadTimeDays ?? nil))
    }
  }

  mutating func applyPower(_ m: PowerMessage, at ts: Double) {
    var reading = power ?? PowerReading(at: ts)
    // Held here alone while it changes: its halls are updated in place, not copied first.
    power = nil
    if let v = m.facilityMW { reading.facilityMW = v }
    if let v = m.itMW { reading.itMW = v }
    if let v = m.halls {
      if let draws = v { reading.set(draws) } else { reading.clearHalls() }
    }
    reading.at = ts
    power = reading
    if let mw = m.facilityMW ?? nil { facilitySeries.append(Sample(ts: ts, value: mw)) }
    if let mw = m.itMW ?? nil { itSeries.append(Sample(ts: ts, value: mw)) }
  }

  mutating func applyPowerSource(_ m: PowerSourceMessage, at ts: Double) {
    let index: Int
    if let existing = powerSources.firstIndex(where: { $0.id == m.id }) {
      index = existing
    } else {
      index = powerSources.count
      powerSources.append(PowerSource(id: m.id, since: ts))
    }
    var s = powerSources[index]
    if let v = m.kind { s.kind = v }
    if let v = m.capMW { s.capMW = v }
    if let v = m.status, v != s.status {
      s.status = v
      s.since = ts
    }
    if let v = m.eta { s.eta = v }
    if let v = m.mwh { s.mwh = v }
    powerSources[index] = s
  }

  mutating func applyFabric(_ m: FabricMessage, at ts: Double) throws(ReasonError) {
    var f = fabric ?? FabricStatus(at: ts)
    if let v = m.linksTotal { f.linksTotal = v }
    if let v = m.linksUp { f.linksUp = v }
    if let v = m.busbwGbps { f.busbwGbps = v }
    if let up = f.linksUp, let total = f.linksTotal, up > total {
      throw ReasonError("field links_up: \(up) is above links_total \(total)")
    }
    f.at = ts
    fabric = f
  }

  mutating func applyGate(_ m: GateMessage, at ts: Double) {
    let index: Int
    if let existing = gates.firstIndex(where: { $0.id == m.id }) {
      index = existing
    } else {
      index = gates.count
      gates.append(Gate(id: m.id, since: ts))
    }
    var g = gates[index]
    if let v = m.name { g.name = v }
    if let v = m.status, v != g.status {
      g.status = v
      g.since = ts
    }
    if let v = m.detail { g.detail = v }
    gates[index] = g
  }

  mutating func applyJob(_ m: JobMessage, at ts: Double) {
    var j = job ?? JobStatus(since: ts)
    if let v = m.id { j.id = v }
    if let v = m.state, v != j.state {
      j.state = v
      j.since = ts
    }
    if let v = m.gpus { j.gpus = v }
    job = j
  }

  /// Replaces the build-out with the snapshot's; keeps alerts, counters and history.
  mutating func applySnapshot(_ m: SnapshotMessage, at ts: Double) throws(ReasonError) {
    var fresh = BuildoutState()
    fresh.recentAlerts = recentAlerts
    fresh.now = now
    fresh.start = start
    fresh.counters = counters
    fresh.facilitySeries = facilitySeries
    fresh.itSeries = itSeries
    fresh.poolSeries = poolSeries
    fresh.installedSeries = installedSeries
    fresh.lastSampleBucket = lastSampleBucket
    fresh.rackHistory = rackHistory
    if let site = m.site { fresh.applySite(site) }
    for (i, rack) in m.racks.enumerated() {
      do throws(ReasonError) {
        try fresh.applyRack(rack, at: ts)
      } catch {
        throw ReasonError("racks[\(i)]: \(error.reason)")
      }
      // A rack still at the stage it had keeps the time it entered it.
      if let old = rackIndex[rack.id], let new = fresh.rackIndex[rack.id] {
        if racks[old].stage == fresh.racks[new].stage { fresh.racks[new].stageSince = racks[old].stageSince }
        fresh.racks[new].installedAt = racks[old].installedAt ?? fresh.racks[new].installedAt
      }
    }
    for (i, node) in m.nodes.enumerated() {
      do throws(ReasonError) {
        try fresh.applyNode(node, at: ts)
      } catch {
        throw ReasonError("nodes[\(i)]: \(error.reason)")
      }
      if let old = nodeIndex[node.id], let new = fresh.nodeIndex[node.id],
        nodes[old].stage == fresh.nodes[new].stage
      {
        fresh.nodes[new].stageSince = nodes[old].stageSince
      }
    }
    for (i, gpu) in m.gpus.enumerated() {
      do throws(ReasonError) {
        try fresh.applyGPU(gpu, at: ts)
      } catch {
        throw ReasonError("gpus[\(i)]: \(error.reason)")
      }
    }
    for s in m.shipments { fresh.applyShipment(s, at: ts) }
    for s in m.supply { fresh.applySupply(s) }
    if let p = m.power {
      fresh.power = nil
      var reading = PowerReading(at: ts)
      reading.facilityMW = p.facilityMW ?? nil
      reading.itMW = p.itMW ?? nil
      if let draws = p.halls ?? nil { reading.set(draws) }
      fresh.power = reading
    }
    for s in m.powerSources { fresh.applyPowerSource(s, at: ts) }
    if let f = m.fabric { try fresh.applyFabric(f, at: ts) }
    for g in m.gates { fresh.applyGate(g, at: ts) }
    if let j = m.job { fresh.applyJob(j, at: ts) }
    self = fresh
  }
}
