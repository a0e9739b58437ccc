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
    let perNode = state.site.gpusPerNode
    for rack in state.racks {
      let rackStage = rack.effectiveStage.rank
      if !rack.hasNodes {
        totals.byStage[rackStage] += perNode * rack.slots.count
        continue
      }
      for slot in rack.slots {
        if slot < 0 {
          totals.byStage[rackStage] += perNode
          continue
        }
        let node = state.nodes[Int(slot)]
        let gpus = node.gpus ?? perNode
        var failed = 0
        for record in node.gpuRecords where record.index < gpus {
          if record.state == .failed {
            failed += 1
          } else if record.state == .degraded {
            totals.degraded += 1
          }
        }
        totals.failed += failed
        totals.byStage[node.stage?.rank ?? rackStage] += gpus - failed
      }
    }
    return totals
  }

  /// Racks by stage, indexed by `Stage.rank`.
  public static func rackTotals(_ state: BuildoutState) -> [Int] {
    var counts = [Int](repeating: 0, count: Stage.allCases.count)
    for rack in state.racks { counts[rack.effectiveStage.rank] += 1 }
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
    var totals: [String: HallTotals] = [:]
    for plan in state.site.halls {
      order.append(plan.id)
      var hall = HallTotals(id: plan.id, name: plan.name)
      if let rows = plan.rows, let perRow = plan.racksPerRow { hall.planned = rows * perRow }
      totals[plan.id] = hall
    }
    for rack in state.racks {
      if totals[rack.hall] == nil {
        order.append(rack.hall)
        totals[rack.hall] = HallTotals(id: rack.hall)
      }
      totals[rack.hall]?.racks += 1
      totals[rack.hall]?.byStage[rack.effectiveStage.rank] += 1
    }
    return order.compactMap { totals[$0] }
  }
}
