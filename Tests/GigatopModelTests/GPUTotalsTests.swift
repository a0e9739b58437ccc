import Testing

@testable import GigatopModel

/// The GPU totals the state keeps as messages are applied always equal a full count.
@Suite struct GPUTotalsTests {
  /// Applies lines one by one and checks the kept totals against `Accounting.gpuTotals` after each.
  func check(_ lines: [String], every: Int = 1) {
    var s = BuildoutState()
    for (i, line) in lines.enumerated() {
      switch MessageDecoder.decode(line: line) {
      case .success(let envelope):
        do throws(LineError) {
          try s.apply(envelope)
        } catch {
          // A rejected message leaves the state (and its totals) as they were.
        }
      case .failure:
        s.countRejectedLine()
      }
      if i % every == 0 || i == lines.count - 1 {
        #expect(s.gpuTotals == Accounting.gpuTotals(s), "after line \(i + 1): \(line)")
      }
    }
  }

  @Test func scenarioKeepsTotals() {
    let lines = ScenarioGenerator(options: ScenarioOptions(gpus: 2048, days: 20, seed: 7)).lines()
    check(lines, every: 7)
  }

  @Test func nodesMoveFailAndWaitForRacks() {
    check([
      #"{"type":"site","ts":1,"gpus_per_node":4,"nodes_per_rack":2}"#,
      #"{"type":"gpu","ts":2,"node":"n1","index":1,"state":"failed"}"#,
      #"{"type":"node","ts":3,"id":"n1","rack":"r1","slot":1,"stage":"burn_in"}"#,
      #"{"type":"rack","ts":4,"id":"r1","hall":"A","row":1,"slot":1,"stage":"cabled"}"#,
      #"{"type":"rack","ts":5,"id":"r2","hall":"A","row":1,"slot":2,"stage":"in_pool"}"#,
      #"{"type":"gpu","ts":6,"node":"n1","index":2,"state":"degraded"}"#,
      #"{"type":"node","ts":7,"id":"n2","rack":"r1","slot":1,"gpus":2}"#,
      #"{"type":"node","ts":8,"id":"n1","rack":"r2","slot":2}"#,
      #"{"type":"gpu","ts":9,"node":"n1","index":7,"state":"failed"}"#,
      #"{"type":"node","ts":10,"id":"n1","gpus":2}"#,
      #"{"type":"rack","ts":11,"id":"r2","stage":null}"#,
      #"{"type":"site","ts":12,"nodes_per_rack":1}"#,
      #"{"type":"site","ts":13,"nodes_per_rack":4,"gpus_per_node":8}"#,
      #"{"type":"gpu","ts":14,"node":"n2","index":0,"state":"failed"}"#,
      #"{"type":"snapshot","ts":15,"racks":[{"id":"r3","hall":"B","row":1,"slot":1,"stage":"powered"}],"nodes":[{"id":"n3","rack":"r3","slot":2}],"gpus":[{"node":"n3","index":0,"state":"failed"}]}"#,
      #"{"type":"node","ts":16,"id":"n3","rack":"r9","slot":1}"#,
      #"{"type":"rack","ts":17,"id":"r9","hall":"B","row":2,"slot":1,"stage":"accepted"}"#,
    ])
  }
}
