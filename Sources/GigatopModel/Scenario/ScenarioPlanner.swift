/// Plans the whole scenario as timed events before any line is written.
///
/// Planning works in canonical days (0...122, the Colossus timeline) and the timeline maps
/// them to feed seconds. The steps run in a fixed order; results that later steps need
/// (when racks were accepted, when pods joined the pool) are kept here.
struct ScenarioPlanner {
  let layout: ScenarioLayout
  let timeline: ScenarioTimeline
  let seed: UInt64
  /// Size relative to the 102,400-GPU demo, for power capacities and the building's load.
  let scale: Double

  var events: [ScenarioEvent] = []
  /// Pre-rendered message bodies (everything after the timestamp).
  var arena = ScenarioLineWriter()
  private var nextSeq: UInt64 = 0

  /// Canonical day each rack was accepted.
  var rackAccepted: [Double] = []
  /// Canonical day the last rack was cabled.
  var lastCabled = 0.0
  /// Pods in the order they joined the training pool, with the day and the pool's GPUs after.
  var poolOrder: [Int] = []
  var poolDays: [Double] = []
  var poolGPUs: [Int] = []
  /// Nodes out of service (failed, in RMA, drained) until the given canonical day.
  var nodeBusyUntil: [Int: Double] = [:]
  /// Replacements so far of each GPU (node * 8 + index), for new serial numbers.
  var gpuGeneration: [Int: Int] = [:]
  /// Power sources' capacity changes, for the power gate.
  var powerSteps: [PowerStep] = []

  static let siteID = "MEM1"
  static let sku: StaticString = "H100-SXM"

  /// Prepares a plan for (already normalized) options.
  init(options: ScenarioOptions) {
    layout = ScenarioLayout(gpus: options.gpus)
    timeline = ScenarioTimeline(days: options.days)
    seed = options.seed
    // Power scales with the racks' GPUs; tiny sites keep enough for one pod's burn-in.
    scale = Double(max(layout.installedGPUs, 1024)) / 102_400
    events.reserveCapacity(layout.rackCount * 10 + options.days * 60 + 4096)
  }

  /// Runs every planning step and returns the events in feed order.
  mutating func makePlan() -> ScenarioPlan {
    planOpening()
    planPowerSources()
    planBringUp()
    planTraining()
    planReadiness()
    planReadings()
    events.sort { $0.key < $1.key }
    return ScenarioPlan(
      layout: layout, timeline: timeline, seed: seed, scale: scale, events: events, arena: arena.bytes)
  }

  // MARK: - Adding events

  /// Adds an event at feed seconds.
  mutating func add(_ kind: ScenarioEvent.Kind, seconds: Int64, a: Int = 0, b: Int = 0, c: Int32 = 0) {
    let key = UInt64(max(seconds, 0)) << ScenarioEvent.seqBits | (nextSeq & 0x0FFF_FFFF)
    nextSeq += 1
    events.append(
      ScenarioEvent(
        key: key, kind: kind, a: Int32(truncatingIfNeeded: a), b: Int32(truncatingIfNeeded: b), c: c))
  }

  /// Adds an event on a canonical day.
  mutating func add(_ kind: ScenarioEvent.Kind, day: Double, a: Int = 0, b: Int = 0, c: Int32 = 0) {
    add(kind, seconds: timeline.seconds(day), a: a, b: b, c: c)
  }

  /// Adds a rack update rendered from the running state when the feed is written.
  mutating func rack(
    _ rack: Int, _ stage: ScenarioStage?, day: Double, detail: Int32 = ScenarioRackDetail.pack()
  ) {
    add(
      .rack, day: day, a: rack, b: Int(stage.map { Int32($0.rawValue) } ?? ScenarioStage.noStage), c: detail)
  }

  /// Starts a pre-rendered message: writes its `src` and returns where its body starts.
  mutating func begin(src: StaticString) -> Int {
    let start = arena.bytes.count
    arena.key("src")
    arena.quoted(src)
    return start
  }

  /// Ends a pre-rendered message begun at `start` and schedules it on a canonical day.
  mutating func end(_ type: ScenarioMessageType, day: Double, start: Int) {
    add(
      .raw, seconds: timeline.seconds(day), a: Int(type.rawValue), b: start,
      c: Int32(truncatingIfNeeded: arena.bytes.count - start))
  }

  /// Writes a canonical day as a quoted timestamp (past the deadline if need be).
  mutating func writeDay(_ day: Double) {
    ScenarioTimeline.writeTimestamp(timeline.unclampedSeconds(day), into: &arena)
  }

  /// The RFC 3339 text of a canonical day, for messages.
  func dayText(_ day: Double) -> String {
    ScenarioTimeline.text(timeline.unclampedSeconds(day))
  }

  // MARK: - Common messages

  /// How urgent an alert is (the feed's `severity`).
  enum AlertLevel {
    case info, warn, crit

    var name: StaticString {
      switch self {
      case .info: return "info"
      case .warn: return "warn"
      case .crit: return "crit"
      }
    }
  }

  /// Schedules an `alert`.
  mutating func alert(
    _ level: AlertLevel, day: Double, src: StaticString, ref: String?, _ message: String
  ) {
    let start = begin(src: src)
    arena.key("severity")
    arena.quoted(level.name)
    if let ref {
      arena.key("ref")
      arena.string(ref)
    }
    arena.key("msg")
    arena.string(message)
    end(.alert, day: day, start: start)
  }

  /// Schedules a `gate` update.
  mutating func gate(
    _ id: StaticString, name: StaticString? = nil, status: StaticString, day: Double,
    src: StaticString, detail: String?
  ) {
    let start = begin(src: src)
    arena.key("id")
    arena.quoted(id)
    if let name {
      arena.key("name")
      arena.quoted(name)
    }
    arena.key("status")
    arena.quoted(status)
    if let detail {
      arena.key("detail")
      arena.string(detail)
    }
    end(.gate, day: day, start: start)
  }

  /// What a `node` line says besides its stage.
  struct NodeDetail {
    var gpusOK: Int?
    /// nil leaves the reason as it was; `.some(nil)` clears it with `null`.
    var reason: String??
  }

  /// Schedules a `node` update; the node's rack and slot are always given.
  mutating func node(
    rack: Int, slot: Int, _ stage: ScenarioStage, day: Double, _ detail: NodeDetail = NodeDetail()
  ) {
    let start = begin(src: "dcim")
    arena.key("id")
    layout.writeNodeID(rack: rack, slot: slot, into: &arena)
    arena.key("rack")
    layout.writeRackID(rack, into: &arena)
    arena.key("slot")
    arena.int(slot)
    arena.key("u")
    arena.int(2 + 4 * slot)
    arena.key("stage")
    arena.quoted(stage.name)
    if let ok = detail.gpusOK {
      arena.key("gpus")
      arena.int(ScenarioLayout.gpusPerNode)
      arena.key("gpus_ok")
      arena.int(ok)
    }
    if let reason = detail.reason {
      arena.key("reason")
      if let text = reason { arena.string(text) } else { arena.null() }
    }
    end(.node, day: day, start: start)
  }

  /// How a GPU reads in a `gpu` line.
  struct GPUReading {
    var state: StaticString
    var tempC: Double?
    var powerW: Double?
    /// nil clears the XID with `null`.
    var xid: Int?
  }

  /// Schedules a `gpu` line; `generation` picks the serial (it changes when a GPU is swapped).
  mutating func gpu(rack: Int, slot: Int, index: Int, _ reading: GPUReading, day: Double) {
    let node = rack * ScenarioLayout.nodesPerRack + slot - 1
    let generation = gpuGeneration[node * ScenarioLayout.gpusPerNode + index] ?? 0
    var serial = ScenarioRandom(seed: seed, .serial, node * ScenarioLayout.gpusPerNode + index, generation)
    let start = begin(src: "dcim")
    arena.key("node")
    layout.writeNodeID(rack: rack, slot: slot, into: &arena)
    arena.key("index")
    arena.int(index)
    arena.key("state")
    arena.quoted(reading.state)
    arena.key("temp_c")
    if let t = reading.tempC { arena.decimal(t, digits: 0) } else { arena.null() }
    arena.key("power_w")
    if let p = reading.powerW { arena.decimal(p, digits: 0) } else { arena.null() }
    arena.key("xid")
    if let xid = reading.xid { arena.int(xid) } else { arena.null() }
    arena.key("serial")
    arena.raw("\"1654")
    arena.padded(Int(serial.next() % 1_000_000_000), width: 9)
    arena.byte(0x22)
    end(.gpu, day: day, start: start)
  }

  /// Marks a GPU as swapped, so that its next `gpu` line has a new serial.
  mutating func replaceGPU(rack: Int, slot: Int, index: Int) {
    let key = (rack * ScenarioLayout.nodesPerRack + slot - 1) * ScenarioLayout.gpusPerNode + index
    gpuGeneration[key, default: 0] += 1
  }

  // MARK: - Opening

  /// The first lines: the site plan, the need, the job, the gates and every rack as planned.
  mutating func planOpening() {
    let job = Self.jobSize(gpus: layout.targetGPUs).gpus
    var start = begin(src: "dcim")
    arena.key("id")
    arena.string(Self.siteID)
    arena.key("name")
    arena.raw("\"Memphis-1\"")
    arena.key("target_gpus")
    arena.int(layout.targetGPUs)
    arena.key("deadline")
    ScenarioTimeline.writeTimestamp(timeline.endSeconds, into: &arena)
    arena.key("gpu_model")
    arena.quoted(Self.sku)
    arena.key("gpus_per_node")
    arena.int(ScenarioLayout.gpusPerNode)
    arena.key("nodes_per_rack")
    arena.int(ScenarioLayout.nodesPerRack)
    arena.key("halls")
    arena.byte(0x5B)
    for hall in 0..<layout.hallCount {
      if hall > 0 { arena.byte(0x2C) }
      arena.raw("{\"id\":")
      layout.writeHallID(hall, into: &arena)
      arena.raw(",\"name\":\"Hall ")
      arena.raw(layout.hallIDs[hall])
      arena.byte(0x22)
      arena.key("rows")
      arena.int(layout.rowsInHall(hall))
      arena.key("racks_per_row")
      arena.int(ScenarioLayout.racksPerRow)
      arena.byte(0x7D)
    }
    arena.byte(0x5D)
    arena.key("job")
    arena.raw("{\"id\":\"pretrain-1\",\"gpus\":")
    arena.int(job)
    arena.byte(0x7D)
    end(.site, day: 0, start: start)

    supply(day: 0, leadTimeDays: 84)
    supply(day: 30, leadTimeDays: 70)

    add(.job, day: 0, a: Int(ScenarioJobState.queued.rawValue), b: 0)
    add(.fabric, day: 0, a: 1)

    let gates: [(StaticString, StaticString, StaticString)] = [
      ("power-cap", "Power for the full job", "bms"),
      ("cooling-loop", "Cooling loop at design flow", "bms"),
      ("fabric-burnin", "Fabric burn-in", "fabric"),
      ("nccl-pod", "Per-pod NCCL all-reduce", "fabric"),
      ("nccl-full", "Full-fabric all-reduce", "fabric"),
      ("hpl", "HPL on the full system", "scheduler"),
    ]
    for (id, name, src) in gates {
      gate(id, name: name, status: "pending", day: 0, src: src, detail: nil)
    }

    for rack in 0..<layout.rackCount {
      self.rack(rack, .planned, day: 0, detail: ScenarioRackDetail.pack(links: 0))
    }

    start = begin(src: "dcim")
    arena.key("severity")
    arena.quoted("info")
    arena.key("ref")
    arena.string(Self.siteID)
    arena.key("msg")
    arena.string(
      "Plan: \(ScenarioLineWriter.grouped(layout.targetGPUs)) H100 GPUs in "
        + "\(ScenarioLineWriter.grouped(layout.rackCount)) racks by \(dayText(ScenarioTimeline.canonicalDays))"
    )
    end(.alert, day: 0, start: start)
  }

  /// Schedules a `supply` line: the need for H100s and the current lead time.
  mutating func supply(day: Double, leadTimeDays: Int) {
    let start = begin(src: "supply")
    arena.key("sku")
    arena.quoted(Self.sku)
    arena.key("needed")
    arena.int(layout.targetGPUs)
    arena.key("lead_time_days")
    arena.int(leadTimeDays)
    end(.supply, day: day, start: start)
  }

  // MARK: - Readings

  /// A power reading every feed hour and a fabric reading whenever cabling changed it.
  mutating func planReadings() {
    let hours = Int(timeline.endSeconds / 3600)
    for hour in 0...hours {
      add(.fabric, seconds: Int64(hour) * 3600, a: 0)
      add(.power, seconds: Int64(hour) * 3600, a: 0)
    }
  }
}
