import Foundation
import Testing

@testable import GigatopModel

/// Seeking by keyframes, both ways, and the four ways of reaching a time agreeing.
@Suite struct ReplaySeekTests {
  /// The state after the first `count` lines, applied one by one.
  static func linear(_ path: String, count: Int) -> FeedIntake {
    var intake = FeedIntake(feedNames: [path])
    var applied = 0
    FeedSource(path: path).readAll { event in
      if applied < count { intake.apply(event, feed: 0) }
      applied += 1
    }
    return intake
  }

  @Test func seekingByOrdinalForwardsAndBackwardsMatchesApplyingInOrder() throws {
    let dir = try ReplayFixture.directory()
    let path = try ReplayFixture.write(ReplayFixture.scenarioLines, name: "s.ndjson", in: dir)
    let index = ReplayIndexer(paths: [path], spacing: 97).run()
    #expect(index.keyframes.count > 3)
    let player = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    let total = index.count
    let targets = [total / 2, total / 3, total - 1, 5, 0, total, total / 2 + 1, total / 2 - 1, 96, 97, 98]
    for target in targets {
      player.seek(toOrdinal: target)
      #expect(player.ordinal == target)
      #expect(player.intake.state == Self.linear(path, count: target).state, "at item \(target)")
    }
  }

  @Test(arguments: ["scenario", "small", "bad lines"])
  func liveSummaryPlayingAndSeekingAgreeAtEveryTime(fixture: String) throws {
    let dir = try ReplayFixture.directory()
    var lines = ReplayFixture.scenarioLines
    if fixture == "bad lines" {
      // Rejected lines all through (they have no time): they count up to the first message after T.
      for at in stride(from: lines.count - 1, to: 0, by: -(lines.count / 23)) {
        lines.insert(at % 2 == 0 ? "{broken" : #"{"type":"gpu","ts":5,"node":"n","index":-1}"#, at: at)
      }
    }
    let path =
      fixture == "small"
      ? ReplayFixture.smallFeed
      : try ReplayFixture.write(lines, name: "s.ndjson", in: dir)
    let index = ReplayIndexer(paths: [path], spacing: 50).run()
    let start = try #require(index.startTime)
    let end = try #require(index.endTime)
    let backwards = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    backwards.seek(toTime: end)
    let playing = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 3600))
    for step in 0...8 {
      let t = start + (end - start) * Double(step) / 8 + (step == 8 ? 0 : 1234)
      let summary = FeedIntake.load(paths: [path], until: t)
      let live = ReplayFixture.live(path, until: t)
      // Playing: the scheduler hands out one item at a time until the next is after t.
      while let next = playing.nextTime, next <= t { playing.tick(wallSeconds: 1, limit: 1) }
      let forwards = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
      forwards.seek(toTime: t)
      backwards.seek(toTime: t)
      let expected = ReplayFixture.summary(summary.state)
      for (name, state) in [
        ("live", live.state), ("playing", playing.intake.state), ("seek forwards", forwards.intake.state),
        ("seek backwards", backwards.intake.state),
      ] {
        #expect(ReplayFixture.summary(state) == expected, "\(fixture) \(name) at \(Timestamp.format(t))")
        #expect(state == summary.state, "\(fixture) \(name) state at \(Timestamp.format(t))")
      }
      if step < 8 { backwards.seek(toTime: end) }
    }
  }

  /// Seeks decode ahead on a second thread (`ReplayStream.fastForward`): cut into chunks of any
  /// size, over keyframe lines, bad lines, CRLF and blank lines and a cut last line, they reach
  /// what reading item by item reaches, with the same cursor and the same error line numbers.
  @Test(arguments: [1, 700, 5000, 256 << 10])
  func fastForwardAgreesWithReadingItemByItem(chunkBytes: Int) throws {
    let dir = try ReplayFixture.directory()
    let (recorded, _) = try ReplayRecordingTests.record(in: dir)
    var text = try String(contentsOfFile: recorded, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.insert("{not json", at: 50)
    lines.insert("   ", at: 120)
    lines.insert(#"{"type":"gpu","ts":1,"node":"x","index":5000}"#, at: 300)
    lines[200] += "\r"
    text = lines.joined(separator: "\n") + #"{"type":"rack","ts":2000000000,"id":"cut"#
    let path = dir.appendingPathComponent("ff.ndjson").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let index = ReplayIndexer(paths: [path], spacing: 40).run()
    let fast = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    fast.fastForwardChunkBytes = chunkBytes
    let slow = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    slow.fastForwardChunkBytes = 0
    let start = try #require(index.startTime)
    let end = try #require(index.endTime)
    let total = index.count
    // (Targets just past the bad lines reach them from a keyframe after the start.)
    for target in [total / 2, 3, total, 60, total / 3 + 1, 0, 290, total - 1, 151] {
      fast.seek(toOrdinal: target)
      slow.seek(toOrdinal: target)
      #expect(fast.ordinal == target)
      #expect(fast.intake.state == slow.intake.state, "at item \(target)")
      #expect(fast.intake.recentErrors == slow.intake.recentErrors, "at item \(target)")
      #expect(fast.time == slow.time)
      // Playing on from there reads the same next items.
      fast.stepForward()
      slow.stepForward()
      #expect(fast.intake.state == slow.intake.state, "after item \(target)")
    }
    for step in [5, 1, 8, 3, 0, 7] {
      let t = start + (end - start) * Double(step) / 8
      fast.seek(toTime: t)
      slow.seek(toTime: t)
      #expect(fast.ordinal == slow.ordinal, "at \(Timestamp.format(t))")
      #expect(fast.intake.state == slow.intake.state, "at \(Timestamp.format(t))")
      #expect(fast.intake.feeds == slow.intake.feeds, "at \(Timestamp.format(t))")
    }
    #expect(slow.intake.recentErrors.count >= 2)
    #expect(fast.warnings == slow.warnings)
  }

  /// Indexing decodes ahead too: the keyframes (where and what), markers and span are those of
  /// reading item by item, in steps of any budget.
  @Test(arguments: [(700, 37), (5000, 20_000)])
  func indexingAheadAgreesWithReadingItemByItem(chunkBytes: Int, budget: Int) throws {
    let dir = try ReplayFixture.directory()
    let (path, _) = try ReplayRecordingTests.record(in: dir)
    func index(_ chunk: Int) -> ReplayIndex {
      let indexer = ReplayIndexer(paths: [path], spacing: 60, byteSpacing: 9000, memoryBudget: 2_000_000)
      indexer.fastForwardChunkBytes = chunk
      while !indexer.step(budget: budget) {}
      return indexer.index
    }
    let fast = index(chunkBytes)
    let slow = index(0)
    #expect(fast.keyframes.count == slow.keyframes.count)
    #expect(fast.keyframes.count > 4)
    #expect(fast.keyframes.map(\.cursor) == slow.keyframes.map(\.cursor))
    #expect(fast.markers == slow.markers)
    #expect(fast.count == slow.count)
    #expect(fast.startTime == slow.startTime)
    #expect(fast.endTime == slow.endTime)
    #expect(fast.spacing == slow.spacing)
    for position in fast.keyframes.indices {
      #expect(fast.intake(at: position).state == slow.intake(at: position).state, "keyframe \(position)")
    }
  }

  @Test func keyframesOfChangedNodesAndThinningRestoreWholeStates() throws {
    let dir = try ReplayFixture.directory()
    let path = try ReplayFixture.write(ReplayFixture.scenarioLines, name: "s.ndjson", in: dir)
    // Tiny spacings and budget: keyframes that hold only changed nodes, chains of them, and
    // several rounds of thinning.
    let indexer = ReplayIndexer(paths: [path], spacing: 13, byteSpacing: 4096, memoryBudget: 300_000)
    let index = indexer.run()
    #expect(index.spacing > 13)
    #expect(index.keyframes.contains { !$0.isFull })
    #expect(index.keyframes.count >= 3)
    for position in stride(from: 0, to: index.keyframes.count, by: max(1, index.keyframes.count / 12)) {
      let ordinal = index.keyframes[position].cursor.ordinal
      #expect(
        index.intake(at: position).state == Self.linear(path, count: ordinal).state, "keyframe \(position)")
    }
    let player = ReplayPlayer(paths: [path], index: index, scheduler: ReplayScheduler(speed: 1))
    for target in [index.count, index.count / 3, 7, index.count / 2] {
      player.seek(toOrdinal: target)
      #expect(player.intake.state == Self.linear(path, count: target).state, "at item \(target)")
    }
  }

  @Test func severalRecordingsMergeLikeSummary() throws {
    let dir = try ReplayFixture.directory()
    let lines = ReplayFixture.scenarioLines
    let a = try ReplayFixture.write(
      lines.enumerated().filter { $0.offset % 3 == 0 }.map(\.element), name: "a.ndjson", in: dir)
    let b = try ReplayFixture.write(
      lines.enumerated().filter { $0.offset % 3 != 0 }.map(\.element), name: "b.ndjson", in: dir)
    let index = ReplayIndexer(paths: [a, b], spacing: 64).run()
    let player = ReplayPlayer(paths: [a, b], index: index, scheduler: ReplayScheduler(speed: 1))
    let end = try #require(index.endTime)
    player.seek(toTime: end)
    let loaded = FeedIntake.load(paths: [a, b])
    #expect(player.intake.state == loaded.state)
    player.seek(toTime: (index.startTime ?? 0) + 86_400 * 5)
    #expect(
      player.intake.state == FeedIntake.load(paths: [a, b], until: (index.startTime ?? 0) + 86_400 * 5).state)
  }

  @Test func markersHoldCritAlertsAndGatesPassing() throws {
    let dir = try ReplayFixture.directory()
    let path = try ReplayFixture.write(ReplayFixture.scenarioLines, name: "s.ndjson", in: dir)
    let index = ReplayIndexer(paths: [path]).run()
    #expect(index.markers.contains { $0.kind == .gatePassed })
    #expect(index.markers.contains { $0.kind == .alert(.warn) || $0.kind == .alert(.crit) })
  }
}
