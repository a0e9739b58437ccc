/// Power sources: the grid steps, the gas turbines, the Megapack batteries and one trip.
extension ScenarioPlanner {
  /// One `power_source` line, remembered for the capacity timeline.
  struct PowerStep {
    var day: Double
    var id: String
    var kind: StaticString
    var capMW: Double
    var status: StaticString
    var eta: Double?
    var mwh: Double?
    var isOnline: Bool
  }

  /// Plans every power source's lines and the alerts that go with them.
  mutating func planPowerSources() {
    let s = scale
    var steps: [PowerStep] = []
    func step(
      _ day: Double, _ id: String, _ kind: StaticString, _ cap: Double, _ status: StaticString,
      eta: Double? = nil, mwh: Double? = nil
    ) {
      steps.append(
        PowerStep(
          day: day, id: id, kind: kind, capMW: cap, status: status, eta: eta, mwh: mwh,
          isOnline: status.description == "online"))
    }
    // The utility: 8 MW at the start, 50 MW from Aug 1 (day 90), a 150 MW substation later.
    step(0, "grid-1", "grid", 8 * s, "online", eta: 90)
    step(90, "grid-1", "grid", 50 * s, "online")
    step(95, "grid-2", "grid", 150 * s, "planned", eta: 240)
    // Fourteen 2.5 MW mobile turbines, online one by one over days 36-50.
    for i in 0..<14 {
      let id = "gt-" + Self.twoDigits(i + 1)
      let online = 35 + 15 * Double(i + 1) / 14
      step(0, id, "turbine", 2.5 * s, "planned", eta: online.rounded(.up))
      step(online - 1.5, id, "turbine", 2.5 * s, "commissioning", eta: online.rounded(.up))
      step(online, id, "turbine", 2.5 * s, "online")
    }
    // Three ~16 MW turbines and two Megapack yards (10 x 1.9 MW / 3.9 MWh each), days 96-112.
    let big: [(String, Double)] = [("gt-15", 98), ("gt-16", 103), ("gt-17", 108)]
    for (id, online) in big {
      step(60, id, "turbine", 16 * s, "planned", eta: online)
      step(online - 2, id, "turbine", 16 * s, "commissioning", eta: online)
      step(online, id, "turbine", 16 * s, "online")
    }
    let packs: [(String, Double)] = [("bess-1", 99), ("bess-2", 111)]
    for (id, online) in packs {
      step(60, id, "battery", 19 * s, "planned", eta: online, mwh: 39 * s)
      step(online - 3, id, "battery", 19 * s, "commissioning", eta: online, mwh: 39 * s)
      step(online, id, "battery", 19 * s, "online", mwh: 39 * s)
    }
    // One small turbine trips around day 100 and is back a day later.
    let trip = 100.45
    step(trip, "gt-09", "turbine", 2.5 * s, "tripped")
    step(trip + 1, "gt-09", "turbine", 2.5 * s, "online")

    for p in steps {
      let start = begin(src: "bms")
      arena.key("id")
      arena.string(p.id)
      arena.key("kind")
      arena.quoted(p.kind)
      arena.key("cap_mw")
      arena.decimal(p.capMW, digits: ScenarioEmitter.digits(p.capMW))
      arena.key("status")
      arena.quoted(p.status)
      arena.key("eta")
      if let eta = p.eta { writeDay(eta) } else { arena.null() }
      if let mwh = p.mwh {
        arena.key("mwh")
        arena.decimal(mwh, digits: ScenarioEmitter.digits(mwh))
      }
      end(.powerSource, day: p.day, start: start)
    }
    powerSteps = steps.sorted { $0.day < $1.day }

    let mw = { (x: Double) in ScenarioLineWriter.text(x, digits: x >= 10 ? 0 : 1) }
    alert(
      .info, day: 35 + 15.0 / 14 - 1.5, src: "bms", ref: "gt-01",
      "Turbines commissioning: 14 x \(mw(2.5 * s)) MW")
    alert(
      .info, day: 50, src: "bms", ref: "gt-14", "All 14 turbines online: capacity \(mw(onlineMW(at: 50))) MW")
    alert(.info, day: 90, src: "bms", ref: "grid-1", "Grid step: grid-1 now \(mw(50 * s)) MW")
    alert(
      .crit, day: trip, src: "bms", ref: "gt-09",
      "gt-09 tripped: -\(mw(2.5 * s)) MW; bess-1 carrying the step")
    alert(.info, day: trip + 1, src: "bms", ref: "gt-09", "gt-09 back online")
  }

  /// Online capacity in MW on a canonical day.
  func onlineMW(at day: Double) -> Double {
    var caps: [String: Double] = [:]
    for p in powerSteps where p.day <= day {
      caps[p.id] = p.isOnline ? p.capMW : 0
    }
    return caps.values.reduce(0, +)
  }

  /// `07` for 7.
  static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
