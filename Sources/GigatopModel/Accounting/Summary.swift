/// Every derived figure the panels and `gigatop summary` show, computed once per frame from the state.
public struct Summary: Equatable, Sendable {
  public var asOf: Double?
  public var gpus: Accounting.GPUTotals
  /// Racks by stage, indexed by `Stage.rank`.
  public var racksByStage: [Int]
  public var halls: [Accounting.HallTotals]
  public var supply: SupplyFigures
  public var power: PowerFigures
  public var readiness: Readiness
  public var forecast: Forecast

  /// Racks the site plans (from its halls, else from its GPU target), or the racks seen if larger.
  public var plannedRacks: Int
  public var racksSeen: Int
  public var racksInstalled: Int {
    Stage.allCases.reduce(0) { $1.isInstalled ? $0 + racksByStage[$1.rank] : $0 }
  }

  /// Chip supply against the need.
  public struct SupplyFigures: Equatable, Sendable {
    public var needed = 0
    public var allocated = 0
    public var inTransit = 0
    public var delivered = 0
    public var shortage = 0
    public var late = 0
    public var leadTimeDays: Double?
    /// Shipments still to arrive, soonest first (no ETA last).
    public var upcoming: [Shipment] = []
    /// GPUs in shipments diverted or cancelled.
    public var lost = 0
    public var secured: Int { allocated + inTransit + delivered }
  }

  /// Power capacity against draw.
  public struct PowerFigures: Equatable, Sendable {
    public var capacityMW = 0.0
    public var facilityMW: Double?
    public var itMW: Double?
    public var headroomMW: Double?
    public var pue: Double? {
      guard let f = facilityMW, let i = itMW, i > 0 else { return nil }
      return f / i
    }
    /// Facility kW each GPU needs, and whether it was derived from the feed.
    public var kwPerGPU = Readiness.defaultKWPerGPU
    public var kwPerGPUFromFeed = false
    /// Capacity from sources not yet online (planned or commissioning).
    public var pendingMW = 0.0
  }

  /// One limit on how large the training pool can be.
  public struct Constraint: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable { case racks, chips, power, fabric, gates }
    public var kind: Kind
    /// GPUs this limit allows; nil for gates (which block the full job rather than cap the pool).
    public var allows: Int?
    /// The limit in words: "power: 43 MW allows 33,000 GPUs".
    public var words: String
  }

  /// How close the full-size training job is.
  public struct Readiness: Equatable, Sendable {
    /// Facility kW per GPU when the feed cannot tell: 700 W H100 in an 8.4 kW server, PUE 1.3.
    public static let defaultKWPerGPU = 1.4
    public var jobGPUs = 0
    public var inPool = 0
    public var ratio = 0.0
    public var gatesPassed = 0
    public var gatesTotal = 0
    public var linksUp: Int?
    public var linksTotal: Int?
    public var busbwGbps: Double?
    /// GPUs accepted but not in the pool: usually waiting on power.
    public var acceptedWaiting = 0
    public var constraints: [Constraint] = []
    /// The limit that caps the pool lowest below the job size, or gates, or nil when nothing holds the job back.
    public var binding: Constraint?
    /// `binding`'s kind, or "none".
    public var blocker: String { binding?.kind.rawValue ?? "none" }
  }

  /// Rates and ETAs from the last seven feed days.
  public struct Forecast: Equatable, Sendable {
    /// Racks reaching `racked` per feed day over the last 7 days (or since the first install).
    public var installRatePerDay: Double = 0
    /// When all planned racks will be installed at that rate; nil when unknown, `asOf` when done.
    public var racksDoneAt: Double?
    /// GPUs added to the pool per feed day over the last 7 days.
    public var poolRatePerDay: Double = 0
    /// When the pool reaches the job size at that rate.
    public var fullJobAt: Double?
  }

  public init(_ state: BuildoutState) {
    asOf = state.now
    let gpus = state.gpuTotals
    self.gpus = gpus
    racksByStage = Accounting.rackTotals(state)
    halls = Accounting.hallTotals(state)
    racksSeen = state.racks.count
    let perRack = state.site.gpusPerNode * state.site.nodesPerRack
    let fromHalls = state.site.halls.reduce(0) { $0 + ($1.rows ?? 0) * ($1.racksPerRow ?? 0) }
    let fromTarget = state.site.targetGPUs.map { perRack > 0 ? ($0 + perRack - 1) / perRack : 0 } ?? 0
    plannedRacks = max(fromHalls > 0 ? fromHalls : fromTarget, state.racks.count)
    supply = Self.supplyFigures(state)
    power = Self.powerFigures(state, gpus: gpus)
    forecast = Forecast()
    readiness = Readiness()
    readiness = Self.readiness(
      state, gpus: gpus, supply: supply, power: power, racksInstalled: racksInstalled)
    forecast = Self.forecast(
      state, plannedRacks: plannedRacks, installed: racksInstalled, readiness: readiness)
  }

  static func supplyFigures(_ state: BuildoutState) -> SupplyFigures {
    var s = SupplyFigures()
    let needs = state.supply.compactMap(\.needed)
    s.needed = needs.isEmpty ? (state.site.targetGPUs ?? 0) : needs.reduce(0, +)
    s.leadTimeDays = state.supply.compactMap(\.leadTimeDays).max()
    for shipment in state.shipments {
      switch shipment.status {
      case .allocated?: s.allocated += shipment.gpus
      case .shipped?, .inTransit?: s.inTransit += shipment.gpus
      case .delivered?, .short?: s.delivered += shipment.gpus
      case .diverted?, .cancelled?: s.lost += shipment.gpus
      case nil: break
      }
      if let status = shipment.status, status.isPending {
        if let deadline = state.site.deadline, let eta = shipment.eta, eta > deadline {
          s.late += shipment.gpus
        }
        s.upcoming.append(shipment)
      }
    }
    s.shortage = max(0, s.needed - s.secured)
    s.upcoming.sort { ($0.eta ?? .infinity, $0.id) < ($1.eta ?? .infinity, $1.id) }
    return s
  }

  static func powerFigures(_ state: BuildoutState, gpus: Accounting.GPUTotals) -> PowerFigures {
    var p = PowerFigures()
    for source in state.powerSources {
      if source.status == .online {
        p.capacityMW += source.capMW ?? 0
      } else if source.status == .planned || source.status == .commissioning {
        p.pendingMW += source.capMW ?? 0
      }
    }
    p.facilityMW = state.power?.facilityMW
    p.itMW = state.power?.itMW
    if let facility = p.facilityMW { p.headroomMW = p.capacityMW - facility }
    let threshold = max(512, (state.site.targetGPUs ?? 0) / 100)
    // The peak of the last feed day, not the latest reading: training draw dips by tens of MW
    // at every checkpoint, and a dip must not make power look more plentiful than it is.
    if let now = state.now, let facility = p.facilityMW, gpus.drawingPower >= threshold {
      var peak = facility
      for sample in state.facilitySeries.samples.reversed() {
        if sample.ts < now - 86_400 { break }
        peak = max(peak, sample.value)
      }
      guard peak > 0 else { return p }
      let derived = peak * 1000 / Double(gpus.drawingPower)
      p.kwPerGPU = min(5, max(0.5, derived))
      p.kwPerGPUFromFeed = true
    }
    return p
  }

  static func readiness(
    _ state: BuildoutState, gpus: Accounting.GPUTotals, supply: SupplyFigures, power: PowerFigures,
    racksInstalled: Int
  ) -> Readiness {
    var r = Readiness()
    let siteGPUs =
      state.site.targetGPUs ?? state.racks.count * state.site.gpusPerNode * state.site.nodesPerRack
    r.jobGPUs = state.site.job?.gpus ?? state.job?.gpus ?? siteGPUs
    r.inPool = gpus.inPool
    r.ratio = r.jobGPUs > 0 ? Double(r.inPool) / Double(r.jobGPUs) : 0
    r.gatesTotal = state.gates.count
    r.gatesPassed = state.gates.filter { $0.status?.isCleared ?? false }.count
    r.linksUp = state.fabric?.linksUp
    r.linksTotal = state.fabric?.linksTotal
    r.busbwGbps = state.fabric?.busbwGbps
    r.acceptedWaiting = gpus.count(.accepted)

    var constraints: [Constraint] = []
    constraints.append(
      Constraint(
        kind: .racks, allows: gpus.installed,
        words: "racks: \(Format.count(racksInstalled)) installed allow \(Format.count(gpus.installed)) GPUs"))
    // Only feeds that track supply are held to it; chips already installed are secured whatever
    // the shipments say.
    if !state.shipments.isEmpty || !state.supply.isEmpty {
      let secured = max(supply.secured, gpus.installed)
      constraints.append(
        Constraint(
          kind: .chips, allows: secured,
          words: "chips: \(Format.count(secured)) secured of \(Format.count(supply.needed)) needed"))
    }
    if !state.powerSources.isEmpty {
      let allows = Int((power.capacityMW * 1000 / power.kwPerGPU).rounded(.down))
      constraints.append(
        Constraint(
          kind: .power, allows: allows,
          words: "power: \(Format.megawatts(power.capacityMW)) allows \(Format.count(allows)) GPUs"))
    }
    if let total = r.linksTotal, total > 0, let up = r.linksUp {
      let allows = Int((Double(siteGPUs) * Double(up) / Double(total)).rounded(.down))
      let percent = Format.percent(Double(up) / Double(total))
      constraints.append(
        Constraint(
          kind: .fabric, allows: allows,
          words: "fabric: \(percent) of links up allow \(Format.count(allows)) GPUs"))
    }
    let open = state.gates.filter { !($0.status?.isCleared ?? false) }
    let gatesConstraint = Constraint(
      kind: .gates, allows: nil,
      words: open.isEmpty
        ? "gates: all \(r.gatesTotal) passed"
        : "gates: \(open.count) of \(r.gatesTotal) not passed (\(open.map(\.id).prefix(3).joined(separator: ", ")))"
    )
    if r.gatesTotal > 0 { constraints.append(gatesConstraint) }
    r.constraints = constraints

    let lowest = constraints.filter { $0.allows != nil }.min { ($0.allows ?? 0) < ($1.allows ?? 0) }
    if let lowest, let allows = lowest.allows, allows < r.jobGPUs {
      r.binding = lowest
    } else if !open.isEmpty {
      r.binding = gatesConstraint
    }
    return r
  }

  static func forecast(
    _ state: BuildoutState, plannedRacks: Int, installed: Int, readiness: Readiness
  ) -> Forecast {
    var f = Forecast()
    guard let now = state.now else { return f }
    let day = 86_400.0
    let windowStart = now - 7 * day
    var recent = 0
    var first = Double.infinity
    for rack in state.racks {
      guard let at = rack.installedAt else { continue }
      first = min(first, at)
      if at > windowStart { recent += 1 }
    }
    if first.isFinite {
      let span = max(day, min(7 * day, now - first))
      f.installRatePerDay = Double(recent) / (span / day)
    }
    let remaining = plannedRacks - installed
    if remaining <= 0 {
      // Done: when the last rack went in.
      f.racksDoneAt = state.racks.compactMap(\.installedAt).max()
    } else if f.installRatePerDay > 0 {
      f.racksDoneAt = now + Double(remaining) / f.installRatePerDay * day
    }
    if let past = state.poolSeries.value(atOrBefore: windowStart) ?? state.poolSeries.samples.first?.value,
      let firstTS = state.poolSeries.samples.first?.ts
    {
      let span = max(day, min(7 * day, now - firstTS))
      f.poolRatePerDay = (Double(readiness.inPool) - past) / (span / day)
    }
    let missing = readiness.jobGPUs - readiness.inPool
    if missing <= 0 {
      f.fullJobAt = readiness.jobGPUs > 0 ? now : nil
    } else if f.poolRatePerDay > 0 {
      f.fullJobAt = now + Double(missing) / f.poolRatePerDay * day
    }
    return f
  }
}
