import Foundation
import Testing

@testable import GigatopModel

#if canImport(Glibc)
import Glibc
#endif

/// Followed sources that go wrong, with real files, FIFOs and pipes: the source says what happened
/// (`condition`), never blocks a poll, and picks the feed up again when it comes back.
@Suite struct FailingSourceTests {
  let scratch: HardeningScratch

  init() throws { scratch = try HardeningScratch("failing") }

  static func line(_ id: String, slot: Int = 1) -> [UInt8] {
    Array((rackLine(id, "racked", slot: slot) + "\n").utf8)
  }

  /// The rack ids of the messages, and `!line:reason` for rejected lines.
  static func ids(_ events: [FeedEvent]) -> [String] {
    events.map { event in
      switch event {
      case .message(let e, _):
        if case .rack(let r) = e.message { return r.id }
        return "?"
      case .rejected(let error): return "!\(error.line):\(error.reason)"
      }
    }
  }

  /// Polls and fails the test if one poll takes more than a second (it must never block).
  static func timedPoll(
    _ source: FeedSource, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [FeedEvent] {
    let start = Date()
    let events = source.poll()
    let took = Date().timeIntervalSince(start)
    #expect(took < 1, "a poll took \(took) s", sourceLocation: sourceLocation)
    return events
  }

  @Test func aDeletedFileIsReportedAndARecreatedOneIsRead() throws {
    let file = try scratch.write(Self.line("R1"), to: "d.ndjson")
    let source = FeedSource(path: file)
    #expect(Self.ids(source.poll()) == ["R1"])
    #expect(unlink(file) == 0)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("deleted") == true, "\(source.condition ?? "nil")")
    #expect(source.poll().isEmpty)
    try scratch.write(Self.line("R2") + Self.line("R3", slot: 3), to: "d.ndjson")
    let events = source.poll()
    #expect(Self.ids(events) == ["R2", "R3"])
    if case .message(_, let line)? = events.first { #expect(line == 1) }
    #expect(source.condition?.contains("replaced") == true, "\(source.condition ?? "nil")")
  }

  /// A writer that still holds a deleted file keeps writing to it; what it writes is still read.
  @Test func aDeletedFileStillWrittenIsStillRead() throws {
    let file = try scratch.write(Self.line("R1"), to: "held.ndjson")
    let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    defer { try? writer.close() }
    try writer.seekToEnd()
    let source = FeedSource(path: file)
    #expect(Self.ids(source.poll()) == ["R1"])
    #expect(unlink(file) == 0)
    try writer.write(contentsOf: Data(Self.line("R2", slot: 2)))
    #expect(Self.ids(source.poll()) == ["R2"])
    #expect(source.condition?.contains("deleted") == true)
  }

  /// Log rotation: lines written to the old file just before it was renamed away are not lost.
  @Test func rotationReadsTheOldFilesLastLinesFirst() throws {
    let file = try scratch.write(Self.line("R1"), to: "rot.ndjson")
    let source = FeedSource(path: file)
    #expect(Self.ids(source.poll()) == ["R1"])
    try scratch.append(Self.line("R2", slot: 2), to: "rot.ndjson")
    #expect(rename(file, scratch.path("rot.ndjson.1")) == 0)
    try scratch.write(Self.line("R3", slot: 3), to: "rot.ndjson")
    #expect(Self.ids(source.poll()) == ["R2", "R3"])
    #expect(source.condition?.contains("replaced") == true)
  }

  @Test func aFileTruncatedToNothingIsReadAgainFromTheTop() throws {
    let file = try scratch.write(Self.line("R1") + Self.line("R2", slot: 2), to: "trunc.ndjson")
    let source = FeedSource(path: file)
    #expect(Self.ids(source.poll()) == ["R1", "R2"])
    #expect(truncate(file, 0) == 0)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("truncated") == true)
    try scratch.append(Self.line("R5", slot: 5), to: "trunc.ndjson")
    let events = source.poll()
    #expect(Self.ids(events) == ["R5"])
    if case .message(_, let line)? = events.first { #expect(line == 1) }
  }

  /// A symlink moved to another file (a `current` link) is followed to the new target.
  @Test func aRetargetedSymlinkIsFollowed() throws {
    let a = try scratch.write(Self.line("A1"), to: "a.ndjson")
    let b = try scratch.write(Self.line("B1", slot: 2), to: "b.ndjson")
    let link = scratch.path("current.ndjson")
    #expect(symlink(a, link) == 0)
    let source = FeedSource(path: link)
    #expect(Self.ids(source.poll()) == ["A1"])
    let temporary = scratch.path("next.ndjson")
    #expect(symlink(b, temporary) == 0)
    #expect(rename(temporary, link) == 0)
    #expect(Self.ids(source.poll()) == ["B1"])
  }

  /// chmod 000 stops reads only for a user without CAP_DAC_OVERRIDE; as root it does not, so this
  /// check is skipped there (`HardeningEndToEndTests` runs the same case as `nobody` via setpriv).
  @Test(.enabled(if: geteuid() != 0, "running as root: chmod 000 does not stop root from reading"))
  func anUnreadableFileIsReportedAndReadOnceAllowed() throws {
    let file = try scratch.write(Self.line("R1"), to: "locked.ndjson")
    #expect(chmod(file, 0) == 0)
    let source = FeedSource(path: file)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("permission denied") == true, "\(source.condition ?? "nil")")
    #expect(chmod(file, 0o644) == 0)
    #expect(Self.ids(source.poll()) == ["R1"])
  }

  /// Open errors that root gets too: a path through a regular file, a symlink loop. Both are
  /// reported with the system's words and tried again at every poll.
  @Test func aPathThatCannotBeOpenedIsReportedAndRetried() throws {
    let blocker = try scratch.write(Array("not a folder\n".utf8), to: "blocker")
    let through = FeedSource(path: blocker + "/feed.ndjson")
    #expect(through.poll().isEmpty)
    #expect(through.condition?.contains("not a directory") == true, "\(through.condition ?? "nil")")
    #expect(unlink(blocker) == 0)
    try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
    try scratch.write(Self.line("R1"), to: "blocker/feed.ndjson")
    #expect(Self.ids(through.poll()) == ["R1"])
    #expect(through.condition == nil)

    let loop = scratch.path("loop.ndjson")
    #expect(symlink(loop, loop) == 0)
    let looping = FeedSource(path: loop)
    #expect(looping.poll().isEmpty)
    #expect(looping.condition?.contains("symbolic links") == true, "\(looping.condition ?? "nil")")
    let headless = FeedIntake.load(paths: [loop])
    #expect(headless.recentErrors.first?.reason.contains("symbolic links") == true)
    #expect(headless.recentErrors.first?.feed == loop)
  }

  @Test func aDirectoryIsReportedAndAFileInItsPlaceIsRead() throws {
    let path = scratch.path("dir.ndjson")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    let source = FeedSource(path: path)
    #expect(Self.timedPoll(source).isEmpty)
    #expect(source.condition?.contains("directory") == true)
    let headless = FeedIntake.load(paths: [path])
    #expect(headless.recentErrors.first?.reason.contains("directory") == true)
    #expect(rmdir(path) == 0)
    try scratch.write(Self.line("R1"), to: "dir.ndjson")
    #expect(Self.ids(source.poll()) == ["R1"])
    #expect(source.condition == nil)
  }

  @Test func aFileReplacedByADirectoryIsReported() throws {
    let file = try scratch.write(Self.line("R1"), to: "f2d.ndjson")
    let source = FeedSource(path: file)
    #expect(Self.ids(source.poll()) == ["R1"])
    #expect(unlink(file) == 0)
    try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
    #expect(source.poll().isEmpty)
    #expect(source.condition?.contains("directory") == true, "\(source.condition ?? "nil")")
    #expect(rmdir(file) == 0)
    try scratch.write(Self.line("R2", slot: 2), to: "f2d.ndjson")
    #expect(Self.ids(source.poll()) == ["R2"])
  }

  /// A FIFO: polls never block, with or without a writer; a writer's lines are read; when it closes
  /// the source says so, and a new writer is read again.
  @Test func aFIFOIsReadWithoutBlockingAndReadAgainAfterItsWriterCloses() throws {
    let fifo = scratch.path("feed.fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let source = FeedSource(path: fifo)
    #expect(Self.timedPoll(source).isEmpty)
    #expect(Self.timedPoll(source).isEmpty)

    var writer = open(fifo, O_WRONLY | O_NONBLOCK)
    #expect(writer >= 0, "the source does not hold the FIFO open for reading")
    let first = Self.line("R1") + Self.line("R2", slot: 2)
    #expect(first.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == first.count)
    #expect(Self.ids(Self.timedPoll(source)) == ["R1", "R2"])
    #expect(source.pollableDescriptor != nil)
    #expect(Self.timedPoll(source).isEmpty)
    close(writer)
    #expect(Self.timedPoll(source).isEmpty)
    #expect(source.condition?.contains("closed") == true, "\(source.condition ?? "nil")")
    for _ in 0..<3 { #expect(Self.timedPoll(source).isEmpty) }

    writer = open(fifo, O_WRONLY | O_NONBLOCK)
    #expect(writer >= 0, "the source did not open the FIFO again after its writer closed")
    guard writer >= 0 else { return }
    defer { close(writer) }
    let second = Self.line("R3", slot: 3)
    #expect(second.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == second.count)
    #expect(Self.ids(Self.timedPoll(source)) == ["R3"])
    #expect(source.condition == nil, "\(source.condition ?? "nil")")
  }

  /// A partial last line is handed out (or rejected) when the FIFO's writer closes mid-line.
  @Test func aFIFOWriterClosingMidLineEndsThatLine() throws {
    let fifo = scratch.path("mid.fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let source = FeedSource(path: fifo)
    _ = Self.timedPoll(source)
    let writer = open(fifo, O_WRONLY | O_NONBLOCK)
    try #require(writer >= 0)
    let bytes = Self.line("R1") + Array(rackLine("R2", "racked", slot: 2).utf8) + Array(#"{"type":"#.utf8)
    _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
    #expect(Self.ids(Self.timedPoll(source)) == ["R1"])
    close(writer)
    let ids = Self.ids(Self.timedPoll(source))
    #expect(ids.count == 1)
    #expect(ids.first?.hasPrefix("!2:invalid JSON") == true, "\(ids)")
  }

  /// `gigatop validate FIFO` and the other headless commands wait for the writer and read to its end.
  @Test func aFIFOIsReadWholeByTheHeadlessPath() throws {
    let fifo = scratch.path("whole.fifo")
    #expect(mkfifo(fifo, 0o600) == 0)
    let lines = Self.line("R1") + Self.line("R2", slot: 2)
    let thread = Thread {
      // Opens (blocking until the reader is there), waits a little, writes in two pieces, closes.
      let writer = open(fifo, O_WRONLY)
      guard writer >= 0 else { return }
      Thread.sleep(forTimeInterval: 0.2)
      _ = lines.withUnsafeBytes { write(writer, $0.baseAddress, 10) }
      Thread.sleep(forTimeInterval: 0.2)
      _ = lines.withUnsafeBytes { write(writer, $0.baseAddress.map { $0 + 10 }, $0.count - 10) }
      close(writer)
    }
    thread.start()
    let intake = FeedIntake.load(paths: [fifo])
    #expect(intake.state.racks.map(\.id) == ["R1", "R2"])
    #expect(intake.recentErrors.isEmpty, "\(intake.recentErrors)")
  }

  /// Standard input from a pipe (`producer | gigatop -`): read as it comes, then "closed" for good.
  @Test func standardInputClosingIsReported() throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    let saved = dup(0)
    try #require(saved >= 0)
    #expect(dup2(ends[0], 0) == 0)
    close(ends[0])
    defer {
      _ = dup2(saved, 0)
      close(saved)
    }
    let source = FeedSource(path: "-")
    #expect(source.name == "stdin")
    #expect(Self.timedPoll(source).isEmpty)
    let bytes = Self.line("R1") + Array(rackLine("R2", "racked", slot: 2).utf8)
    _ = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
    #expect(Self.ids(Self.timedPoll(source)) == ["R1"])
    #expect(source.pollableDescriptor == 0)
    close(ends[1])
    #expect(Self.ids(Self.timedPoll(source)) == ["R2"])
    #expect(source.closed)
    #expect(source.condition == "closed")
    #expect(source.pollableDescriptor == nil)
    #expect(Self.timedPoll(source).isEmpty)
  }

  /// An endless device: a poll reads at most its budget and returns; the splitter holds no more than the limit.
  @Test func anEndlessDeviceDoesNotHangAPoll() {
    let zero = FeedSource(path: "/dev/zero", maxLine: 1 << 16)
    let start = Date()
    #expect(zero.poll(budget: 4 << 20).isEmpty)
    #expect(Date().timeIntervalSince(start) < 5)
    let null = FeedSource(path: "/dev/null")
    #expect(null.poll().isEmpty)
    #expect(null.condition == nil)
  }
}
