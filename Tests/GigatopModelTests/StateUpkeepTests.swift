import Testing

@testable import GigatopModel

/// The state keeps what it shows cheaply, and still shows the same: the latest alerts and rejected
/// lines (trimmed in steps), each hall's power draw (kept in report order, updated in place).
@Suite struct StateUpkeepTests {
  static func apply(_ lines: [String], to state: inout BuildoutState) {
    for line in lines {
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else {
        Issue.record("does not decode: \(line)")
        continue
      }
      do throws(LineError) { try state.apply(envelope) } catch { Issue.record("rejected: \(line)") }
    }
  }

  static func alert(_ i: Int) -> String {
    #"{"type":"alert","ts":\#(1000 + i),"severity":"warn","ref":"r\#(i)","msg":"alert \#(i)"}"#
  }

  @Test func alertsAreTheLatestInOrderAcrossTrims() {
    let limit = BuildoutState.alertLimit
    var state = BuildoutState()
    // Through several trims (every `limit` alerts past twice the limit), and between them.
    for count in [1, limit - 1, limit, limit + 1, 2 * limit - 1, 2 * limit, 2 * limit + 1, 5 * limit + 37] {
      state = BuildoutState()
      Self.apply((0..<count).map(Self.alert), to: &state)
      let kept = state.alerts.map(\.msg)
      let expected = (max(0, count - limit)..<count).map { "alert \($0)" }
      #expect(kept == expected, "after \(count) alerts")
      #expect(state.alerts.last?.ts == Double(1000 + count - 1))
    }
    // Two states with the same latest alerts are equal, however many were trimmed away.
    var a = BuildoutState()
    var b = BuildoutState()
    Self.apply((0..<(3 * limit)).map(Self.alert), to: &a)
    Self.apply((0..<(2 * limit + 1)).map(Self.alert), to: &b)
    #expect(a.alerts.count == limit && b.alerts.count == limit)
    #expect(a.alerts != b.alerts)
    Self.apply(((2 * limit + 1)..<(3 * limit)).map(Self.alert), to: &b)
    #expect(a.alerts == b.alerts)
  }

  /// An intake keeps the latest rejected lines as it keeps alerts: in order, trimmed in steps.
  @Test func rejectedLinesAreTheLatestInOrderAcrossTrims() {
    let limit = FeedIntake.errorLimit
    for count in [0, 1, limit, limit + 1, 2 * limit - 1, 2 * limit, 2 * limit + 1, 5 * limit + 37] {
      var intake = FeedIntake(feedNames: ["f"])
      for i in 0..<count {
        // Every other one rejected by the state rather than the decoder.
        let event: FeedEvent =
          i % 2 == 0
          ? .rejected(FeedLineError(feed: "f", line: i + 1, reason: "bad \(i)"))
          : .message(Envelope(ts: 1, message: .rack(RackMessage(id: "r"))), line: i + 1)
        intake.apply(event, feed: 0)
      }
      let expected = (max(0, count - limit)..<count).map { $0 + 1 }
      #expect(intake.recentErrors.map(\.line) == expected, "after \(count) errors")
      #expect(intake.lastError?.line == (count > 0 ? count : nil))
      #expect(intake.feeds[0].counters.rejected == count)
    }
  }

  /// A node's GPU records stay sorted by index, one per GPU, whatever order readings come in.
  @Test func gpuRecordsStaySortedOnePerGPU() {
    var state = BuildoutState()
    Self.apply(
      [
        #"{"type":"rack","ts":1,"id":"A-R01-K01","hall":"A","row":1,"slot":1,"stage":"in_pool"}"#,
        #"{"type":"node","ts":1,"id":"n1","rack":"A-R01-K01","slot":1}"#,
      ], to: &state)
    var expected: [Int: Double] = [:]
    for (k, index) in [7, 0, 3, 3, 5, 1, 7, 6, 0, 2, 4, 4].enumerated() {
      let temp = 50.0 + Double(k)
      Self.apply(
        [#"{"type":"gpu","ts":\#(2 + k),"node":"n1","index":\#(index),"temp_c":\#(temp)}"#], to: &state)
      expected[index] = temp
      let records = state.nodes[0].gpuRecords
      #expect(records.map(\.index) == expected.keys.sorted(), "after reading \(k)")
      #expect(records.map(\.tempC) == expected.keys.sorted().map { expected[$0] }, "after reading \(k)")
    }
  }

  @Test func hallDrawsKeepReportOrderAndUpdateInPlace() {
    var state = BuildoutState()
    Self.apply(
      [
        #"{"type":"power","ts":1,"facility_mw":10,"halls":{"A":1,"B":2,"C":3}}"#,
        // Same order: every value replaced.
        #"{"type":"power","ts":2,"halls":{"A":1.5,"B":2.5,"C":3.5}}"#,
      ], to: &state)
    #expect(state.power?.hallOrder == ["A", "B", "C"])
    #expect(state.power?.hallMW == [1.5, 2.5, 3.5])
    #expect(state.power?.facilityMW == 10)
    // Another order, a subset, and a new hall: known halls keep their place, the new one goes last.
    Self.apply([#"{"type":"power","ts":3,"halls":{"C":30,"D":4,"A":10}}"#], to: &state)
    #expect(state.power?.hallOrder == ["A", "B", "C", "D"])
    #expect(state.power?.hallMW == [10, 2.5, 30, 4])
    #expect(state.power?.halls == ["A": 10, "B": 2.5, "C": 30, "D": 4])
    #expect(state.power?.mw(ofHall: "D") == 4)
    #expect(state.power?.mw(ofHall: "E") == nil)
    #expect(state.power?.at == 3)
    // Halls absent: left alone. `null`: forgotten.
    Self.apply([#"{"type":"power","ts":4,"it_mw":7}"#], to: &state)
    #expect(state.power?.hallOrder == ["A", "B", "C", "D"])
    #expect(state.power?.itMW == 7)
    Self.apply([#"{"type":"power","ts":5,"halls":null}"#], to: &state)
    #expect(state.power?.hallOrder == [])
    #expect(state.power?.halls == [:])
    Self.apply([#"{"type":"power","ts":6,"halls":{"B":9}}"#], to: &state)
    #expect(state.power?.hallOrder == ["B"])
    #expect(state.power?.hallMW == [9])
  }

  /// New racks share one table of empty slots; a node placed in one of them changes that rack's
  /// slots alone, and racks added after `nodes_per_rack` changes get the new number of slots.
  @Test func newRacksShareEmptySlotsUntilANodeIsPlaced() {
    var state = BuildoutState()
    Self.apply(
      [
        #"{"type":"site","ts":1,"gpus_per_node":8,"nodes_per_rack":4}"#,
        #"{"type":"rack","ts":2,"id":"A-R01-K01","hall":"A","row":1,"slot":1}"#,
        #"{"type":"rack","ts":3,"id":"A-R01-K02","hall":"A","row":1,"slot":2}"#,
        #"{"type":"node","ts":4,"id":"n1","rack":"A-R01-K02","slot":3}"#,
      ], to: &state)
    #expect(state.racks.map(\.slots) == [[-1, -1, -1, -1], [-1, -1, 0, -1]])
    #expect(state.racks.map(\.hasNodes) == [false, true])
    Self.apply(
      [
        #"{"type":"site","ts":5,"gpus_per_node":8,"nodes_per_rack":2}"#,
        #"{"type":"rack","ts":6,"id":"A-R01-K03","hall":"A","row":1,"slot":3}"#,
        #"{"type":"node","ts":7,"id":"n2","rack":"A-R01-K03","slot":1}"#,
        #"{"type":"rack","ts":8,"id":"A-R01-K04","hall":"A","row":1,"slot":4}"#,
      ], to: &state)
    #expect(state.racks.map(\.slots.count) == [2, 2, 2, 2])
    #expect(state.racks[2].slots == [1, -1] && state.racks[3].slots == [-1, -1])
    #expect(state.gpuTotals == Accounting.gpuTotals(state))
  }

  /// A rack's events go to its own history ring when the rack's place in the state changes (a
  /// snapshot lists the racks in another order, and the history is kept): the ring each rack
  /// index last used is a hint, checked against the rack's id.
  @Test func rackEventsFindTheirRingAfterASnapshotReordersTheRacks() {
    var state = BuildoutState()
    Self.apply(
      [
        #"{"type":"rack","ts":1,"id":"A","hall":"H","row":1,"slot":1,"stage":"delivered"}"#,
        #"{"type":"rack","ts":2,"id":"B","hall":"H","row":1,"slot":2,"stage":"delivered"}"#,
        #"{"type":"snapshot","ts":3,"racks":[{"id":"B","hall":"H","row":1,"slot":2,"stage":"delivered"},{"id":"A","hall":"H","row":1,"slot":1,"stage":"delivered"}]}"#,
        #"{"type":"rack","ts":4,"id":"B","stage":"racked"}"#,
        #"{"type":"rack","ts":5,"id":"A","stage":"cabled"}"#,
      ], to: &state)
    #expect(state.racks.map(\.id) == ["B", "A"])
    #expect(state.rackHistory.events(forRack: "A").map(\.ts) == [1, 5])
    #expect(state.rackHistory.events(forRack: "B").map(\.ts) == [2, 4])
  }

  /// Draws that name the halls kept, in the same order, replace the kept draws whole, and the
  /// names array given is kept (the decoder's shared one: the next message's is the same array);
  /// names in another order are matched hall by hall.
  @Test func hallDrawsWithTheKeptNamesReplaceTheDraws() {
    var reading = PowerReading(at: 0)
    let names = ["A", "B", "C"]
    reading.set(HallDraws(names: names, mw: [1, 2, 3]))
    reading.set(HallDraws(names: names, mw: [4, 5, 6]))
    #expect(reading.hallOrder == names && reading.hallMW == [4, 5, 6])
    let kept = reading.hallOrder.withUnsafeBufferPointer { $0.baseAddress }
    #expect(kept == names.withUnsafeBufferPointer { $0.baseAddress })
    // Equal names in a new array: replaced whole as well.
    reading.set(HallDraws(names: ["A", "B", "C"], mw: [7, 8, 9]))
    #expect(reading.hallOrder == names && reading.hallMW == [7, 8, 9])
    reading.set(HallDraws(names: ["C", "A"], mw: [30, 10]))
    #expect(reading.hallOrder == names && reading.hallMW == [10, 8, 30])
    reading.set(HallDraws([("D", 4), ("B", 20)]))
    #expect(reading.hallOrder == ["A", "B", "C", "D"] && reading.hallMW == [10, 20, 30, 4])
  }

  /// A node message about a known node changes that node in place: what it reports, its place
  /// when it moves (its old slot freed), and nothing at all when it is rejected.
  @Test func nodeUpdatesChangeTheKnownNode() throws {
    var state = BuildoutState()
    var rejected = 0
    for line in [
      #"{"type":"site","ts":1,"halls":[{"id":"A","rows":1,"racks_per_row":2}],"gpus_per_node":8,"nodes_per_rack":8}"#,
      #"{"type":"rack","ts":2,"id":"A-R01-K01","hall":"A","row":1,"slot":1,"stage":"racked"}"#,
      #"{"type":"rack","ts":2,"id":"A-R01-K02","hall":"A","row":1,"slot":2,"stage":"racked"}"#,
      #"{"type":"node","ts":3,"id":"n1","rack":"A-R01-K01","slot":1,"gpus":8}"#,
      #"{"type":"node","ts":4,"id":"n1","gpus_ok":6,"reason":"XID 79","stage":"burnin","kw":9.5,"u":12}"#,
      #"{"type":"node","ts":5,"id":"n1","gpus_ok":9,"reason":"never"}"#,
      #"{"type":"node","ts":6,"id":"n1","rack":"A-R01-K02","slot":3}"#,
      #"{"type":"node","ts":7,"id":"n1","stage":"burnin","reason":"moved"}"#,
    ] {
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else {
        Issue.record("did not decode: \(line)")
        continue
      }
      do throws(LineError) { try state.apply(envelope) } catch { rejected += 1 }
    }
    #expect(rejected == 1)
    let n = try #require(state.nodeIndex["n1"])
    let node = state.nodes[n]
    #expect(node.gpusOK == 6)
    #expect(node.gpus == 8)
    #expect(node.reason == "moved")
    #expect(node.stage == .burnin)
    #expect(node.stageSince == 4)
    #expect(node.kw == 9.5)
    #expect(node.u == 12)
    #expect(node.rackID == "A-R01-K02")
    #expect(node.slot == 3)
    let first = try #require(state.rackIndex["A-R01-K01"])
    let second = try #require(state.rackIndex["A-R01-K02"])
    #expect(state.racks[first].slots[0] == -1)
    #expect(state.racks[second].slots[2] == Int32(n))
  }

  /// The series take a sample at the first message of each six-hour bucket, however close to
  /// the bucket's edges the messages fall, and none in between.
  @Test func seriesSampleTheFirstMessageOfEachBucket() {
    var state = BuildoutState()
    let edge = 10 * BuildoutState.sampleInterval
    let times = [
      edge - 7200, edge - 1.5, edge - 1, edge - 0.25, edge, edge + 0.5, edge + 3600,
      edge + BuildoutState.sampleInterval - 0.001, edge + BuildoutState.sampleInterval,
      edge + 5 * BuildoutState.sampleInterval + 1,
    ]
    for ts in times { state.advanceClock(to: ts) }
    #expect(
      state.poolSeries.samples.map(\.ts) == [
        edge - 7200, edge, edge + BuildoutState.sampleInterval, edge + 5 * BuildoutState.sampleInterval + 1,
      ])
    #expect(state.installedSeries.samples.count == 4)
  }

  @Test func aCopyOfTheStateKeepsItsHallDraws() {
    var state = BuildoutState()
    Self.apply([#"{"type":"power","ts":1,"halls":{"A":1,"B":2}}"#], to: &state)
    let before = state
    Self.apply([#"{"type":"power","ts":2,"halls":{"A":5}}"#], to: &state)
    #expect(before.power?.hallMW == [1, 2])
    #expect(state.power?.hallMW == [5, 2])
  }
}

/// Nodes' and GPU records' compact fields read back what was set: absent and present counts (0
/// included), the largest the feed allows, power draws, serials.
@Suite struct CompactStorageTests {
  @Test func nodeFieldsReadBackWhatWasSet() {
    var node = Node(id: "n", rackID: "r", slot: 3, stageSince: 1)
    #expect(node.slot == 3 && node.u == nil && node.kw == nil && node.gpus == nil && node.gpusOK == nil)
    for value in [0, 1, 8, 1024, 1_000_000_000, -1] {
      node.u = value
      node.gpus = value
      node.gpusOK = value
      node.slot = value
      #expect(node.u == value && node.gpus == value && node.gpusOK == value && node.slot == value)
    }
    node.u = nil
    node.gpus = nil
    #expect(node.u == nil && node.gpus == nil && node.gpusOK == -1)
    for kw in [0.0, -0.0, 10.2, 1e9] {
      node.kw = kw
      #expect(node.kw == kw)
    }
    node.kw = nil
    #expect(node.kw == nil)
    let made = Node(
      id: "m", rackID: "r", slot: 1, u: 0, stage: .burnin, kw: 0, gpus: 0, gpusOK: 0, reason: "x",
      stageSince: 2)
    #expect(made.u == 0 && made.kw == 0 && made.gpus == 0 && made.gpusOK == 0 && made.stage == .burnin)
    #expect(made != Node(id: "m", rackID: "r", slot: 1, stage: .burnin, reason: "x", stageSince: 2))
    #expect(MemoryLayout<Node>.stride <= 88)
  }

  /// A GPU record's compact fields read back what was set.
  @Test func gpuRecordFieldsReadBackWhatWasSet() {
    var record = GPURecord(index: 7, updatedAt: 1)
    #expect(record.index == 7 && record.state == nil && record.tempC == nil && record.powerW == nil)
    #expect(record.xid == nil)
    for xid in [0, 79, 1_000_000_000] {
      record.xid = xid
      #expect(record.xid == xid)
    }
    record.xid = nil
    #expect(record.xid == nil)
    for index in [0, 1023, 1024] {
      record.index = index
      #expect(record.index == index)
    }
    let full = GPURecord(index: 3, state: .failed, tempC: -0.5, powerW: 0, xid: 0, updatedAt: 2)
    #expect(full.state == .failed && full.tempC == -0.5 && full.powerW == 0 && full.xid == 0)
    #expect(MemoryLayout<GPURecord>.stride <= 32)
  }

  /// A node's boxed fields (reason, GPU serials) read back what was set, apart from each other,
  /// and copies stay apart when one changes.
  @Test func nodeSerialsAndReasonReadBackWhatWasSet() {
    var node = Node(id: "n", rackID: "r", slot: 1, stageSince: 0)
    #expect(node.reason == nil && node.serial(ofGPU: 0) == nil && node.serials.isEmpty)
    node.setSerial("1650923012345", ofGPU: 3)
    node.reason = "XID 79 on GPU 3"
    let copy = node
    node.setSerial("other", ofGPU: 3)
    #expect(copy.serial(ofGPU: 3) == "1650923012345" && node.serial(ofGPU: 3) == "other")
    #expect(copy != node)
    node.setSerial("1650923012345", ofGPU: 3)
    #expect(copy == node)
    node.reason = nil
    #expect(node.reason == nil && node.serial(ofGPU: 3) == "1650923012345" && copy.reason != nil)
    node.setSerial("", ofGPU: 0)
    #expect(node.serials == [0: "", 3: "1650923012345"])
    node.setSerial(nil, ofGPU: 3)
    node.setSerial(nil, ofGPU: 0)
    #expect(node.serials.isEmpty && node == Node(id: "n", rackID: "r", slot: 1, stageSince: 0))
  }

  /// Serial numbers reported on GPU lines reach the node, also when the GPU came before its node,
  /// and a null serial forgets one.
  @Test func gpuSerialsFollowTheirNode() throws {
    var state = BuildoutState()
    StateUpkeepTests.apply(
      [
        #"{"type":"rack","ts":1,"id":"A-R01-K01","hall":"A","row":1,"slot":1,"stage":"in_pool"}"#,
        #"{"type":"gpu","ts":2,"node":"n1","index":2,"serial":"111"}"#,
      ], to: &state)
    #expect(state.pendingSerials["n1"] == [2: "111"])
    StateUpkeepTests.apply([#"{"type":"node","ts":3,"id":"n1","rack":"A-R01-K01","slot":1}"#], to: &state)
    let n = try #require(state.nodeIndex["n1"])
    #expect(state.nodes[n].serial(ofGPU: 2) == "111" && state.pendingSerials.isEmpty)
    StateUpkeepTests.apply(
      [
        #"{"type":"gpu","ts":4,"node":"n1","index":5,"serial":"222"}"#,
        #"{"type":"gpu","ts":5,"node":"n1","index":2,"serial":null}"#,
      ], to: &state)
    #expect(state.nodes[n].serials == [5: "222"])
    #expect(state.nodes[n].gpuRecords.map(\.index) == [2, 5])
    // A node not placed yet forgets a serial too, and keeps its records.
    StateUpkeepTests.apply(
      [
        #"{"type":"gpu","ts":6,"node":"n2","index":1,"serial":"333"}"#,
        #"{"type":"gpu","ts":7,"node":"n2","index":1,"serial":null,"temp_c":50}"#,
      ], to: &state)
    #expect(state.pendingSerials["n2"] == nil)
    #expect(state.pendingGPUs["n2"]?.map(\.tempC) == [50])
  }
}
