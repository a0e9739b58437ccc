import Testing

@testable import GigatopModel

/// The accounting rules on a small fixture whose numbers are worked out by hand in the comments.
@Suite struct AccountingTests {
  /// 4 nodes x 8 GPUs = 32 GPUs a rack.
  static let fixture: [String] = [
    siteLine,
    // A node for a rack not seen yet, and a GPU for a node not placed yet: kept, not counted.
    #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"R9-N1","rack":"R9","slot":1,"stage":"burnin"}"#,
    #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"R2-N4","index":5,"state":"failed"}"#,
    rackLine("R1", "in_pool", slot: 1), rackLine("R2", "in_pool", slot: 2),
    rackLine("R3", "accepted", slot: 3),
    rackLine("R4", "burnin", slot: 4), rackLine("R5", "racked", slot: 5),
    rackLine("R6", "delivered", slot: 6),
    #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"R7","hall":"A","row":1,"slot":7}"#,
    // R1: slot 2 is a node at rma (8 GPUs), slot 3 a node at the rack's stage with GPU 0 failed.
    #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"R1-N2","rack":"R1","slot":2,"stage":"rma"}"#,
    #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"R1-N3","rack":"R1","slot":3}"#,
    #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"R1-N3","index":0,"state":"failed"}"#,
    #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"R1-N3","index":1,"state":"degraded"}"#,
    // The waiting GPU's node is placed now: R2 loses one GPU to failed.
    #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"R2-N4","rack":"R2","slot":4}"#,
    #"{"type":"supply","ts":"2024-06-01T00:00:00Z","sku":"H100-SXM","needed":300}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S1","gpus":64,"status":"allocated","eta":"2024-09-20T00:00:00Z"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S2","gpus":32,"status":"shipped"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S3","gpus":32,"status":"in_transit","eta":"2024-07-01T00:00:00Z"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S4","gpus":100,"status":"delivered"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S5","gpus":20,"status":"short"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S6","gpus":50,"status":"diverted","eta":"2024-10-01T00:00:00Z"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S7","gpus":10,"status":"cancelled"}"#,
    #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"grid-1","kind":"grid","cap_mw":8,"status":"online"}"#,
    #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"gt-1","kind":"turbine","cap_mw":35,"status":"online"}"#,
    #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"gt-2","kind":"turbine","cap_mw":16,"status":"tripped"}"#,
    #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"mp-1","kind":"battery","cap_mw":10,"status":"planned"}"#,
    #"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":40,"it_mw":32}"#,
    #"{"type":"fabric","ts":"2024-06-01T00:00:00Z","links_total":100,"links_up":50,"busbw_gbps":300}"#,
    #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"g1","status":"passed"}"#,
    #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"g2","status":"waived"}"#,
    #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"g3","status":"running"}"#,
  ]

  @Test func gpusCountAtTheirNodesStageAndFailedApart() {
    let s = Summary(state(Self.fixture))
    // in_pool: R1 16 (slots 1,4) + 7 (slot 3 less one failed) = 23; R2 32 - 1 failed = 31.
    #expect(s.gpus.count(.inPool) == 54)
    #expect(s.gpus.count(.rma) == 8)
    #expect(s.gpus.count(.accepted) == 32)
    #expect(s.gpus.count(.burnin) == 32)
    #expect(s.gpus.count(.racked) == 32)
    #expect(s.gpus.count(.delivered) == 32)
    #expect(s.gpus.count(.planned) == 32)
    #expect(s.gpus.failed == 2)
    #expect(s.gpus.degraded == 1)
    // installed = racked + cabled + powered + burnin + accepted + in_pool = 32+0+0+32+32+54.
    #expect(s.gpus.installed == 150)
    #expect(s.gpus.inPool == 54)
    #expect(s.racksByStage[Stage.inPool.rank] == 2)
    #expect(s.racksByStage[Stage.planned.rank] == 1)
    #expect(s.racksSeen == 7)
  }

  @Test func supplyFollowsTheRules() {
    let s = Summary(state(Self.fixture)).supply
    #expect(s.needed == 300)
    #expect(s.allocated == 64)
    #expect(s.inTransit == 64)
    #expect(s.delivered == 120)
    // 300 - 64 - 64 - 120
    #expect(s.shortage == 52)
    // Only S1 is undelivered with an ETA after the deadline; S6 is diverted.
    #expect(s.late == 64)
    #expect(s.upcoming.map(\.id) == ["S3", "S1", "S2"])
  }

  @Test func needFallsBackToTheSiteTarget() {
    let s = Summary(state([siteLine])).supply
    #expect(s.needed == 256)
    #expect(s.shortage == 256)
  }

  @Test func powerCountsOnlyOnlineSources() {
    let p = Summary(state(Self.fixture)).power
    #expect(p.capacityMW == 43)
    #expect(p.facilityMW == 40)
    #expect(p.headroomMW == 3)
    #expect(p.pue == 1.25)
    #expect(p.pendingMW == 10)
    // 118 GPUs draw power: too few to derive kW per GPU from the feed.
    #expect(p.kwPerGPUFromFeed == false)
  }

  @Test func bindingConstraintIsTheLowestBelowTheJob() throws {
    let r = Summary(state(Self.fixture)).readiness
    #expect(r.jobGPUs == 192)
    #expect(r.inPool == 54)
    #expect(r.gatesPassed == 2)
    #expect(r.gatesTotal == 3)
    #expect(r.acceptedWaiting == 32)
    let allows = Dictionary(
      uniqueKeysWithValues: r.constraints.compactMap { c in c.allows.map { (c.kind, $0) } })
    #expect(allows[.racks] == 150)
    #expect(allows[.chips] == 248)
    #expect(allows[.power] == 30_714)  // 43 MW / 1.4 kW
    #expect(allows[.fabric] == 128)  // 256 GPUs x 50 / 100 links
    #expect(r.blocker == "fabric")
    let words = try #require(r.binding?.words)
    #expect(words == "fabric: 50% of links up allow 128 GPUs")

    var lines = Self.fixture
    lines.append(#"{"type":"fabric","ts":"2024-06-02T00:00:00Z","links_up":100}"#)
    #expect(Summary(state(lines)).readiness.blocker == "racks")
  }

  @Test func gatesHoldBackAJobThatEverythingElseAllows() {
    var lines = [siteLine]
    for i in 1...8 { lines.append(rackLine("R\(i)", "in_pool", slot: i)) }
    lines.append(#"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"nccl-full","status":"running"}"#)
    let r = Summary(state(lines)).readiness
    #expect(r.inPool == 256)
    #expect(r.blocker == "gates")
    lines.append(#"{"type":"gate","ts":"2024-06-02T00:00:00Z","id":"nccl-full","status":"passed"}"#)
    #expect(Summary(state(lines)).readiness.blocker == "none")
  }

  @Test func powerPerGPUIsDerivedFromTheFeedWhenEnoughGPUsDraw() {
    var lines = [
      #"{"type":"site","ts":"2024-05-03T00:00:00Z","target_gpus":100000,"job":{"gpus":50000}}"#,
      #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"g","kind":"grid","cap_mw":13,"status":"online"}"#,
    ]
    // 20 racks x 64 GPUs = 1,280 GPUs in the pool drawing 1.6 MW: 1.25 kW each.
    for i in 1...20 { lines.append(rackLine("R\(i)", "in_pool", slot: i)) }
    lines.append(#"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":1.6}"#)
    let s = Summary(state(lines))
    #expect(s.power.kwPerGPUFromFeed)
    #expect(abs(s.power.kwPerGPU - 1.25) < 1e-9)
    #expect(s.readiness.constraints.first { $0.kind == .power }?.allows == 10_400)
    #expect(s.readiness.constraints.first { $0.kind == .power }?.words == "power: 13 MW allows 10,400 GPUs")
    // 1,280 installed GPUs are fewer still: racks bind.
    #expect(s.readiness.blocker == "racks")
  }

  @Test func installRateAndETAComeFromTheLastSevenDays() throws {
    var lines = [
      #"{"type":"site","ts":"2024-05-01T00:00:00Z","halls":[{"id":"A","rows":1,"racks_per_row":20}],"gpus_per_node":8,"nodes_per_rack":8}"#
    ]
    for day in 1...10 {
      let ts = "2024-05-\(day < 10 ? "0" : "")\(day)T00:00:00Z"
      lines.append(rackLine("R\(day)", "racked", ts: ts, slot: day))
    }
    let s = Summary(state(lines))
    // Racks installed after May 3 (days 4..10): 7 in 7 days.
    #expect(s.forecast.installRatePerDay == 1)
    #expect(s.plannedRacks == 20)
    let done = try #require(s.forecast.racksDoneAt)
    #expect(Timestamp.format(done) == "2024-05-20T00:00:00Z")
  }

  @Test func aSnapshotReplacesTheState() {
    var lines = Self.fixture
    lines.append(
      #"{"type":"snapshot","ts":"2024-06-05T00:00:00Z","site":{"id":"MEM1","target_gpus":64,"nodes_per_rack":8},"racks":[{"id":"Z1","hall":"A","row":1,"slot":1,"stage":"cabled"}],"power_sources":[{"id":"g","kind":"grid","cap_mw":5,"status":"online"}]}"#
    )
    let st = state(lines)
    let s = Summary(st)
    #expect(st.racks.map(\.id) == ["Z1"])
    #expect(s.gpus.count(.cabled) == 64)
    #expect(s.gpus.inPool == 0)
    #expect(s.power.capacityMW == 5)
    #expect(st.shipments.isEmpty)
    #expect(st.counters.applied == lines.count)
  }

  @Test func aBadSnapshotIsRejectedWhole() {
    let before = state(Self.fixture)
    var after = before
    let line =
      #"{"type":"snapshot","ts":"2024-06-05T00:00:00Z","racks":[{"id":"Z1","hall":"A","row":1,"slot":1},{"id":"Z2","stage":"racked"}]}"#
    guard case .success(let envelope) = MessageDecoder.decode(line: line) else {
      Issue.record("snapshot did not decode")
      return
    }
    #expect(throws: LineError.self) { try after.apply(envelope) }
    #expect(after.racks == before.racks)
  }

  @Test func summaryJSONHasExactlyTheDocumentedKeys() throws {
    let st = state(Self.fixture)
    let text = SummaryReport.json(state: st, summary: Summary(st), counters: st.counters)
    guard case .object(let root) = try JSONParser.parse(text) else {
      Issue.record("not an object")
      return
    }
    #expect(root.keys == ["as_of", "site", "racks", "gpus", "supply", "power", "readiness", "feed"])
    guard case .object(let gpus)? = root["gpus"], case .object(let byStage)? = gpus["by_stage"] else {
      Issue.record("no gpus.by_stage")
      return
    }
    #expect(gpus.keys == ["target", "by_stage", "failed", "installed", "in_pool"])
    #expect(byStage.keys == Stage.allCases.map(\.rawValue))
    #expect(byStage["in_pool"] == .number(54))
    guard case .object(let readiness)? = root["readiness"] else { return }
    #expect(
      readiness.keys == [
        "job_gpus", "in_pool", "ratio", "gates_passed", "gates_total", "links_up", "links_total", "blocker",
      ])
    #expect(readiness["blocker"] == .string("fabric"))
    guard case .object(let supply)? = root["supply"] else { return }
    #expect(supply["shortage"] == .number(52))
  }
}
