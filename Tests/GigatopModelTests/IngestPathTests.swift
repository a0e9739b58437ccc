import Testing

@testable import GigatopModel

#if canImport(Glibc)
import Glibc
#endif

/// The faster ingest paths give what the plain ones give: the GPU fast path of `apply` (state,
/// totals, history, errors) and the two-thread `FeedIntake.load` (state, counters, errors).
@Suite struct IngestPathTests {
  /// A scenario with GPU readings added: failures, XIDs, unknown nodes, indexes out of range.
  static func lines() -> [String] {
    var lines = ScenarioGenerator(options: ScenarioOptions(gpus: 2048, days: 20, seed: 11)).lines()
    var nodes: [String] = []
    for line in lines {
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else { continue }
      if case .node(let m) = envelope.message, !nodes.contains(m.id) { nodes.append(m.id) }
    }
    let states = ["ok", "failed", "degraded", "ok", "null", "ok"]
    var ts = 1_800_000_000
    for (i, node) in nodes.prefix(60).enumerated() {
      for index in [0, 3, 7, 9] {
        ts += 1
        let state = states[(i + index) % states.count]
        let stateField = state == "null" ? "null" : "\"\(state)\""
        let xid = i % 5 == 0 ? #","xid":79"# : ""
        lines.append(
          #"{"type":"gpu","ts":\#(ts),"node":"\#(node)","index":\#(index),"state":\#(stateField)\#(xid)}"#)
      }
    }
    lines.append(#"{"type":"gpu","ts":1800001000,"node":"nobody","index":2,"state":"failed"}"#)
    lines.append(#"{"type":"node","ts":1800001001,"id":"nobody","rack":"A-R01-K01","slot":2}"#)
    lines.append(#"{"type":"gpu","ts":1800001002,"node":"nobody","index":1,"xid":48}"#)
    return lines
  }

  @Test func gpuFastPathMatchesTheGeneralPath() {
    var fast = BuildoutState()
    var general = BuildoutState()
    for line in Self.lines() {
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else {
        fast.countRejectedLine()
        general.countRejectedLine()
        continue
      }
      var fastError: String?
      var generalError: String?
      do throws(LineError) { try fast.apply(envelope) } catch { fastError = error.reason }
      do throws(LineError) { try general.applyGeneral(envelope) } catch { generalError = error.reason }
      #expect(fastError == generalError, "\(line)")
    }
    #expect(fast == general)
    #expect(fast.gpuTotals == general.gpuTotals)
    #expect(fast.gpuTotals == Accounting.gpuTotals(fast))
    #expect(fast.rackHistory.rackIDs == general.rackHistory.rackIDs)
    for id in general.rackHistory.rackIDs {
      #expect(fast.rackHistory.events(forRack: id) == general.rackHistory.events(forRack: id), "\(id)")
    }
  }

  @Test func twoThreadLoadMatchesReadingInOrder() throws {
    var text = Self.lines()
    text.insert("{not json", at: 40)
    text.insert(#"{"type":"gpu","ts":5,"node":"x","index":2000}"#, at: 80)
    text.insert("", at: 90)
    let path = "/tmp/gigatop-ingest-path-\(getpid()).ndjson"
    let body = text.joined(separator: "\n") + "\n"
    guard let file = fopen(path, "w") else {
      Issue.record("cannot write \(path)")
      return
    }
    fputs(body, file)
    fclose(file)
    defer { unlink(path) }

    let loaded = FeedIntake.load(paths: [path])
    var expected = FeedIntake(feedNames: [path])
    FeedSource(path: path).readAll { expected.apply($0, feed: 0) }
    #expect(loaded.state == expected.state)
    #expect(loaded.feeds == expected.feeds)
    #expect(loaded.recentErrors == expected.recentErrors)
    #expect(loaded.state.counters.rejected >= 2)

    let until = 1_800_000_100.0
    let early = FeedIntake.load(paths: [path], until: until)
    var expectedEarly = FeedIntake(feedNames: [path])
    FeedSource(path: path).readAll { event in
      if let ts = event.ts, ts > until { return }
      expectedEarly.apply(event, feed: 0)
    }
    #expect(early.state == expectedEarly.state)

    let missing = FeedIntake.load(paths: ["/tmp/gigatop-no-such-feed-\(getpid()).ndjson"])
    #expect(missing.state.counters.rejected == 1)
    #expect(missing.feeds.first?.condition != nil)
  }
}
