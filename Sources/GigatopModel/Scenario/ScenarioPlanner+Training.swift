/// The training job: its start on a power-gated pool, daily growth, checkpoints and interruptions.
extension ScenarioPlanner {
  /// One thing that changes the job's state.
  enum JobEpisode {
    /// Start the job, or grow it, to this many GPUs.
    case grow(Int)
    case checkpoint
    /// A fault stops the job; it restarts from the last checkpoint.
    case interruption
  }

  static let trainingStart = 80.25
  /// Unexpected interruptions a day per 100,000 GPUs in the job (Llama 3's rate, scaled).
  static let interruptionsPerDay = 47.0

  /// The job's target size (96% of the GPUs, a multiple of 512) and the step it grows in.
  static func jobSize(gpus: Int) -> (gpus: Int, granule: Int) {
    let share = gpus * 96 / 100
    if share >= 512 { return (share / 512 * 512, 512) }
    return (max(8, share / 8 * 8), 8)
  }

  /// Plans the job's lines, the faults that interrupt it and the CDU faults on the floor.
  mutating func planTraining() {
    let (size, granule) = Self.jobSize(gpus: layout.targetGPUs)
    let startCap = max(granule, layout.targetGPUs * 30 / 100 / granule * granule)
    // Keep a spare margin for nodes in RMA or drained, until the very end.
    func target(_ day: Double, final: Bool) -> Int {
      let pool = poolGPUs(at: day)
      let margin = final ? 0 : (pool / 50 + granule - 1) / granule * granule
      return min(size, max(0, (pool - margin) / granule * granule))
    }
    var growth: [(day: Double, gpus: Int)] = []
    var current = 0
    for d in 80...121 {
      let day = d == 80 ? Self.trainingStart : Double(d) + 0.25
      var gpus = target(day, final: false)
      if current == 0 { gpus = min(gpus, startCap) }
      if gpus > current {
        growth.append((day, gpus))
        current = gpus
      }
    }
    let last = target(121.75, final: true)
    if last > current {
      growth.append((121.75, last))
      current = last
    }
    guard let start = growth.first else { return }

    var episodes: [(day: Double, episode: JobEpisode)] = growth.map { ($0.day, .grow($0.gpus)) }
    // Every three hours, off the hour so that hourly power readings see both phases.
    var checkpoint = start.day + 0.125 + 22.0 / 1440
    while checkpoint < ScenarioTimeline.canonicalDays - 0.01 {
      episodes.append((checkpoint, .checkpoint))
      checkpoint += 0.125
    }
    for day in planInterruptions(growth) { episodes.append((day, .interruption)) }
    episodes.sort { $0.day < $1.day }

    let minute = 1.0 / 1440
    var busyUntil = 0.0
    var gpus = 0
    var rng = ScenarioRandom(seed: seed, .training)
    for (day, episode) in episodes {
      switch episode {
      case .grow(let size):
        if gpus == 0 {
          job(.running, gpus: size, day: day)
          alert(
            .info, day: day, src: "scheduler", ref: "pretrain-1",
            "pretrain-1 started on \(ScenarioLineWriter.grouped(size)) GPUs (power-gated pool)")
          busyUntil = day
        } else {
          let t = max(day, busyUntil + 0.5 * minute)
          job(.checkpointing, gpus: gpus, day: t)
          job(.restarting, gpus: size, day: t + 4 * minute)
          add(.power, day: t + 6 * minute, a: 1)
          busyUntil = t + rng.uniform(11, 16) * minute
          job(.running, gpus: size, day: busyUntil)
        }
        gpus = size
      case .checkpoint:
        guard gpus > 0, day >= busyUntil else { continue }
        job(.checkpointing, gpus: gpus, day: day)
        add(.power, day: day + minute, a: 1)
        busyUntil = day + rng.uniform(2, 3) * minute
        job(.running, gpus: gpus, day: busyUntil)
      case .interruption:
        guard gpus > 0, day >= busyUntil else { continue }
        let t = day + 0.3 * minute
        job(.restarting, gpus: gpus, day: t)
        add(.power, day: t + minute, a: 1)
        // Fast restarts from in-memory checkpoints keep the effective training time above 90%.
        busyUntil = t + rng.uniform(1.5, 3) * minute
        job(.running, gpus: gpus, day: busyUntil)
      }
    }
    let end = ScenarioTimeline.canonicalDays
    job(.running, gpus: current, day: end)
    alert(
      .info, day: end, src: "scheduler", ref: "pretrain-1",
      "Online: pretrain-1 running on \(ScenarioLineWriter.grouped(current)) GPUs")
    planCoolingFaults()
  }

  /// Schedules a `job` line.
  mutating func job(_ state: ScenarioJobState, gpus: Int, day: Double) {
    add(.job, day: day, a: Int(state.rawValue), b: gpus)
  }

  /// Plans faults while training runs, at a rate that grows with the job; returns their days.
  private mutating func planInterruptions(_ growth: [(day: Double, gpus: Int)]) -> [Double] {
    guard let first = growth.first else { return [] }
    var rng = ScenarioRandom(seed: seed, .interruption)
    var days: [Double] = []
    var rackFlapUntil: [Int: Double] = [:]
    var step = 0
    let firstHour = Int((first.day * 24).rounded(.up))
    let lastHour = Int(ScenarioTimeline.canonicalDays * 24) - 1
    guard firstHour <= lastHour else { return [] }
    for hour in firstHour...lastHour {
      let hourDay = Double(hour) / 24
      while step + 1 < growth.count, growth[step + 1].day <= hourDay { step += 1 }
      let rate = Self.interruptionsPerDay / 24 * Double(growth[step].gpus) / 100_000
      let count = Int(rate + rng.unit())
      for _ in 0..<count {
        let day = hourDay + rng.unit() / 24
        let pods = podsInPool(at: day)
        guard pods > 0 else { continue }
        let racks = layout.racks(inPod: poolOrder[rng.int(below: pods)])
        let rack = racks.lowerBound + rng.int(below: racks.count)
        let slot = 1 + rng.int(below: ScenarioLayout.nodesPerRack)
        let node = rack * ScenarioLayout.nodesPerRack + slot - 1
        let fault = ScenarioFault.interruption(&rng)
        if let busy = nodeBusyUntil[node], busy > day { continue }
        if fault.cause == .network, let busy = rackFlapUntil[rack], busy > day { continue }
        let back = planFault(fault, rack: rack, slot: slot, day: day, rng: &rng)
        if fault.cause == .network { rackFlapUntil[rack] = back } else { nodeBusyUntil[node] = back }
        days.append(day)
      }
    }
    return days
  }

  /// Plans the lines of one fault in training; returns when the node or link is back.
  private mutating func planFault(
    _ fault: ScenarioFault, rack: Int, slot: Int, day: Double, rng: inout ScenarioRandom
  ) -> Double {
    let hour = 1.0 / 24
    let name = layout.nodeName(rack: rack, slot: slot)
    switch fault.cause {
    case .software:
      alert(
        .info, day: day, src: "scheduler", ref: name,
        "\(name): \(fault.reason); pretrain-1 restarts from its checkpoint")
      return day
    case .network:
      let back = day + rng.uniform(20, 90) / 1440
      let full = Int32(ScenarioLayout.linksPerRack)
      self.rack(rack, nil, day: day, detail: ScenarioRackDetail.pack(links: full - 1))
      add(.fabric, day: day, a: 1)
      alert(.warn, day: day, src: "fabric", ref: layout.rackName(rack), "\(name): \(fault.reason)")
      self.rack(rack, nil, day: back, detail: ScenarioRackDetail.pack(links: full))
      add(.fabric, day: back, a: 1)
      return back
    default:
      break
    }
    let back: Double
    if let state = fault.gpuState {
      gpu(
        rack: rack, slot: slot, index: fault.gpuIndex,
        GPUReading(
          state: state, tempC: fault.xid == 79 ? nil : rng.uniform(62, 84),
          powerW: fault.xid == 79 ? nil : rng.uniform(90, 520), xid: fault.xid), day: day)
      back = day + (fault.replacesGPU ? rng.uniform(2, 20) : rng.uniform(1, 6)) * hour
    } else {
      back = day + (fault.cause == .hostMaintenance ? rng.uniform(2, 8) : rng.uniform(3, 12)) * hour
    }
    node(
      rack: rack, slot: slot, .drained, day: day,
      NodeDetail(gpusOK: fault.gpuState == nil ? 8 : 7, reason: .some(fault.reason)))
    alert(
      fault.cause == .hostMaintenance ? .info : .warn, day: day, src: "dcim", ref: name,
      "\(name): \(fault.reason); node drained")
    if fault.gpuState != nil {
      if fault.replacesGPU { replaceGPU(rack: rack, slot: slot, index: fault.gpuIndex) }
      gpu(
        rack: rack, slot: slot, index: fault.gpuIndex,
        GPUReading(state: "ok", tempC: rng.uniform(58, 68), powerW: rng.uniform(610, 690), xid: nil),
        day: back)
    }
    node(rack: rack, slot: slot, .inPool, day: back, NodeDetail(gpusOK: 8, reason: .some(nil)))
    return back
  }

  /// A few CDU pump faults: a rack's inlet runs hot until the pump is swapped.
  private mutating func planCoolingFaults() {
    var rng = ScenarioRandom(seed: seed, .cdu)
    for i in 0..<8 {
      let day = 84 + 4.5 * Double(i) + rng.uniform(0, 2)
      let pods = podsInPool(at: day)
      guard pods > 0 else { continue }
      let racks = layout.racks(inPod: poolOrder[rng.int(below: pods)])
      let rack = racks.lowerBound + rng.int(below: racks.count)
      let name = layout.rackName(rack)
      let hot = rng.uniform(36.2, 38.4)
      let pump = 1 + rng.int(below: 2)
      var start = begin(src: "bms")
      arena.key("id")
      layout.writeRackID(rack, into: &arena)
      arena.key("inlet_c")
      arena.decimal(hot, digits: 1)
      end(.rack, day: day, start: start)
      alert(
        .warn, day: day, src: "bms", ref: name,
        "CDU pump \(pump) fault on \(name): inlet \(ScenarioLineWriter.text(hot, digits: 1)) C")
      let fixed = day + rng.uniform(1, 3) / 24
      start = begin(src: "bms")
      arena.key("id")
      layout.writeRackID(rack, into: &arena)
      arena.key("inlet_c")
      arena.decimal(rng.uniform(28, 31), digits: 1)
      arena.key("note")
      arena.string("CDU pump \(pump) swapped")
      end(.rack, day: fixed, start: start)
    }
  }
}
