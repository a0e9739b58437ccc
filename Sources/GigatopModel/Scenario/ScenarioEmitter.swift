/// Writes the planned events as feed lines, keeping the running state that readings need.
///
/// Rack stages change the floor's draw and the fabric's links; the job's state changes
/// the training load. `power` and `fabric` lines are computed from that state, so they
/// always agree with the rack and job lines before them.
struct ScenarioEmitter {
  /// Average draw per GPU in training, server share included (H100 SXM HGX, ~8.4 kW per server peak).
  static let trainingKWPerGPU = 0.84
  /// A powered rack whose GPUs idle (~2 kW per HGX server).
  static let idleRackKW = 16.0
  /// Network and storage on top of the racks' draw.
  static let networkShare = 0.06
  /// Power usage effectiveness of the liquid-cooled halls.
  static let pue = 1.2
  /// Offices, lighting and the retrofit's own load, in MW at the demo's size.
  static let buildingMW = 0.6

  /// The facility draw when `gpusTraining` GPUs train, for the power gate.
  static func facilityMW(gpusTraining: Int, scale: Double) -> Double {
    Double(gpusTraining) * trainingKWPerGPU * (1 + networkShare) * pue / 1000 + buildingMW * scale
  }

  private let plan: ScenarioPlan
  private var line = ScenarioLineWriter(capacity: 8192)
  private var rackStage: [UInt8]
  /// Each rack's draw while it is not in the pool (powered, burning in, waiting).
  private var rackKW: [Double]
  private var rackLinks: [UInt8]
  private var hallKW: [Double]
  private var hallPoolRacks: [Int]
  private var poolRacks = 0
  private var linksUp = 0
  private var jobState = ScenarioJobState.queued
  private var jobGPUs = 0
  private var reportedLinks = -1
  private var stampSeconds: Int64 = -1
  private var stamp: [UInt8] = []

  /// Prepares to write `plan`.
  init(plan: ScenarioPlan) {
    self.plan = plan
    let racks = plan.layout.rackCount
    rackStage = Array(repeating: ScenarioStage.planned.rawValue, count: racks)
    rackKW = Array(repeating: 0, count: racks)
    rackLinks = Array(repeating: 0, count: racks)
    hallKW = Array(repeating: 0, count: plan.layout.hallCount)
    hallPoolRacks = Array(repeating: 0, count: plan.layout.hallCount)
  }

  /// Calls `emit` with every line, in feed order.
  mutating func run(_ emit: (UnsafeRawBufferPointer) -> Void) {
    for event in plan.events {
      line.reset()
      guard render(event) else { continue }
      line.bytes.withUnsafeBytes { emit($0) }
    }
  }

  private mutating func render(_ event: ScenarioEvent) -> Bool {
    switch event.kind {
    case .raw:
      guard let type = ScenarioMessageType(rawValue: event.a) else { return false }
      open(type, event.seconds)
      let start = Int(event.b)
      let end = start + Int(event.c)
      guard start >= 0, end <= plan.arena.count else { return false }
      line.bytes.append(contentsOf: plan.arena[start..<end])
    case .rack:
      renderRack(event)
    case .job:
      guard let state = ScenarioJobState(rawValue: event.a) else { return false }
      jobState = state
      jobGPUs = Int(event.b)
      open(.job, event.seconds)
      line.raw(",\"src\":\"scheduler\",\"id\":\"pretrain-1\",\"state\":")
      line.quoted(state.name)
      line.key("gpus")
      line.int(jobGPUs)
    case .power:
      renderPower(event)
    case .fabric:
      if event.a == 0, linksUp == reportedLinks { return false }
      reportedLinks = linksUp
      open(.fabric, event.seconds)
      line.raw(",\"src\":\"fabric\",\"links_total\":")
      line.int(plan.layout.rackCount * ScenarioLayout.linksPerRack)
      line.key("links_up")
      line.int(linksUp)
      if event.a == 2 {
        line.key("busbw_gbps")
        line.int(Int(event.b))
      }
    }
    line.byte(0x7D)
    return true
  }

  /// Writes `{"type":"…","ts":"…"`.
  private mutating func open(_ type: ScenarioMessageType, _ seconds: Int64) {
    if seconds != stampSeconds {
      var w = ScenarioLineWriter(capacity: 24)
      ScenarioTimeline.writeTimestamp(seconds, into: &w)
      stamp = w.bytes
      stampSeconds = seconds
    }
    line.raw(type.opening)
    line.raw(stamp)
  }

  private mutating func renderRack(_ event: ScenarioEvent) {
    let layout = plan.layout
    let rack = Int(event.a)
    open(.rack, event.seconds)
    line.raw(",\"src\":\"dcim\",\"id\":")
    layout.writeRackID(rack, into: &line)
    if event.b != ScenarioStage.noStage,
      let stage = ScenarioStage(rawValue: UInt8(truncatingIfNeeded: event.b))
    {
      if stage == .planned {
        line.key("hall")
        layout.writeHallID(layout.hall(ofRack: rack), into: &line)
        line.key("row")
        line.int(layout.row(ofRack: rack))
        line.key("slot")
        line.int(layout.slot(ofRack: rack))
        line.key("pod")
        layout.writePodID(layout.pod(ofRack: rack), into: &line)
      }
      line.key("stage")
      line.quoted(stage.name)
      renderTelemetry(rack: rack, stage: stage)
      if stage == .planned {
        line.key("links_total")
        line.int(ScenarioLayout.linksPerRack)
      }
    }
    let links = ScenarioRackDetail.links(event.c)
    if links != ScenarioRackDetail.noLinks {
      let up = Int(min(links, Int32(ScenarioLayout.linksPerRack)))
      linksUp += up - Int(rackLinks[rack])
      rackLinks[rack] = UInt8(up)
      line.key("links_up")
      line.int(up)
    }
    let note = ScenarioRackDetail.note(event.c)
    if note != .none {
      line.key("note")
      line.quoted(note.text)
    }
  }

  /// Writes a rack's `kw` and `inlet_c` for its new stage and updates the floor's draw.
  private mutating func renderTelemetry(rack: Int, stage: ScenarioStage) {
    var rng = ScenarioRandom(seed: plan.seed, .telemetry, rack, Int(stage.rawValue))
    let reading: (kw: Double, inlet: Double)?
    switch stage {
    case .powered: reading = (rng.uniform(14, 18), rng.uniform(24, 27))
    case .burnin: reading = (rng.uniform(44, 50), rng.uniform(29, 33))
    // Accepted racks wait powered down: BMCs and CDU pumps only.
    case .accepted: reading = (rng.uniform(0.6, 1.0), rng.uniform(23.5, 26))
    case .inPool: reading = (rng.uniform(51.5, 55.5), rng.uniform(28, 32))
    default: reading = nil
    }
    if let reading {
      line.key("kw")
      line.decimal(reading.kw, digits: 1)
      line.key("inlet_c")
      line.decimal(reading.inlet, digits: 1)
    }
    let hall = plan.layout.hall(ofRack: rack)
    let wasInPool = rackStage[rack] == ScenarioStage.inPool.rawValue
    let isInPool = stage == .inPool
    if wasInPool != isInPool {
      poolRacks += isInPool ? 1 : -1
      hallPoolRacks[hall] += isInPool ? 1 : -1
    }
    let base = isInPool ? 0 : reading?.kw ?? 0
    hallKW[hall] += base - rackKW[rack]
    rackKW[rack] = base
    rackStage[rack] = stage.rawValue
  }

  /// Writes a `power` line from the floor's state: racks, pool and the job's load.
  private mutating func renderPower(_ event: ScenarioEvent) {
    let poolGPUs = poolRacks * ScenarioLayout.gpusPerRack
    let share = poolGPUs > 0 ? min(1, Double(jobGPUs) / Double(poolGPUs)) : 0
    let trainingRackKW = Double(ScenarioLayout.gpusPerRack) * Self.trainingKWPerGPU
    let poolRackKW = Self.idleRackKW + (trainingRackKW - Self.idleRackKW) * share * jobState.load
    var rng = ScenarioRandom(seed: plan.seed, .power, Int(event.seconds))
    let noise = 1 + rng.uniform(-0.005, 0.005)
    let factor = (1 + Self.networkShare) * noise / 1000
    var itMW = 0.0
    for hall in 0..<hallKW.count {
      itMW += max(0, hallKW[hall] + Double(hallPoolRacks[hall]) * poolRackKW) * factor
    }
    let facility = itMW * (Self.pue + rng.uniform(-0.01, 0.01)) + Self.buildingMW * plan.scale
    open(.power, event.seconds)
    line.raw(",\"src\":\"bms\",\"facility_mw\":")
    line.decimal(facility, digits: Self.digits(facility))
    line.key("it_mw")
    line.decimal(itMW, digits: Self.digits(itMW))
    line.key("halls")
    line.byte(0x7B)
    for hall in 0..<hallKW.count {
      if hall > 0 { line.byte(0x2C) }
      plan.layout.writeHallID(hall, into: &line)
      line.byte(0x3A)
      let mw = max(0, hallKW[hall] + Double(hallPoolRacks[hall]) * poolRackKW) * factor
      line.decimal(mw, digits: Self.digits(mw))
    }
    line.byte(0x7D)
  }

  /// Decimals for a MW figure: one for tens of MW, more for small sites.
  static func digits(_ mw: Double) -> Int {
    mw >= 10 ? 1 : mw >= 1 ? 2 : mw >= 0.1 ? 3 : 4
  }
}
