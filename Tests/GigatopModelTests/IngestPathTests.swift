import Foundation
import Testing

@testable import GigatopModel

#if canImport(Glibc)
import Glibc
#endif

/// The faster ingest paths give what the plain ones give: the GPU and rack fast paths of `apply`
/// (state, totals, history, errors), the two-thread `FeedIntake.load` (state, counters, errors)
/// and its chunked decoding (`ParallelLineDecoder`) cut anywhere.
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
    // Rack messages about known racks (the rack fast path): readings, stage changes both ways,
    // null stages, notes, links over the total (rejected), and a rack that is new.
    let rackStages = ["\"racked\"", "null", "\"in_pool\"", "\"burn_in\"", "\"in_pool\"", "\"planned\""]
    for (i, rack) in ["A-R01-K01", "A-R01-K02", "A-R02-K01", "B-R01-K01"].enumerated() {
      for (j, stage) in rackStages.enumerated() {
        ts += 1
        let note = (i + j) % 3 == 0 ? #","note":"check \#(j)""# : ""
        lines.append(
          #"{"type":"rack","ts":\#(ts),"id":"\#(rack)","stage":\#(stage),"kw":\#(10 + j)\#(note)}"#)
      }
      ts += 1
      lines.append(#"{"type":"rack","ts":\#(ts),"id":"\#(rack)","links_up":80,"links_total":72}"#)
      lines.append(#"{"type":"rack","ts":\#(ts),"id":"\#(rack)","inlet_c":25.5,"links_up":70}"#)
    }
    lines.append(#"{"type":"rack","ts":1800000999,"id":"Z-R01-K01","hall":"Z","row":1,"slot":1}"#)
    // New racks: one without its place (rejected), one with a stage (its GPUs count at once).
    lines.append(#"{"type":"rack","ts":1800000999,"id":"Y-R01-K01","stage":"racked"}"#)
    lines.append(
      #"{"type":"rack","ts":1800000999,"id":"Y-R01-K02","hall":"Y","row":1,"slot":2,"stage":"cabled","note":"n"}"#
    )
    // Node messages (the node fast path): moves within a rack, to another rack, onto a slot
    // another node holds, to a rack not yet known, stage and GPU count changes, rejections.
    if nodes.count >= 3 {
      let (a, b, c) = (nodes[0], nodes[1], nodes[2])
      let moves = [
        #""id":"\#(a)","slot":5,"stage":"burn_in""#, #""id":"\#(a)","rack":"A-R01-K02","slot":2"#,
        #""id":"\#(b)","rack":"A-R01-K02","slot":2,"gpus":6,"gpus_ok":5"#,
        #""id":"\#(c)","rack":"Q-R09-K09","slot":1"#,
        #""id":"\#(c)","slot":99"#, #""id":"\#(b)","gpus_ok":7"#,
        #""id":"\#(b)","stage":null,"reason":"reseat""#,
        #""id":"\#(a)","rack":"Z-R01-K01","slot":3,"stage":"in_pool""#,
        #""id":"fresh-1","rack":"Z-R01-K01","slot":3"#,
        #""id":"fresh-2","slot":1"#, #""id":"\#(c)","rack":"A-R01-K01","slot":1,"gpus":8"#,
      ]
      for move in moves {
        ts += 1
        lines.append(#"{"type":"node","ts":\#(ts),\#(move)}"#)
      }
      lines.append(
        #"{"type":"rack","ts":\#(ts + 1),"id":"Q-R09-K09","hall":"Q","row":9,"slot":9,"stage":"racked"}"#)
    }
    lines.append(#"{"type":"gpu","ts":1800001000,"node":"nobody","index":2,"state":"failed"}"#)
    lines.append(#"{"type":"node","ts":1800001001,"id":"nobody","rack":"A-R01-K01","slot":2}"#)
    lines.append(#"{"type":"gpu","ts":1800001002,"node":"nobody","index":1,"xid":48}"#)
    return lines
  }

  @Test func fastPathsMatchTheGeneralPath() {
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

  /// Writes `lines`, each ended by a newline, to the file at `path`; false (recorded) when it cannot.
  static func write(_ lines: [String], to path: String) -> Bool {
    guard let file = fopen(path, "w") else {
      Issue.record("cannot write \(path)")
      return false
    }
    fputs(lines.joined(separator: "\n") + "\n", file)
    fclose(file)
    return true
  }

  @Test func twoThreadLoadMatchesReadingInOrder() throws {
    var text = Self.lines()
    text.insert("{not json", at: 40)
    text.insert(#"{"type":"gpu","ts":5,"node":"x","index":2000}"#, at: 80)
    text.insert("", at: 90)
    let path = "/tmp/gigatop-ingest-path-\(getpid()).ndjson"
    guard Self.write(text, to: path) else { return }
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
    // Messages up to `until`, and rejected lines read before the first message after it.
    var passed = false
    FeedSource(path: path).readAll { event in
      if let ts = event.ts {
        if ts > until {
          passed = true
          return
        }
      } else if passed {
        return
      }
      expectedEarly.apply(event, feed: 0)
    }
    #expect(early.state == expectedEarly.state)

    // Without the racks' history (what `summary` reads): the same state and summary, no history.
    let bare = FeedIntake.load(paths: [path], keepHistory: false)
    #expect(bare.state == loaded.state)
    #expect(bare.feeds == loaded.feeds)
    #expect(bare.state.gpuTotals == loaded.state.gpuTotals)
    #expect(bare.state.rackHistory.rackIDs.isEmpty)
    #expect(!loaded.state.rackHistory.rackIDs.isEmpty)
    #expect(
      SummaryReport.json(state: bare.state, summary: Summary(bare.state), counters: bare.state.counters)
        == SummaryReport.json(
          state: loaded.state, summary: Summary(loaded.state), counters: loaded.state.counters))

    let missing = FeedIntake.load(paths: ["/tmp/gigatop-no-such-feed-\(getpid()).ndjson"])
    #expect(missing.state.counters.rejected == 1)
    #expect(missing.feeds.first?.condition != nil)
  }

  /// Events applied where they were decoded (`FeedIntake.apply(_:feed:lineOffset:)`, what `load`
  /// does) give what applying them in order gives, with every rejected line numbered right, in
  /// chunks of any size.
  @Test(arguments: [97, 4096, 1 << 20])
  func eventsAppliedInPlaceMatchApplyingInOrder(chunkBytes: Int) throws {
    var text = Self.lines()
    text.insert(#"{"type":"gpu","ts":5,"node":"x","index":2000}"#, at: 80)
    let path = "/tmp/gigatop-in-place-\(getpid())-\(chunkBytes).ndjson"
    guard Self.write(text, to: path) else { return }
    defer { unlink(path) }

    var expected = FeedIntake(feedNames: ["f"])
    FeedSource(path: path).readAll { expected.apply($0, feed: 0) }
    var inPlace = FeedIntake(feedNames: ["f"])
    // The same, counted for the feed once at the end (what `load` does).
    var settled = FeedIntake(feedNames: ["f"])
    let before = settled.state.counters
    var kinds = Set<String>()
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    ParallelLineDecoder.runEntries(fd: fd, feed: "f", maxLine: 2048, chunkBytes: chunkBytes) {
      entry, offset in
      switch entry {
      case .event: kinds.insert("event")
      case .gpu: kinds.insert("gpu")
      case .node: kinds.insert("node")
      case .rack: kinds.insert("rack")
      }
      inPlace.apply(entry, feed: 0, lineOffset: offset)
      settled.applyUncounted(entry, lineOffset: offset)
    }
    settled.settleCounts(since: before)
    #expect(kinds == ["event", "gpu", "node", "rack"])
    #expect(settled.state == expected.state)
    #expect(settled.feeds.map(\.counters) == expected.feeds.map(\.counters))
    #expect(settled.recentErrors.map(\.line) == expected.recentErrors.map(\.line))
    #expect(inPlace.state == expected.state)
    #expect(inPlace.state.gpuTotals == expected.state.gpuTotals)
    #expect(inPlace.feeds.map(\.counters) == expected.feeds.map(\.counters))
    // Rejected by the state (GPU indexes beyond a node's count, links over the total) and by the
    // decoder, each with its own line.
    #expect(expected.recentErrors.count >= 10)
    #expect(inPlace.recentErrors.map(\.line) == expected.recentErrors.map(\.line))
    #expect(inPlace.recentErrors.map(\.reason) == expected.recentErrors.map(\.reason))
  }

  /// Lines that test the splitting: CRLF, blank and space-only lines, bad JSON, an over-long
  /// line, and no newline at the end.
  static let awkwardText: String = {
    var text = Self.lines().prefix(400).joined(separator: "\n")
    text = text.replacingOccurrences(of: "\n{\"type\":\"node\"", with: "\r\n{\"type\":\"node\"")
    text += "\n\n   \n{broken\n" + #"{"type":"fabric","ts":1800002000,"links_up":1,"pad":""#
    text += String(repeating: "x", count: 3000) + "\"}\n"
    text += #"{"type":"fabric","ts":1800002001,"links_up":2}"#
    return text
  }()

  /// What reading `bytes` line by line (`LineSplitter`, the live path) gives, as text.
  static func readInOrder(_ bytes: UnsafeRawBufferPointer, maxLine: Int) -> [String] {
    var splitter = LineSplitter(maxLine: maxLine)
    var out: [String] = []
    let note: (Int, LineSplitter.Content) -> Void = { line, content in
      if let event = FeedEvent.decode(content, feed: "f", line: line) {
        out.append(describe(event, offset: 0))
      }
    }
    splitter.push(bytes, note)
    splitter.finish(note)
    return out
  }

  static func describe(_ event: FeedEvent, offset: Int) -> String {
    switch event {
    case .message(let envelope, let line): return "\(line + offset) \(envelope)"
    case .rejected(let error): return "\(error.line + offset) \(error.reason)"
    }
  }

  /// What `ParallelLineDecoder` gives for a file holding `bytes`, as text; `beforeEach` is
  /// called with the file's path and the number of events so far before each event is taken.
  static func readChunked(
    _ bytes: [UInt8], chunkBytes: Int, beforeEach: (String, Int) -> Void = { _, _ in }
  ) -> [String] {
    let path = "/tmp/gigatop-chunked-\(getpid())-\(chunkBytes).ndjson"
    guard let file = fopen(path, "w") else { return ["cannot write \(path)"] }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    defer { unlink(path) }
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    var got: [String] = []
    ParallelLineDecoder.runEntries(fd: fd, feed: "f", maxLine: 2048, chunkBytes: chunkBytes) {
      entry, offset in
      beforeEach(path, got.count)
      got.append(Self.describe(entry.event, offset: offset))
    }
    return got
  }

  @Test(arguments: [1, 97, 1000, 4096, 1 << 20])
  func chunkedDecodingMatchesReadingLineByLine(chunkBytes: Int) {
    var bytes = Array(Self.awkwardText.utf8)
    let expected = bytes.withUnsafeBytes { Self.readInOrder($0, maxLine: 2048) }
    #expect(expected.count > 400)
    #expect(expected.contains { $0.contains("over the limit") })
    #expect(Self.readChunked(bytes, chunkBytes: chunkBytes) == expected)
    // With a newline at the end, too.
    bytes.append(0x0A)
    let expectedEnded = bytes.withUnsafeBytes { Self.readInOrder($0, maxLine: 2048) }
    #expect(Self.readChunked(bytes, chunkBytes: chunkBytes) == expectedEnded)
  }

  /// Chunks big enough to be cut from their last bytes alone (`ParallelLineDecoder.probeBytes`),
  /// and lines longer than those bytes (no newline among them: the chunk is read whole under
  /// the lock), split as reading line by line splits them.
  @Test(arguments: [16384, 20000, 65536])
  func chunksCutFromTheirLastBytesMatchReadingLineByLine(chunkBytes: Int) {
    var text = ""
    for round in 0..<6 {
      text += Self.awkwardText
      text += "\n" + #"{"type":"fabric","ts":1800003000,"links_up":\#(round),"pad":""#
      text += String(repeating: "y", count: 5000 + 3000 * round) + "\"}\n"
    }
    let bytes = Array(text.utf8)
    let expected = bytes.withUnsafeBytes { Self.readInOrder($0, maxLine: 2048) }
    #expect(bytes.count > 4 * chunkBytes)
    #expect(Self.readChunked(bytes, chunkBytes: chunkBytes) == expected)
  }

  /// A file cut shorter while it is read (a feed rotated by copy and truncate) ends the reading:
  /// what was read is the start of the whole, and nothing crashes (a mapped file would take a
  /// SIGBUS on the pages past the new end).
  @Test func aFileCutShorterWhileReadEndsTheReading() {
    let bytes = Array((Self.lines().joined(separator: "\n") + "\n").utf8)
    let whole = Self.readChunked(bytes, chunkBytes: 512)
    let got = Self.readChunked(bytes, chunkBytes: 512) { path, seen in
      if seen == 0 { _ = truncate(path, 2000) }
    }
    #expect(!got.isEmpty)
    #expect(got.count < whole.count)
    // (The last line read may be the one the cut went through: rejected as incomplete.)
    #expect(Array(whole.prefix(got.count - 1)) == Array(got.dropLast()))
  }

  /// The start of a chunk read after the file was cut: the chunk ends where the file now ends
  /// (at its last newline when only complete lines are wanted); read whole, it keeps its length.
  @Test func aChunkStartReadAfterACutEndsAtTheCut() {
    let path = "/tmp/gigatop-head-\(getpid()).ndjson"
    let text = Array("line one\nline two\nline thr".utf8)
    guard let file = fopen(path, "w") else { return }
    _ = text.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    defer { unlink(path) }
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0x7A, count: 64)
    // The chunk was 60 bytes when its end was read; 40 of them were left to read.
    #expect(
      ParallelLineDecoder.readHead(
        fd, into: &buffer, count: 60, offset: 0, unread: 40, completeLinesOnly: false) == text.count)
    #expect(Array(buffer[0..<text.count]) == text)
    #expect(
      ParallelLineDecoder.readHead(
        fd, into: &buffer, count: 60, offset: 0, unread: 40, completeLinesOnly: true) == 18)
    #expect(
      ParallelLineDecoder.readHead(
        fd, into: &buffer, count: 20, offset: 0, unread: 9, completeLinesOnly: true) == 20)
  }

  /// The same with chunks cut from their last bytes: a chunk whose end was found before the cut
  /// and whose start is read after it ends where the file now ends.
  @Test func aFileCutShorterWhileReadInBigChunksEndsTheReading() {
    let bytes = Array(String(repeating: Self.lines().joined(separator: "\n") + "\n", count: 4).utf8)
    let whole = Self.readChunked(bytes, chunkBytes: 16384)
    #expect(bytes.count > 8 * 16384)
    let got = Self.readChunked(bytes, chunkBytes: 16384) { path, seen in
      if seen == 0 { _ = truncate(path, 40000) }
    }
    #expect(!got.isEmpty)
    #expect(got.count < whole.count)
    #expect(Array(whole.prefix(got.count - 1)) == Array(got.dropLast()))
  }
}
