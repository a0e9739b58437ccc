/// What changed in the build-out between two feed times: the "what changed" view and `gigatop diff`.
public struct StateChanges: Equatable, Sendable {
  /// One rack whose stage moved.
  public struct RackMove: Equatable, Sendable {
    public var id: String
    public var from: Stage
    public var to: Stage
  }

  /// One shipment that was delivered or slipped.
  public struct ShipmentMove: Equatable, Sendable {
    public var id: String
    public var gpus: Int
    public var status: ShipmentStatus?
    public var etaBefore: Double?
    public var etaAfter: Double?
  }

  /// One gate or power source whose status moved.
  public struct StatusMove: Equatable, Sendable {
    public var id: String
    public var from: String?
    public var to: String?
  }

  public var from: Double?
  public var to: Double?
  public var racksAdvanced: [RackMove] = []
  public var racksFellBack: [RackMove] = []
  public var poolBefore = 0
  public var poolAfter = 0
  public var installedBefore = 0
  public var installedAfter = 0
  public var shipmentsDelivered: [ShipmentMove] = []
  public var shipmentsSlipped: [ShipmentMove] = []
  public var capacityBefore = 0.0
  public var capacityAfter = 0.0
  public var powerSources: [StatusMove] = []
  public var gatesPassed: [StatusMove] = []
  public var gatesFailed: [StatusMove] = []
  public var critAlerts: [Alert] = []

  /// Compares the state at an earlier time with the state at a later one.
  public init(from old: BuildoutState, to new: BuildoutState) {
    from = old.now
    to = new.now
    for rack in new.racks {
      let before = old.rackIndex[rack.id].map { old.racks[$0].effectiveStage } ?? .planned
      let after = rack.effectiveStage
      guard before != after else { continue }
      let move = RackMove(id: rack.id, from: before, to: after)
      if Self.progress(after) > Self.progress(before) {
        racksAdvanced.append(move)
      } else {
        racksFellBack.append(move)
      }
    }
    let oldGPUs = Accounting.gpuTotals(old)
    let newGPUs = Accounting.gpuTotals(new)
    poolBefore = oldGPUs.inPool
    poolAfter = newGPUs.inPool
    installedBefore = oldGPUs.installed
    installedAfter = newGPUs.installed
    let oldShipments = Dictionary(old.shipments.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    for s in new.shipments {
      let before = oldShipments[s.id]
      let move = ShipmentMove(
        id: s.id, gpus: s.gpus, status: s.status, etaBefore: before?.eta, etaAfter: s.eta)
      let arrived: Set<ShipmentStatus> = [.delivered, .short]
      if let status = s.status, arrived.contains(status), !(before?.status.map(arrived.contains) ?? false) {
        shipmentsDelivered.append(move)
      } else if let was = before?.eta, let now = s.eta, now > was {
        shipmentsSlipped.append(move)
      } else if let status = s.status, status == .diverted || status == .cancelled, before?.status != status {
        shipmentsSlipped.append(move)
      }
    }
    capacityBefore = Self.capacity(old)
    capacityAfter = Self.capacity(new)
    for source in new.powerSources {
      let before = old.powerSources.first { $0.id == source.id }?.status
      if before != source.status {
        powerSources.append(StatusMove(id: source.id, from: before?.rawValue, to: source.status?.rawValue))
      }
    }
    for gate in new.gates {
      let before = old.gates.first { $0.id == gate.id }?.status
      guard before != gate.status else { continue }
      let move = StatusMove(id: gate.name ?? gate.id, from: before?.rawValue, to: gate.status?.rawValue)
      if gate.status == .passed { gatesPassed.append(move) }
      if gate.status == .failed { gatesFailed.append(move) }
    }
    let since = old.now ?? -Double.infinity
    critAlerts = new.alerts.filter { $0.severity == .crit && $0.ts > since }
  }

  /// A stage's place on the line; off the line (failed, RMA, drained) is below planned.
  static func progress(_ stage: Stage) -> Int {
    switch stage {
    case .failed, .rma, .drained: return -1
    default: return stage.rank
    }
  }

  static func capacity(_ state: BuildoutState) -> Double {
    state.powerSources.reduce(0) { $0 + ($1.status == .online ? ($1.capMW ?? 0) : 0) }
  }

  /// The changes as text lines, most important first; lists are cut to `listLimit` ids.
  public func lines(listLimit: Int = 6) -> [String] {
    func ids(_ items: [String]) -> String {
      let shown = items.prefix(listLimit).joined(separator: ", ")
      return items.count > listLimit ? shown + ", +\(items.count - listLimit) more" : shown
    }
    func signed(_ value: Int) -> String {
      value >= 0 ? "+" + Format.count(value) : "-" + Format.count(-value)
    }
    var out: [String] = []
    let window = [from, to].map { $0.map(Timestamp.formatShort) ?? "-" }
    out.append("From \(window[0]) to \(window[1])")
    out.append(
      "GPUs in pool  \(Format.count(poolBefore)) -> \(Format.count(poolAfter)) (\(signed(poolAfter - poolBefore)))"
        + "; installed \(signed(installedAfter - installedBefore))")
    out.append(
      "Racks         \(racksAdvanced.count) advanced, \(racksFellBack.count) fell back")
    if !racksAdvanced.isEmpty {
      out.append(
        "  advanced:    " + ids(racksAdvanced.map { "\($0.id) \($0.from.rawValue)>\($0.to.rawValue)" }))
    }
    if !racksFellBack.isEmpty {
      out.append(
        "  fell back:   " + ids(racksFellBack.map { "\($0.id) \($0.from.rawValue)>\($0.to.rawValue)" }))
    }
    let delivered = shipmentsDelivered.reduce(0) { $0 + $1.gpus }
    out.append(
      "Shipments     \(shipmentsDelivered.count) delivered (\(Format.count(delivered)) GPUs), "
        + "\(shipmentsSlipped.count) slipped")
    if !shipmentsSlipped.isEmpty {
      out.append(
        "  slipped:     "
          + ids(
            shipmentsSlipped.map { s in s.id + (s.etaAfter.map { " eta " + Timestamp.formatDay($0) } ?? "") })
      )
    }
    out.append(
      "Power         capacity \(Format.megawatts(capacityBefore)) -> \(Format.megawatts(capacityAfter))"
        + (powerSources.isEmpty ? "" : "; " + ids(powerSources.map { "\($0.id) \($0.to ?? "-")" })))
    out.append(
      "Gates         \(gatesPassed.count) passed, \(gatesFailed.count) failed"
        + (gatesPassed.isEmpty && gatesFailed.isEmpty
          ? "" : ": " + ids((gatesPassed + gatesFailed).map { "\($0.id) \($0.to ?? "-")" })))
    out.append("Crit alerts   \(critAlerts.count) new")
    for alert in critAlerts.suffix(listLimit).reversed() {
      out.append(
        "  " + Timestamp.formatShort(alert.ts) + " " + (alert.ref.map { $0 + " " } ?? "") + alert.msg)
    }
    return out
  }

  /// The changes as one JSON document (keys in a fixed order).
  public func json() -> String {
    var w = CompactJSON()
    w.open()
    w.number("from", from)
    w.number("to", to)
    func racks(_ key: String, _ moves: [RackMove]) {
      w.openArray(key)
      for m in moves {
        w.open()
        w.string("id", m.id)
        w.string("from", m.from.rawValue)
        w.string("to", m.to.rawValue)
        w.close()
      }
      w.closeArray()
    }
    racks("racks_advanced", racksAdvanced)
    racks("racks_fell_back", racksFellBack)
    w.open("gpus")
    w.int("in_pool_before", poolBefore)
    w.int("in_pool_after", poolAfter)
    w.int("installed_before", installedBefore)
    w.int("installed_after", installedAfter)
    w.close()
    func shipments(_ key: String, _ moves: [ShipmentMove]) {
      w.openArray(key)
      for m in moves {
        w.open()
        w.string("id", m.id)
        w.int("gpus", m.gpus)
        w.string("status", m.status?.rawValue)
        w.number("eta_before", m.etaBefore)
        w.number("eta_after", m.etaAfter)
        w.close()
      }
      w.closeArray()
    }
    shipments("shipments_delivered", shipmentsDelivered)
    shipments("shipments_slipped", shipmentsSlipped)
    w.open("power")
    w.number("capacity_mw_before", capacityBefore)
    w.number("capacity_mw_after", capacityAfter)
    statuses("sources", powerSources, &w)
    w.close()
    statuses("gates_passed", gatesPassed, &w)
    statuses("gates_failed", gatesFailed, &w)
    w.openArray("crit_alerts")
    for alert in critAlerts {
      w.open()
      w.number("ts", alert.ts)
      w.string("ref", alert.ref)
      w.string("msg", alert.msg)
      w.close()
    }
    w.closeArray()
    w.close()
    return w.text
  }

  private func statuses(_ key: String, _ moves: [StatusMove], _ w: inout CompactJSON) {
    w.openArray(key)
    for m in moves {
      w.open()
      w.string("id", m.id)
      w.string("from", m.from)
      w.string("to", m.to)
      w.close()
    }
    w.closeArray()
  }
}
