/// The counting rules that turn state into numbers. Documented in docs/accounting.md.
public enum Accounting {
  /// GPU counts by stage and health.
  public struct GPUTotals: Equatable, Sendable {
    /// GPUs by the stage they count at, indexed by `Stage.rank` (failed GPUs are not in here).
    public var byStage = [Int](repeating: 0, count: Stage.allCases.count)
    /// GPUs whose latest state is `failed`, whatever their node's stage.
    public var failed = 0
    /// GPUs reported `degraded`.
    public var degraded = 0
    public var installed: Int { Stage.allCases.reduce(0) { $1.isInstalled ? $0 + byStage[$1.rank] : $0 } }
    public var inPool: Int { byStage[Stage.inPool.rank] }
    public var drawingPower: Int {
      Stage.allCases.reduce(0) { $1.drawsPower ? $0 + byStage[$1.rank] : $0 }
    }
    public func count(_ stage: Stage) -> Int { byStage[stage.rank] }
  }

  /// Counts every GPU of every rack at the stage it counts at.
  ///
  /// A rack holds `nodes_per_rack` slots of `gpus_per_node` GPUs. A slot with
  /// a reported node uses that node's stage (or the rack's, if the node never
  /// had one) and its `gpus`; its GPUs reported `failed` count as failed.
  public static func gpuTotals(_ state: BuildoutState) -> GPUTotals {
    var totals = GPUTotals()
    for rack in state.racks.indices { addGPUs(ofRack: rack, in: state, to: &totals, sign: 1) }
    return totals
  }

  /// Adds (`sign` 1) or takes away (`sign` -1) one rack's GPUs, counted as `gpuTotals` counts them.
  static func addGPUs(ofRack r: Int, in state: BuildoutState, to totals: inout GPUTotals, sign: Int) {
    // Fields are read in place through buffer pointers: copying each rack and node (strings,
    // arrays) would cost more than the counting itself on a site of a million GPUs.
    state.racks.withUnsafeBufferPointer { racks in
      state.nodes.withUnsafeBufferPointer { nodes in
        addGPUs(
          ofRack: r, racks: racks, nodes: nodes, perNode: state.site.gpusPerNode, to: &totals, sign: sign)
      }
    }
  }

  /// `addGPUs(ofRack:in:)` over the state's tables given as buffers (so a caller changing the
  /// state need not pass it whole, which would share, and then copy, its tables).
  static func addGPUs(
    ofRack r: Int, racks: UnsafeBufferPointer<Rack>, nodes: UnsafeBufferPointer<Node>, perNode: Int,
    to totals: inout GPUTotals, sign: Int
  ) {
    let rackStage = racks[r].effectiveStage.rank
    if !racks[r].hasNodes {
      totals.byStage[rackStage] += sign * perNode * racks[r].slots.count
      return
    }
    for s in racks[r].slots.indices {
      addGPUs(ofSlot: s, ofRack: r, racks: racks, nodes: nodes, perNode: perNode, to: &totals, sign: sign)
    }
  }

  /// Adds (`sign` 1) or takes away (-1) the GPUs of one slot (by position) of a rack, counted as
  /// `addGPUs(ofRack:)` counts them: the rack's share is the sum of its slots' shares.
  static func addGPUs(
    ofSlot s: Int, ofRack r: Int, racks: UnsafeBufferPointer<Rack>, nodes: UnsafeBufferPointer<Node>,
    perNode: Int, to totals: inout GPUTotals, sign: Int
  ) {
    let rackStage = racks[r].effectiveStage.rank
    let slot = racks[r].slots[s]
    if slot < 0 {
      totals.byStage[rackStage] += sign * perNode
      return
    }
    let n = Int(slot)
    let gpus = nodes[n].gpus ?? perNode
    let (failed, degraded) = health(of: nodes[n].gpuRecords, below: gpus)
    totals.failed += sign * failed
    totals.degraded += sign * degraded
    totals.byStage[nodes[n].stage?.rank ?? rackStage] += sign * (gpus - failed)
  }

  /// A placed node's failed and degraded GPUs (below its GPU count), as `addGPUs` counts them.
  static func gpuShare(ofNode n: Int, in state: BuildoutState) -> (failed: Int, degraded: Int) {
    health(of: state.nodes[n].gpuRecords, below: state.nodes[n].gpus ?? state.site.gpusPerNode)
  }

  /// How many of a node's reported GPUs (its records) below index `gpus` are failed, and how many
  /// degraded. (Given the records alone: a whole node passed here was copied on every call.)
  static func health(of gpuRecords: [GPURecord], below gpus: Int) -> (failed: Int, degraded: Int) {
    var failed = 0
    var degraded = 0
    gpuRecords.withUnsafeBufferPointer { records in
      for i in records.indices where records[i].index < gpus {
        let state = records[i].state
        if state == .failed {
          failed += 1
        } else if state == .degraded {
          degraded += 1
        }
      }
    }
    return (failed, degraded)
  }

  /// Racks by stage, indexed by `Stage.rank`.
  public static func rackTotals(_ state: BuildoutState) -> [Int] {
    var counts = [Int](repeating: 0, count: Stage.allCases.count)
    state.racks.withUnsafeBufferPointer { racks in
      for r in racks.indices { counts[racks[r].effectiveStage.rank] += 1 }
    }
    return counts
  }

  /// One hall's racks by stage and its installed count.
  public struct HallTotals: Equatable, Sendable {
    public var id: String
    public var name: String?
    public var racks = 0
    /// Planned racks from the site plan (rows x racks per row), if given.
    public var planned: Int?
    public var byStage = [Int](repeating: 0, count: Stage.allCases.count)
    public var installed: Int { Stage.allCases.reduce(0) { $1.isInstalled ? $0 + byStage[$1.rank] : $0 } }
    public var inPool: Int { byStage[Stage.inPool.rank] }
  }

  /// Racks by hall: the site plan's halls first, in order, then halls only the racks name.
  public static func hallTotals(_ state: BuildoutState) -> [HallTotals] {
    var order: [String] = []
    var position: [String: Int] = [:]
    var totals: [HallTotals] = []
    for plan in state.site.halls {
      order.append(plan.id)
      var hall = HallTotals(id: plan.id, name: plan.name)
      if let rows = plan.rows, let perRow = plan.racksPerRow { hall.planned = rows * perRow }
      if let i = position[plan.id] {
        totals[i] = hall
      } else {
        position[plan.id] = totals.count
        totals.append(hall)
      }
    }
    // Counted in place by position (a dictionary of totals would copy each hall's counts per rack);
    // racks of one hall mostly come together, so the last hall is tried before the dictionary.
    var lastHall: String?
    var lastIndex = 0
    state.racks.withUnsafeBufferPointer { racks in
      for r in racks.indices {
        let id = racks[r].hall
        let index: Int
        if let lastHall, lastHall == id {
          index = lastIndex
        } else if let known = position[id] {
          index = known
        } else {
          index = totals.count
          order.append(id)
          position[id] = index
          totals.append(HallTotals(id: id))
        }
        lastHall = id
        lastIndex = index
        totals[index].racks += 1
        totals[index].byStage[racks[r].effectiveStage.rank] += 1
      }
    }
    return order.compactMap { id in position[id].map { totals[$0] } }
  }

}
