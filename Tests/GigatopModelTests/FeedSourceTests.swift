import Foundation
import Testing

@testable import GigatopModel

/// Real files in a temporary folder, followed the way the live dashboard follows them.
@Suite struct FeedSourceTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-feed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  func append(_ text: String, to file: String) throws {
    if !FileManager.default.fileExists(atPath: file) {
      FileManager.default.createFile(atPath: file, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }

  func ids(_ events: [FeedEvent]) -> [String] {
    events.compactMap {
      if case .message(let e, _) = $0, case .rack(let r) = e.message { return r.id }
      return nil
    }
  }

  @Test func followsAFileAsItGrowsAndNumbersLines() throws {
    let file = path("f.ndjson")
    try append(rackLine("R1", "racked") + "\n\n" + "not json\n", to: file)
    let source = FeedSource(path: file)
    let first = source.poll()
    #expect(ids(first) == ["R1"])
    guard case .rejected(let error)? = first.last else {
      Issue.record("no rejected line")
      return
    }
    #expect(error.line == 3)
    #expect(error.feed == file)
    #expect(source.poll().isEmpty)
    try append(rackLine("R2", "racked", slot: 2) + "\n", to: file)
    let second = source.poll()
    #expect(ids(second) == ["R2"])
    if case .message(_, let line)? = second.first { #expect(line == 4) }
  }

  @Test func aPartialLastLineWaitsForItsNewline() throws {
    let file = path("p.ndjson")
    let line = rackLine("R1", "racked")
    try append(String(line.prefix(20)), to: file)
    let source = FeedSource(path: file)
    #expect(source.poll().isEmpty)
    #expect(source.poll().isEmpty)
    try append(String(line.dropFirst(20)) + "\n", to: file)
    #expect(ids(source.poll()) == ["R1"])
  }

  @Test func aCompleteLastLineWithoutNewlineIsReadOnceTheWriterStops() throws {
    let file = path("n.ndjson")
    try append(rackLine("R1", "racked"), to: file)
    let source = FeedSource(path: file)
    var seen: [String] = []
    for _ in 0..<4 { seen += ids(source.poll()) }
    #expect(seen == ["R1"])
  }

  @Test func truncationRestartsFromTheTop() throws {
    let file = path("t.ndjson")
    try append(rackLine("R1", "racked") + "\n" + rackLine("R2", "racked", slot: 2) + "\n", to: file)
    let source = FeedSource(path: file)
    #expect(ids(source.poll()) == ["R1", "R2"])
    try Data((rackLine("R3", "racked", slot: 3) + "\n").utf8).write(to: URL(fileURLWithPath: file))
    #expect(ids(source.poll()) == ["R3"])
    #expect(source.condition?.contains("truncated") == true)
  }

  @Test func aReplacedFileIsReadFromItsStart() throws {
    let file = path("r.ndjson")
    try append(rackLine("R1", "racked") + "\n" + rackLine("R2", "racked", slot: 2) + "\n", to: file)
    let source = FeedSource(path: file)
    #expect(ids(source.poll()) == ["R1", "R2"])
    let other = path("r2.ndjson")
    try append(
      rackLine("R7", "racked", slot: 7) + "\n" + rackLine("R8", "racked", slot: 8) + "\n"
        + rackLine("R9", "racked", slot: 9) + "\n", to: other)
    _ = rename(other, file)
    #expect(ids(source.poll()) == ["R7", "R8", "R9"])
    #expect(source.condition?.contains("replaced") == true)
  }

  @Test func aMissingFileIsWaitedForAndPickedUp() throws {
    let file = path("later.ndjson")
    let source = FeedSource(path: file)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("waiting") == true)
    try append(rackLine("R1", "racked") + "\n", to: file)
    #expect(ids(source.poll()) == ["R1"])
    #expect(source.condition == nil)
  }

  @Test func aDirectoryIsReportedNotRead() {
    let source = FeedSource(path: folder.path)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("directory") == true)
  }

  @Test func aStatusDocumentIsReadAgainWhenItChanges() throws {
    let file = path("status.json")
    let doc = """
      [
        \(siteLine),
        {"type": "rack", "ts": "2024-06-01T00:00:00Z", "id": "R1", "hall": "A", "row": 1, "slot": 1,
         "stage": "racked"}
      ]
      """
    try Data(doc.utf8).write(to: URL(fileURLWithPath: file))
    let source = FeedSource(path: file)
    #expect(ids(source.poll()) == ["R1"])
    #expect(source.poll().isEmpty)
    let changed = """
      {"type": "snapshot", "ts": "2024-06-02T00:00:00Z",
       "racks": [{"id": "R5", "hall": "A", "row": 1, "slot": 5, "stage": "cabled"}]}
      """
    try Data(changed.utf8).write(to: URL(fileURLWithPath: file))
    let events = source.poll()
    #expect(events.count == 1)
    if case .message(let e, _)? = events.first, case .snapshot(let snap) = e.message {
      #expect(snap.racks.map(\.id) == ["R5"])
    } else {
      Issue.record("snapshot not read")
    }
  }

  @Test func overlongLinesAreRejectedWithoutStoppingTheFeed() throws {
    let file = path("long.ndjson")
    let long =
      #"{"type":"alert","ts":"2024-06-01T00:00:00Z","severity":"info","msg":""#
      + String(repeating: "x", count: 5000) + #""}"#
    try append(long + "\n" + rackLine("R1", "racked") + "\n", to: file)
    let source = FeedSource(path: file, maxLine: 1000)
    let events = source.poll()
    guard case .rejected(let error)? = events.first else {
      Issue.record("long line not rejected")
      return
    }
    #expect(error.reason.contains("over the limit"))
    #expect(error.line == 1)
    #expect(ids(events) == ["R1"])
  }

  @Test func loadMergesFeedsByTimeAndStopsAtAT() throws {
    let a = path("a.ndjson")
    let b = path("b.ndjson")
    try append(
      siteLine + "\n" + rackLine("R1", "racked", ts: "2024-06-01T00:00:00Z") + "\n"
        + rackLine("R1", "in_pool", ts: "2024-06-05T00:00:00Z") + "\n", to: a)
    try append(rackLine("R1", "burnin", ts: "2024-06-03T00:00:00Z") + "\n" + "{oops\n", to: b)
    let all = FeedIntake.load(paths: [a, b])
    #expect(all.state.racks.first?.stage == .inPool)
    #expect(all.feeds[1].counters.rejected == 1)
    #expect(all.state.counters.lines == 5)
    let early = FeedIntake.load(paths: [a, b], until: Timestamp.parse("2024-06-04T00:00:00Z"))
    #expect(early.state.racks.first?.stage == .burnin)
  }
}

@Suite struct FeedScheduleTests {
  @Test func handsOutEventsUpToATime() {
    let events: [FeedEvent] = (0..<5).compactMap { i in
      let line = #"{"type":"job","ts":\#(100 + i * 10),"state":"queued"}"#
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else { return nil }
      return FeedEvent.message(envelope, line: i + 1)
    }
    #expect(events.count == 5)
    var schedule = FeedSchedule(events: events)
    #expect(schedule.startTime == 100)
    #expect(schedule.take(through: 99).isEmpty)
    #expect(schedule.take(through: 120).count == 3)
    #expect(schedule.nextTime == 130)
    #expect(schedule.take(through: 1000).count == 2)
    #expect(schedule.isFinished)
  }
}
