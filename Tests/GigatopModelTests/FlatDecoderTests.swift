import Testing

@testable import GigatopModel

/// The fast path decodes exactly what the full decoder does: the same envelope, or it steps aside.
@Suite struct FlatDecoderTests {
  static func agree(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      MessageDecoder.decode(line: raw) == MessageDecoder.decodeTree(line: raw)
    }
  }

  @Test func handWrittenLines() {
    let lines = [
      #"{"type":"rack","ts":"2024-07-22T04:20:00Z","id":"A-R01-K01","hall":"A","row":1,"slot":1,"stage":"racked","kw":12.5}"#,
      #" { "type" : "node" , "ts" : 1721622000.25 , "id" : "n1" , "rack" : "r1" , "slot" : 3 , "x" : true } "#,
      #"{"type":"gpu","ts":1,"node":"n1","index":7,"state":"failed","temp_c":-0.0,"power_w":0.125,"xid":79}"#,
      #"{"type":"gpu","ts":1,"node":"n1","index":7.0,"temp_c":1e2}"#,
      #"{"type":"gpu","ts":1,"node":"n1","index":1024}"#,
      #"{"type":"rack","ts":1,"id":"r","links_up":5,"links_total":4}"#,
      #"{"type":"rack","ts":1,"id":"r","id":"s"}"#,
      #"{"type":"power","ts":1,"facility_mw":40.123456789012345,"it_mw":0.1}"#,
      #"{"type":"power","ts":1,"facility_mw":1.5,"halls":{"A":1}}"#,
      #"{"type":"power","ts":1,"halls":{ "A" : 1.25 , "B":0,"C":-0.0 },"x":{}}"#,
      #"{"type":"power","ts":1,"halls":{"A":1,"A":2}}"#, #"{"type":"power","ts":1,"halls":{"A":-1}}"#,
      #"{"type":"power","ts":1,"halls":{}}"#, #"{"type":"power","ts":1,"halls":null}"#,
      #"{"type":"power","ts":1,"halls":{"A":"1"}}"#, #"{"type":"power","ts":1,"halls":{"A":1,}}"#,
      #"{"type":"rack","ts":1,"id":"r","kw":{"a":1}}"#,
      #"{"type":"alert","ts":"2024-07-22T04:20:00+02:00","severity":"warn","msg":"x","extra":null}"#,
      #"{"type":"future","ts":5,"anything":[1,2]}"#,
      #"{"type":"job","ts":5,"id":null,"state":"running","gpus":98304,"v":2,"src":"s","seq":9}"#,
      #"{"type":"rack","ts":1,"id":"r","note":"caf\u00e9"}"#,
      #"{"type":"rack","ts":1,"id":"","hall":"A"}"#,
      #"{"type":"fabric","ts":1,"links_total":10,"links_up":10,"busbw_gbps":370.5}"#,
      #"{"type":"shipment","ts":1,"id":"SH-1","status":"in_transit","eta":"2024-08-01T00:00:00Z","gpus":2048}"#,
      #"{"type":"gate","ts":1,"id":"g","status":"passed","detail":"ok"}"#,
      #"{"type":"power_source","ts":1,"id":"p","kind":"grid","cap_mw":150,"status":"online"}"#,
      #"{"type":"node","ts":1,"id":"n","rack":"r","slot":1,"gpus":4,"gpus_ok":5}"#,
      #"{"type":"rack","ts":1e0,"id":"r"}"#, #"{"type":"rack","ts":-1,"id":"r"}"#, "{}", "[]", "{",
      #"{"type":"rack","ts":1,"id":"r",}"#, #"{"type":"rack","ts":1,"id":"r"} x"#,
      #"{"type":"rack","ts":1,"id":"r","kw":01}"#, #"{"type":"rack","ts":1,"id":"r","kw":1.}"#,
      #"{"type":"rack","ts":1,"id":"r","kw":123456789012345.5}"#,
    ]
    for line in lines {
      #expect(Self.agree(Array(line.utf8)), "\(line)")
    }
  }

  @Test func scenarioAndMutants() {
    let seeds = MutationFuzzTests.handWritten.map { Array($0.utf8) }
    let scenario = MutationFuzzTests.scenarioLines
    for line in scenario { #expect(Self.agree(line)) }
    var mutator = Mutator(random: FuzzRandom(seed: 0x666C_6174))
    var disagreements = 0
    for _ in 0..<20_000 {
      let line = mutator.random.chance(3, in: 10) ? mutator.random.pick(seeds) : mutator.random.pick(scenario)
      let other = mutator.random.pick(scenario)
      let mutant = mutator.mutate(line, other: other)
      if !Self.agree(mutant) {
        disagreements += 1
        if disagreements <= 5 {
          Issue.record("fast path disagrees on \(String(decoding: mutant, as: UTF8.self))")
        }
      }
    }
    #expect(disagreements == 0)
  }
}
