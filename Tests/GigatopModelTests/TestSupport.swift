import Testing

@testable import GigatopModel

/// Builds state from feed lines given as strings; fails the test on a rejected line unless allowed.
func state(_ lines: [String], allowRejects: Bool = false) -> BuildoutState {
  var s = BuildoutState()
  for line in lines {
    switch MessageDecoder.decode(line: line) {
    case .success(let envelope):
      do throws(LineError) {
        try s.apply(envelope)
      } catch {
        if !allowRejects { Issue.record("rejected: \(error.reason) — \(line)") }
      }
    case .failure(let error):
      if !allowRejects { Issue.record("undecodable: \(error.reason) — \(line)") }
      s.countRejectedLine()
    }
  }
  return s
}

/// The reason a line is rejected by the decoder or the reducer (given prior lines), or nil if accepted.
func rejection(_ line: String, after prior: [String] = []) -> String? {
  var s = state(prior)
  switch MessageDecoder.decode(line: line) {
  case .failure(let error): return error.reason
  case .success(let envelope):
    do throws(LineError) {
      try s.apply(envelope)
      return nil
    } catch {
      return error.reason
    }
  }
}

let siteLine =
  #"{"type":"site","ts":"2024-05-03T00:00:00Z","id":"MEM1","name":"Memphis-1","target_gpus":256,"deadline":"2024-09-02T00:00:00Z","gpus_per_node":8,"nodes_per_rack":4,"halls":[{"id":"A","rows":1,"racks_per_row":8}],"job":{"id":"pretrain-1","gpus":192}}"#

func rackLine(
  _ id: String, _ stage: String, ts: String = "2024-06-01T00:00:00Z", slot: Int = 1, extra: String = ""
)
  -> String
{
  #"{"type":"rack","ts":"\#(ts)","id":"\#(id)","hall":"A","row":1,"slot":\#(slot),"stage":"\#(stage)"\#(extra)}"#
}
