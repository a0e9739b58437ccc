import Testing

@testable import GigatopModel

@Suite struct MessageDecoderTests {
  @Test func decodesEveryMessageType() throws {
    let lines = [
      siteLine,
      #"{"type":"rack","ts":1717200000,"id":"A-R01-K01","hall":"A","row":1,"slot":1,"pod":"A-P01","stage":"burnin","kw":52.1,"inlet_c":31.2,"links_up":72,"links_total":72,"note":"CDU pump 2 swapped"}"#,
      #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"A-R01-K01-N1","rack":"A-R01-K01","slot":1,"u":21,"stage":"burnin","kw":8.1,"gpus":8,"gpus_ok":7,"reason":"XID 79"}"#,
      #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"A-R01-K01-N1","index":3,"state":"failed","temp_c":61,"power_w":640,"xid":79,"serial":"165"}"#,
      #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"SH-1","po":"PO-1","vendor":"Supermicro","sku":"H100-SXM","gpus":512,"status":"in_transit","eta":"2024-07-10T00:00:00Z"}"#,
      #"{"type":"supply","ts":"2024-06-01T00:00:00Z","sku":"H100-SXM","needed":102400,"lead_time_days":56}"#,
      #"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":39.8,"it_mw":32.1,"halls":{"A":18.2,"B":14.0}}"#,
      #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"grid-1","kind":"grid","cap_mw":8,"status":"online","eta":"2024-08-01T00:00:00Z"}"#,
      #"{"type":"fabric","ts":"2024-06-01T00:00:00Z","links_total":115200,"links_up":114980,"busbw_gbps":318}"#,
      #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"nccl-full","name":"Full-fabric all-reduce","status":"running","detail":"busbw 318 of 380 GB/s"}"#,
      #"{"type":"job","ts":"2024-06-01T00:00:00Z","id":"pretrain-1","state":"running","gpus":30720}"#,
      #"{"type":"alert","ts":"2024-06-01T00:00:00Z","severity":"warn","ref":"A-R03-K07","msg":"CDU pump 2 fault"}"#,
      #"{"type":"snapshot","ts":"2024-06-02T00:00:00Z","site":{"id":"X"},"racks":[{"id":"R1","hall":"A","row":1,"slot":1,"stage":"racked"}],"nodes":[],"gpus":[],"shipments":[],"supply":[],"power":{"facility_mw":1},"power_sources":[],"fabric":{"links_total":10,"links_up":5},"gates":[],"job":{"state":"queued"}}"#,
    ]
    for line in lines {
      let result = MessageDecoder.decode(line: line)
      guard case .success(let envelope) = result else {
        Issue.record("rejected: \(line) — \(result)")
        continue
      }
      if case .unknown = envelope.message { Issue.record("decoded as unknown: \(line)") }
    }
    guard case .success(let rack) = MessageDecoder.decode(line: lines[1]), case .rack(let m) = rack.message
    else {
      Issue.record("rack did not decode")
      return
    }
    #expect(rack.ts == 1_717_200_000)
    #expect(m.stage == .some(.burnin))
    #expect(m.kw == .some(52.1))
    #expect(m.note == .some("CDU pump 2 swapped"))
  }

  @Test func partialUpdatesKeepAbsentFieldsAndNullMeansUnknown() throws {
    let s = state([
      siteLine,
      rackLine("R1", "burnin", extra: #","kw":50,"note":"hello""#),
      #"{"type":"rack","ts":"2024-06-02T00:00:00Z","id":"R1","kw":null}"#,
    ])
    let rack = try #require(s.racks.first)
    #expect(rack.stage == .burnin)
    #expect(rack.kw == nil)
    #expect(rack.note == "hello")
  }

  @Test(arguments: [
    (#"{"ts":"2024-06-01T00:00:00Z","id":"x"}"#, "missing field type"),
    (#"{"type":"rack","id":"x"}"#, "missing field ts"),
    (#"{"type":"rack","ts":"yesterday","id":"x"}"#, "RFC 3339"),
    (
      #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"x","hall":"A","row":1,"slot":1,"stage":"bogus"}"#,
      "unknown value \"bogus\""
    ),
    (#"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"x","hall":"A","row":-1,"slot":1}"#, "below 0"),
    (
      #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"x","hall":"A","row":"1","slot":1}"#,
      "expected a whole number, got a string"
    ),
    (#"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"x","hall":"A","row":1.5,"slot":1}"#, "whole number"),
    (
      #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"x","hall":"A","row":1,"slot":1,"links_up":80,"links_total":72}"#,
      "above links_total"
    ),
    (#"{"type":"fabric","ts":"2024-06-01T00:00:00Z","links_up":5,"links_total":4}"#, "above links_total"),
    (#"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S","gpus":-512}"#, "below 0"),
    (#"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"n","index":0,"state":"melted"}"#, "unknown value"),
    (#"{"type":"alert","ts":"2024-06-01T00:00:00Z","severity":"panic","msg":"x"}"#, "unknown value"),
    (#"[1,2]"#, "must be a JSON object"),
    (#""rack""#, "must be a JSON object"),
    (
      #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"new-rack","stage":"racked"}"#,
      "needed the first time"
    ),
    (#"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"n1","stage":"racked"}"#, "needed the first time"),
    (#"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":1e400}"#, "out of range"),
    (#"{"type":"power","ts":"2024-06-01T00:00:00Z","halls":{"A":"many"}}"#, "expected a number"),
  ])
  func rejectsBadLinesWithAReason(_ line: String, _ reason: String) {
    let got = rejection(line, after: [siteLine])
    #expect(got?.contains(reason) == true, "got \(got ?? "accepted") for \(line)")
  }

  @Test func rejectedLineLeavesStateUnchanged() {
    let before = state([siteLine, rackLine("R1", "racked", extra: #","links_total":72,"links_up":10"#)])
    var after = before
    if case .success(let envelope) = MessageDecoder.decode(
      line: #"{"type":"rack","ts":"2024-06-09T00:00:00Z","id":"R1","stage":"cabled","links_up":99}"#)
    {
      #expect(throws: LineError.self) { try after.apply(envelope) }
    }
    #expect(after.racks == before.racks)
    #expect(after.now == before.now)
    #expect(after.counters.rejected == before.counters.rejected + 1)
  }

  @Test func unknownTypesAndFieldsAreIgnoredAndCounted() {
    let s = state([
      siteLine,
      #"{"type":"cooling_loop","ts":"2024-06-01T00:00:00Z","id":"L1"}"#,
      rackLine("R1", "racked", extra: #","vendor_color":"blue","x":{"y":1}"#),
    ])
    #expect(s.counters.ignored == 1)
    #expect(s.counters.applied == 2)
    #expect(s.counters.unknownFields == 2)
    #expect(s.racks.count == 1)
  }

  @Test func timestampsParseOffsetsAndFractions() {
    #expect(Timestamp.parse("2024-07-22T04:20:00Z") == 1_721_622_000)
    #expect(Timestamp.parse("2024-07-22T06:20:00+02:00") == 1_721_622_000)
    #expect(Timestamp.parse("2024-07-22T04:20:00.5Z") == 1_721_622_000.5)
    #expect(Timestamp.parse("2024-02-30T00:00:00Z") == nil)
    #expect(Timestamp.parse("2024-07-22") == nil)
    #expect(Timestamp.format(1_721_622_000) == "2024-07-22T04:20:00Z")
    #expect(Timestamp.parseArgument("2024-07-22") == 1_721_606_400)
  }
}
