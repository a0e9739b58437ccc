import Foundation
import Testing

@testable import GigatopModel

/// Recording: lines written back, keyframes, crash safety, write errors.
@Suite struct ReplayRecordingTests {
  @Test func messageLinesDecodeToTheSameMessages() throws {
    let lines =
      ReplayFixture.scenarioLines
      + (try String(contentsOfFile: ReplayFixture.smallFeed, encoding: .utf8))
      .split(separator: "\n").map(String.init)
    for line in lines {
      guard case .success(let envelope) = MessageDecoder.decode(line: line) else { continue }
      let written = MessageWriter.line(envelope)
      guard case .success(let again) = MessageDecoder.decode(line: written) else {
        Issue.record("does not decode: \(written)")
        continue
      }
      #expect(again == envelope, "\(line)\n\(written)")
    }
    let rejected = MessageWriter.line(.rejected(FeedLineError(feed: "f", line: 3, reason: "bad")))
    guard case .failure = MessageDecoder.decode(line: rejected) else {
      Issue.record("a rejected line must be rejected again")
      return
    }
  }

  @Test func snapshotLineRoundTrips() throws {
    let original = state(ReplayFixture.scenarioLines)
    let line = try #require(SnapshotWriter.line(original, keyframe: false))
    guard case .success(let envelope) = MessageDecoder.decode(line: line) else {
      Issue.record("the snapshot does not decode")
      return
    }
    var restored = BuildoutState()
    try restored.apply(envelope)
    // Everything a snapshot holds comes back (times of "since" fields become the snapshot's ts).
    #expect(SnapshotWriter.line(restored, ts: original.now, keyframe: false) == line)
    #expect(restored.racks.map(\.id) == original.racks.map(\.id))
    #expect(restored.racks.map(\.stage) == original.racks.map(\.stage))
    #expect(restored.nodes.map(\.gpuRecords.count) == original.nodes.map(\.gpuRecords.count))
    #expect(original.nodes.contains { !$0.serials.isEmpty })
    #expect(restored.nodes.map(\.serials) == original.nodes.map(\.serials))
    #expect(restored.shipments.map(\.status) == original.shipments.map(\.status))
    #expect(restored.powerSources.map(\.capMW) == original.powerSources.map(\.capMW))
    #expect(restored.gates.map(\.status) == original.gates.map(\.status))
    #expect(restored.job?.state == original.job?.state)
    #expect(restored.fabric?.linksUp == original.fabric?.linksUp)
    #expect(restored.power?.facilityMW == original.power?.facilityMW)
    #expect(Accounting.gpuTotals(restored) == Accounting.gpuTotals(original))
    let keyframe = Array((SnapshotWriter.line(original) ?? "").utf8)
    #expect(keyframe.withUnsafeBytes { SnapshotWriter.isKeyframe($0) })
    #expect(!Array(line.utf8).withUnsafeBytes { SnapshotWriter.isKeyframe($0) })
  }

  /// Records the scenario with the writer (keyframes every 200 lines) and returns the path.
  static func record(in dir: URL) throws -> (path: String, state: BuildoutState) {
    let path = dir.appendingPathComponent("rec.ndjson").path
    let writer = RecordingWriter(path: path, now: 0, keyframeLines: 200, keyframeRatio: 0)
    var intake = FeedIntake(feedNames: ["demo"])
    for (i, line) in ReplayFixture.scenarioLines.enumerated() {
      var text = line
      guard
        let event = text.withUTF8({
          FeedEvent.decode(.bytes(UnsafeRawBufferPointer($0)), feed: "demo", line: i + 1)
        })
      else { continue }
      intake.apply(event, feed: 0)
      writer.append(line: MessageWriter.line(event))
      if writer.keyframeDue { writer.writeKeyframe(intake.state) }
      writer.flushIfDue(now: Double(i))
    }
    writer.flush()
    #expect(writer.failure == nil)
    #expect(writer.keyframesWritten > 3)
    return (path, intake.state)
  }

  @Test func aRecordingReplaysToTheLiveStateAndSkipsItsKeyframes() throws {
    let dir = try ReplayFixture.directory()
    let (path, live) = try Self.record(in: dir)
    let index = ReplayIndexer(paths: [path]).run()
    let player = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    player.seek(toTime: index.endTime ?? 0)
    #expect(player.intake.state == live)
  }

  @Test func aRecordingCutAtEveryByteOfItsLastLineReplays() throws {
    let dir = try ReplayFixture.directory()
    let (path, _) = try Self.record(in: dir)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // The last line (a message) and the state before it.
    let body = bytes.dropLast()
    let lastStart = (body.lastIndex(of: 0x0A) ?? -1) + 1
    let before = Array(bytes[..<lastStart])
    let beforePath = dir.appendingPathComponent("before.ndjson").path
    try Data(before).write(to: URL(fileURLWithPath: beforePath))
    let full = ReplayIndexer(paths: [path]).run()
    let expectedBefore = ReplayIndexer(paths: [beforePath]).run()
    let cutPath = dir.appendingPathComponent("cut.ndjson").path
    for cut in lastStart...bytes.count {
      try Data(bytes[..<cut]).write(to: URL(fileURLWithPath: cutPath))
      let index = ReplayIndexer(paths: [cutPath]).run()
      let player = ReplayPlayer(paths: [cutPath], index: index, scheduler: ReplayScheduler(speed: 1))
      player.seek(toTime: .infinity)
      let whole = cut >= bytes.count - 1
      let expected = whole ? full : expectedBefore
      #expect(index.count == expected.count, "cut at \(cut)")
      #expect(
        player.intake.state == ReplayPlayer.ended([whole ? path : beforePath], expected).intake.state,
        "cut at \(cut)")
      let partial = cut > lastStart && !whole
      #expect(index.warnings.contains { $0.contains("incomplete") } == partial, "cut at \(cut)")
    }
  }

  @Test func writeErrorsStopRecordingWithAClearMessage() throws {
    let dir = try ReplayFixture.directory()
    let cannotCreate = RecordingWriter(path: dir.path, now: 0)
    #expect(cannotCreate.failure?.contains("cannot record to") == true)
    #expect(!cannotCreate.isRecording)
    if FileManager.default.fileExists(atPath: "/dev/full") {
      let full = RecordingWriter(path: "/dev/full", now: 0)
      full.append(line: "{}")
      full.flush()
      #expect(full.failure?.contains("stopped") == true, "\(full.failure ?? "no failure")")
      full.append(line: "{}")
      #expect(!full.isRecording)
    }
  }

  @Test func appendingAfterACutStartsOnANewLine() throws {
    let dir = try ReplayFixture.directory()
    let path = dir.appendingPathComponent("r.ndjson").path
    try Data((#"{"type":"alert","ts":1,"severity":"info","msg":"a"}"# + "\n" + #"{"type":"al"#).utf8)
      .write(to: URL(fileURLWithPath: path))
    let writer = RecordingWriter(path: path, now: 0)
    writer.append(line: #"{"type":"alert","ts":2,"severity":"info","msg":"b"}"#)
    writer.flush()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasSuffix("\n{\"type\":\"alert\",\"ts\":2,\"severity\":\"info\",\"msg\":\"b\"}\n"))
  }
}

extension ReplayPlayer {
  /// A player at the end of `paths`.
  static func ended(_ paths: [String], _ index: ReplayIndex) -> ReplayPlayer {
    let player = ReplayPlayer(paths: paths, index: index, scheduler: ReplayScheduler(speed: 1))
    player.seek(toTime: .infinity)
    return player
  }
}
