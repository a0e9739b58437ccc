/// Shipments, rack bring-up, burn-in failures and the power-gated training pool.
extension ScenarioPlanner {
  /// A lot of integrated racks shipped together: four pods (2,048 GPUs) in install order.
  struct Lot {
    var firstRank: Int
    var rackCount: Int
    var podCount: Int
    var delivery = 0.0
    /// Whether the lot's allocation is first past the deadline, then swapped forward.
    var isSwap = false
    /// Racks missing when the lot arrived (the slip), brought by a make-up lot.
    var shortRacks = 0
  }

  /// A node whose own stage must follow its rack into the pool.
  struct PendingNode {
    var rack: Int
    var slot: Int
    /// When the node itself was accepted again; nil when it follows its rack's acceptance.
    var ready: Double?
  }

  static let podsPerLot = 4
  /// The canonical day of the allocation swap.
  static let swapDay = 72.0

  /// Plans shipments, every rack's walk from delivery to acceptance, and the pool.
  mutating func planBringUp() {
    let rackCount = layout.rackCount
    let podOrder = layout.podInstallOrder()
    var rackOrder: [Int] = []
    rackOrder.reserveCapacity(rackCount)
    var lots: [Lot] = []
    var index = 0
    while index < podOrder.count {
      let end = min(index + Self.podsPerLot, podOrder.count)
      let first = rackOrder.count
      for pod in podOrder[index..<end] { rackOrder.append(contentsOf: layout.racks(inPod: pod)) }
      lots.append(Lot(firstRank: first, rackCount: rackOrder.count - first, podCount: end - index))
      index = end
    }
    let makeup = planDeliveries(&lots)
    planShipments(lots, makeupDelivery: makeup)

    rackAccepted = Array(repeating: 0, count: rackCount)
    var pending: [PendingNode] = []
    var firstRack = (day: Double.infinity, rack: 0)
    var lastRacked = 0.0
    for lot in lots {
      let lateFrom = lot.firstRank + lot.rackCount - lot.shortRacks
      for rank in lot.firstRank..<(lot.firstRank + lot.rackCount) {
        let rack = rackOrder[rank]
        let arrival =
          (rank >= lateFrom ? makeup ?? lot.delivery : lot.delivery) + Double(rank - lot.firstRank) * 2 / 1440
        let slot = ScenarioCurve.installs.firstX(reaching: (Double(rank) + 0.5) / Double(rackCount))
        let racked = planRack(rack, arrival: arrival, installSlot: slot, pending: &pending)
        if racked < firstRack.day { firstRack = (racked, rack) }
        lastRacked = max(lastRacked, racked)
      }
    }
    alert(
      .info, day: firstRack.day, src: "dcim", ref: layout.rackName(firstRack.rack),
      "First rack on the floor: \(layout.rackName(firstRack.rack))")
    alert(
      .info, day: lastRacked, src: "dcim", ref: Self.siteID,
      "All \(ScenarioLineWriter.grouped(rackCount)) racks on the floor")
    planPool(pending)
  }

  /// Sets each lot's delivery day; returns the make-up lot's day when a lot arrives short.
  private mutating func planDeliveries(_ lots: inout [Lot]) -> Double? {
    let count = lots.count
    var rng = ScenarioRandom(seed: seed, .lots)
    for k in 0..<count {
      let slot = ScenarioCurve.installs.firstX(
        reaching: (Double(lots[k].firstRank) + 0.5) / Double(layout.rackCount))
      // The first lots trickle in from day 45; later ones arrive a day or three before racking.
      let trickle = 45 + 80 * Double(k) / Double(count)
      lots[k].delivery = min(slot - rng.uniform(1, 3), trickle)
    }
    let swapCount = count >= 8 ? min(count / 4, Int(0.12 * Double(layout.targetGPUs) / 2048)) : 0
    for k in (count - swapCount)..<count {
      lots[k].isSwap = true
      lots[k].delivery = max(lots[k].delivery, Self.swapDay + 2.5 + rng.uniform(0, 0.5))
    }
    guard count >= 8 else { return nil }
    var slip: Int?
    var bestDistance = 3.0
    for k in 0..<(count - swapCount) where lots[k].podCount == Self.podsPerLot {
      let distance = abs(lots[k].delivery - 70)
      if distance < bestDistance {
        bestDistance = distance
        slip = k
      }
    }
    guard let slip else { return nil }
    lots[slip].delivery = 70 + rng.uniform(0.2, 0.5)
    lots[slip].shortRacks = 2 * ScenarioLayout.racksPerPod
    return 76 + rng.uniform(0, 0.5)
  }

  /// Schedules every lot's `shipment` lines: allocated, shipped, in transit, delivered.
  private mutating func planShipments(_ lots: [Lot], makeupDelivery: Double?) {
    let swaps = lots.indices.filter { lots[$0].isSwap }
    var shortLot: Int?
    for (k, lot) in lots.enumerated() {
      var rng = ScenarioRandom(seed: seed, .lots, k + 1)
      let gpus = lot.rackCount * ScenarioLayout.gpusPerRack
      let promised = (lot.delivery + 1).rounded(.down)
      let allocated = 1 + 20 * Double(k) / Double(lots.count) + rng.uniform(0, 0.3)
      if lot.isSwap, let j = swaps.firstIndex(of: k) {
        let lateETA = ScenarioTimeline.canonicalDays + 14 + 7 * Double(j % 8)
        shipment(k, gpus: gpus, "allocated", day: allocated, eta: lateETA)
        shipment(k, gpus: gpus, "allocated", day: Self.swapDay + 0.1 + 0.01 * Double(j), eta: promised)
      } else {
        shipment(k, gpus: gpus, "allocated", day: allocated, eta: promised)
      }
      var shipped = lot.delivery - rng.uniform(3, 6)
      if lot.isSwap { shipped = min(max(shipped, Self.swapDay + 0.3), lot.delivery - 0.8) }
      shipment(k, gpus: gpus, "shipped", day: shipped, eta: promised)
      shipment(
        k, gpus: gpus, "in_transit", day: shipped + (lot.delivery - shipped) * rng.uniform(0.2, 0.4),
        eta: promised)
      if lot.shortRacks > 0 {
        shipment(
          k, gpus: (lot.rackCount - lot.shortRacks) * ScenarioLayout.gpusPerRack, "short", day: lot.delivery,
          eta: promised)
        shortLot = k
      } else {
        shipment(k, gpus: gpus, "delivered", day: lot.delivery, eta: promised)
      }
    }
    if let k = shortLot, let makeup = makeupDelivery {
      let lot = lots[k]
      let missing = lot.shortRacks * ScenarioLayout.gpusPerRack
      let extra = lots.count
      let promised = (makeup + 1).rounded(.down)
      shipment(extra, po: k, gpus: missing, "allocated", day: lot.delivery + 0.05, eta: promised)
      shipment(extra, po: k, gpus: missing, "shipped", day: Self.swapDay, eta: promised)
      shipment(extra, po: k, gpus: missing, "in_transit", day: Self.swapDay + 1, eta: promised)
      shipment(extra, po: k, gpus: missing, "delivered", day: makeup, eta: promised)
      alert(
        .warn, day: lot.delivery, src: "supply", ref: Self.shipmentName(k),
        "\(Self.shipmentName(k)) arrived short: \(ScenarioLineWriter.grouped(lot.rackCount * 64 - missing)) "
          + "of \(ScenarioLineWriter.grouped(lot.rackCount * 64)) GPUs (-\(lot.shortRacks) racks); "
          + "make-up lot \(Self.shipmentName(extra)) due \(dayText(promised))")
    }
    if let first = swaps.first, let last = swaps.last {
      let gpus = swaps.reduce(0) { $0 + lots[$1].rackCount * ScenarioLayout.gpusPerRack }
      let allocated = 1 + 20 * Double(first) / Double(lots.count)
      alert(
        .warn, day: allocated + 0.35, src: "supply", ref: Self.shipmentName(first),
        "\(swaps.count) lots (\(ScenarioLineWriter.grouped(gpus)) GPUs) allocated for after the deadline "
          + "(\(Self.shipmentName(first))..\(Self.shipmentName(last)))")
      alert(
        .info, day: Self.swapDay + 0.1, src: "supply", ref: Self.shipmentName(first),
        "Allocation swap: \(ScenarioLineWriter.grouped(gpus)) GPUs pulled forward, due by "
          + dayText((lots[last].delivery + 1).rounded(.down)))
      supply(day: Self.swapDay + 0.1, leadTimeDays: 56)
    }
  }

  /// `SH-0042` for lot 41.
  static func shipmentName(_ lot: Int) -> String {
    let digits = String(lot + 1)
    return "SH-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// Schedules one `shipment` line for lot `lot` (purchase orders group five lots).
  private mutating func shipment(
    _ lot: Int, po: Int? = nil, gpus: Int, _ status: StaticString, day: Double, eta: Double
  ) {
    let order = (po ?? lot) / 5
    let start = begin(src: "supply")
    arena.key("id")
    arena.string(Self.shipmentName(lot))
    arena.key("po")
    arena.raw("\"PO-")
    arena.padded(1101 + order, width: 4)
    arena.byte(0x22)
    arena.key("vendor")
    arena.quoted(order % 3 == 2 ? "Dell" : "Supermicro")
    arena.key("sku")
    arena.quoted(Self.sku)
    arena.key("gpus")
    arena.int(gpus)
    arena.key("status")
    arena.quoted(status)
    arena.key("eta")
    writeDay(eta)
    end(.shipment, day: day, start: start)
  }

  /// Plans one rack from arrival to acceptance, with its nodes' burn-in failures.
  ///
  /// Returns the day the rack was racked.
  private mutating func planRack(
    _ rack: Int, arrival: Double, installSlot: Double, pending: inout [PendingNode]
  ) -> Double {
    var rng = ScenarioRandom(seed: seed, .rack, rack)
    let racked = max(installSlot, arrival + rng.uniform(0.15, 0.4))
    let cabled = racked + rng.uniform(0.4, 1.1)
    let powered = cabled + rng.uniform(0.25, 0.6)
    let burnin = powered + rng.uniform(0.15, 0.35)
    let planned = burnin + rng.uniform(1.3, 2.1)
    let badOptics: Int32 = rng.chance(0.1) ? (rng.chance(0.5) ? 2 : 1) : 0
    let full = Int32(ScenarioLayout.linksPerRack)
    lastCabled = max(lastCabled, cabled)

    self.rack(rack, .delivered, day: arrival)
    self.rack(rack, .racked, day: racked)
    self.rack(rack, .cabled, day: cabled, detail: ScenarioRackDetail.pack(links: full - badOptics))
    let note: ScenarioRackDetail.Note =
      badOptics == 2 ? .opticsReseated : badOptics == 1 ? .opticReseated : .none
    self.rack(rack, .powered, day: powered, detail: ScenarioRackDetail.pack(links: full, note: note))
    self.rack(rack, .burnin, day: burnin)

    var accepted = planned
    var followers: [Int] = []
    for slot in 1...ScenarioLayout.nodesPerRack {
      let nodeIndex = rack * ScenarioLayout.nodesPerRack + slot - 1
      var nr = ScenarioRandom(seed: seed, .node, nodeIndex)
      guard nr.chance(0.02) else { continue }
      let fault = ScenarioFault.burnIn(&nr)
      let name = layout.nodeName(rack: rack, slot: slot)
      let failed = burnin + nr.uniform(0.1, 0.8) * (planned - burnin)
      node(
        rack: rack, slot: slot, .failed, day: failed,
        NodeDetail(gpusOK: fault.gpuState == nil ? 8 : 7, reason: .some(fault.reason)))
      if let state = fault.gpuState {
        let hot = fault.xid != 79
        gpu(
          rack: rack, slot: slot, index: fault.gpuIndex,
          GPUReading(
            state: state, tempC: hot ? nr.uniform(58, 74) : nil, powerW: hot ? nr.uniform(70, 140) : nil,
            xid: fault.xid), day: failed)
      }
      alert(.warn, day: failed, src: "dcim", ref: name, "\(name) failed burn-in: \(fault.reason)")
      if nr.chance(0.6) {
        // Fixed on site: reseat or swap, then burn in again with the rack.
        let fixed = failed + nr.uniform(3, 18) / 24
        if fault.gpuState != nil {
          if fault.replacesGPU { replaceGPU(rack: rack, slot: slot, index: fault.gpuIndex) }
          gpu(
            rack: rack, slot: slot, index: fault.gpuIndex,
            GPUReading(state: "ok", tempC: nr.uniform(55, 66), powerW: nr.uniform(600, 690), xid: nil),
            day: fixed)
        }
        node(rack: rack, slot: slot, .burnin, day: fixed, NodeDetail(gpusOK: 8, reason: .some(nil)))
        accepted = max(accepted, fixed + nr.uniform(0.3, 0.6))
        followers.append(slot)
        pending.append(PendingNode(rack: rack, slot: slot, ready: nil))
      } else {
        // Back to the vendor for 7-10 days; the rack goes on without it.
        let rma = failed + nr.uniform(4, 12) / 24
        node(rack: rack, slot: slot, .rma, day: rma)
        alert(.info, day: rma, src: "dcim", ref: name, "\(name) sent back to the vendor (RMA)")
        let back = rma + nr.uniform(7, 10)
        if fault.gpuState != nil {
          replaceGPU(rack: rack, slot: slot, index: fault.gpuIndex)
          gpu(
            rack: rack, slot: slot, index: fault.gpuIndex,
            GPUReading(state: "ok", tempC: nr.uniform(31, 36), powerW: nr.uniform(70, 95), xid: nil),
            day: back)
        }
        node(rack: rack, slot: slot, .racked, day: back, NodeDetail(gpusOK: 8, reason: .some(nil)))
        let reburn = back + nr.uniform(0.2, 0.4)
        node(rack: rack, slot: slot, .burnin, day: reburn)
        let ok = reburn + nr.uniform(0.8, 1.2)
        node(rack: rack, slot: slot, .accepted, day: ok)
        pending.append(PendingNode(rack: rack, slot: slot, ready: ok))
      }
    }
    self.rack(rack, .accepted, day: accepted)
    for slot in followers { node(rack: rack, slot: slot, .accepted, day: accepted) }
    rackAccepted[rack] = accepted
    return racked
  }

  /// Admits pods to the training pool as they are accepted and as power allows.
  private mutating func planPool(_ pending: [PendingNode]) {
    let podCount = layout.podCount
    var ready = [Double](repeating: 0, count: podCount)
    for pod in 0..<podCount {
      for rack in layout.racks(inPod: pod) { ready[pod] = max(ready[pod], rackAccepted[rack]) }
    }
    let order = (0..<podCount).sorted { (ready[$0], $0) < (ready[$1], $1) }
    var admitted = [Double](repeating: 0, count: podCount)
    var rng = ScenarioRandom(seed: seed, .pool)
    var last = 0.0
    var total = 0
    poolOrder.reserveCapacity(podCount)
    for (k, pod) in order.enumerated() {
      let allowed = ScenarioCurve.pool.firstX(reaching: Double(k + 1) / Double(podCount))
      let day = max(ready[pod] + rng.uniform(0.04, 0.15), allowed, last)
      last = day
      admitted[pod] = day
      let racks = layout.racks(inPod: pod)
      total += racks.count * ScenarioLayout.gpusPerRack
      poolOrder.append(pod)
      poolDays.append(day)
      poolGPUs.append(total)
      for (i, rack) in racks.enumerated() { self.rack(rack, .inPool, day: day + Double(i) * 20 / 86_400) }
    }
    for node in pending {
      let pod = layout.pod(ofRack: node.rack)
      let rackDay = admitted[pod] + Double(node.rack - layout.racks(inPod: pod).lowerBound) * 20 / 86_400
      let day = max(rackDay, (node.ready ?? rackDay) + 0.02)
      self.node(rack: node.rack, slot: node.slot, .inPool, day: day)
      nodeBusyUntil[node.rack * ScenarioLayout.nodesPerRack + node.slot - 1] = day
    }
    // Power, not racks, gates the pool for a while: say how many wait.
    let check = 85.0
    var waiting = 0
    for rack in 0..<layout.rackCount
    where rackAccepted[rack] <= check && admitted[layout.pod(ofRack: rack)] > check {
      waiting += 1
    }
    if waiting > 0 {
      alert(
        .warn, day: check, src: "bms", ref: "power-cap",
        "Power-gated: \(ScenarioLineWriter.grouped(waiting)) accepted racks "
          + "(\(ScenarioLineWriter.grouped(waiting * 64)) GPUs) wait for power")
    }
  }

  /// How many pods are in the pool on a canonical day.
  func podsInPool(at day: Double) -> Int {
    var low = 0
    var high = poolDays.count
    while low < high {
      let mid = (low + high) / 2
      if poolDays[mid] <= day { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// GPUs in pods of the pool on a canonical day.
  func poolGPUs(at day: Double) -> Int {
    let pods = podsInPool(at: day)
    return pods == 0 ? 0 : poolGPUs[pods - 1]
  }
}
