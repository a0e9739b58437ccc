#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a replay stands in its recordings: for each file, the offset and number of its next line.
public struct ReplayCursor: Equatable, Sendable {
  public var offsets: [Int64]
  public var lines: [Int]
  /// Items handed out so far (the position in the merged stream).
  public var ordinal: Int
  /// The feed time reached: the latest `ts` handed out (feed time never runs backwards on screen).
  public var time: Double?

  /// The start of every file.
  public init(files: Int) {
    offsets = [Int64](repeating: 0, count: files)
    lines = [Int](repeating: 1, count: files)
    ordinal = 0
  }
}

/// One line of a recording as replay plays it.
public struct ReplayItem: Sendable {
  public var event: FeedEvent
  /// Which file it came from.
  public var feed: Int
  /// The feed time reached once it is applied (the running latest `ts`).
  public var time: Double?
}

/// Several recordings merged into one stream by `ts`, read forwards from any cursor.
///
/// The merge is the one `gigatop summary` makes (`FeedIntake.load`): each file keeps its own
/// order; between files the earlier `ts` goes first, the first file on a tie, a rejected line at
/// once. Keyframe lines (`SnapshotWriter.keyframeSource`) are skipped: they repeat what the lines
/// before them said.
public final class ReplayStream {
  public let paths: [String]
  private let readers: [RecordingReader]
  private var heads: [ReplayItem?]
  private var headsLoaded: [Bool]
  public private(set) var cursor: ReplayCursor
  /// Keyframe lines met by `next` (they are skipped).
  public private(set) var keyframesSeen = 0
  /// Bytes `fastForward` decodes at a time; 0 turns it off (everything goes through `next`).
  var fastForwardChunkBytes = 256 << 10

  /// Opens the files; `failures` says which cannot be read.
  public init(paths: [String]) {
    self.paths = paths
    readers = paths.map { RecordingReader(path: $0) }
    heads = Array(repeating: nil, count: paths.count)
    headsLoaded = Array(repeating: false, count: paths.count)
    cursor = ReplayCursor(files: paths.count)
  }

  /// Files that cannot be read, with the reason.
  public var failures: [String] {
    zip(paths, readers).compactMap { path, reader in reader.failure.map { "\(path): \($0)" } }
  }

  /// Warnings about the files' ends (partial last lines).
  public var warnings: [String] { readers.compactMap(\.warning) }

  /// The total size of the files in bytes.
  public var totalBytes: Int64 { readers.reduce(0) { $0 + $1.size } }

  /// Bytes read so far (the sum of the cursor's offsets).
  public var bytesRead: Int64 { cursor.offsets.reduce(0, +) }

  /// Moves to a cursor taken earlier from this stream (or the start: `ReplayCursor(files:)`).
  public func seek(to cursor: ReplayCursor) {
    self.cursor = cursor
    for i in readers.indices {
      readers[i].seek(to: cursor.offsets[i], line: cursor.lines[i])
      heads[i] = nil
      headsLoaded[i] = false
    }
  }

  /// The next item without taking it.
  public func peek() -> ReplayItem? {
    guard let pick = pickHead() else { return nil }
    guard var item = heads[pick] else { return nil }
    item.time = Self.later(cursor.time, item.event.ts)
    return item
  }

  /// The feed time reached once the next item is taken (`.some(nil)` if none yet), without
  /// copying the item; nil at the end.
  public var nextTime: Double?? {
    guard let pick = pickHead(), heads[pick] != nil else { return nil }
    return .some(Self.later(cursor.time, heads[pick]?.event.ts))
  }

  /// Takes the next item.
  public func next() -> ReplayItem? {
    guard let pick = pickHead(), var item = heads[pick] else { return nil }
    heads[pick] = nil
    headsLoaded[pick] = false
    cursor.offsets[pick] = readers[pick].offset
    cursor.lines[pick] = readers[pick].lineNumber
    cursor.ordinal += 1
    cursor.time = Self.later(cursor.time, item.event.ts)
    item.time = cursor.time
    return item
  }

  /// Takes items while `keepGoing` holds for the cursor each would leave (its ordinal, offsets
  /// and the feed time reached with it), handing each to `take` with its file, the number of
  /// lines before its line numbering starts (as `ParallelLineDecoder` gives them) and the feed
  /// time reached; the lines are decoded ahead on a second thread.
  ///
  /// Only for a single recording that is a regular file, and only over its complete lines (a
  /// last line without a newline is left to `next`); returns how many items it took. What it
  /// leaves is where `next` goes on, so a caller finishes with the ordinary loop.
  @discardableResult
  public func fastForward(
    while keepGoing: (ReplayCursor) -> Bool, take: (FeedEvent, Int, Int, Double?) -> Void
  ) -> Int {
    guard paths.count == 1, paths[0] != "-", fastForwardChunkBytes > 0 else { return 0 }
    let fd = open(paths[0], O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return 0 }
    let from = Int(cursor.offsets[0])
    let name = paths[0]
    let firstLine = cursor.lines[0]
    var taken = 0
    var position = cursor
    var options = ParallelLineDecoder.Options(
      maxLine: Int.max, chunkBytes: fastForwardChunkBytes, maxAhead: 4)
    options.skip = { SnapshotWriter.isKeyframe($0) }
    // Complete lines only: a last line without a newline is `next`'s to judge.
    options.completeLinesOnly = true
    ParallelLineDecoder.scan(fd: fd, from: from, feed: name, options: options) { event, lineOffset, end in
      let line: Int
      switch event {
      case .message(_, let number): line = number
      case .rejected(let error): line = error.line
      }
      var after = position
      after.offsets[0] = Int64(end)
      after.lines[0] = firstLine + lineOffset + line
      after.ordinal += 1
      after.time = Self.later(position.time, event.ts)
      guard keepGoing(after) else { return false }
      take(event, 0, firstLine - 1 + lineOffset, after.time)
      position = after
      taken += 1
      return true
    }
    if taken > 0 { seek(to: position) }
    return taken
  }

  static func later(_ a: Double?, _ b: Double?) -> Double? {
    guard let a else { return b }
    guard let b else { return a }
    return max(a, b)
  }

  private func pickHead() -> Int? {
    var best: Int?
    var bestTS = Double.infinity
    for i in readers.indices {
      if !headsLoaded[i] { load(i) }
      guard let head = heads[i] else { continue }
      let ts = head.event.ts ?? -Double.infinity
      if best == nil || ts < bestTS {
        best = i
        bestTS = ts
      }
    }
    return best
  }

  private func load(_ i: Int) {
    headsLoaded[i] = true
    let name = paths[i] == "-" ? "stdin" : paths[i]
    while true {
      var isKeyframe = false
      let found: FeedEvent?? = readers[i].next { line in
        if SnapshotWriter.isKeyframe(line.bytes) {
          isKeyframe = true
          return nil
        }
        return FeedEvent.decode(.bytes(line.bytes), feed: name, line: line.number)
      }
      guard let decoded = found else {
        heads[i] = nil
        return
      }
      if isKeyframe {
        keyframesSeen += 1
        // Skipped lines move the cursor too, so a cursor taken now starts after them.
        continue
      }
      guard let event = decoded else { continue }
      heads[i] = ReplayItem(event: event, feed: i, time: nil)
      return
    }
  }
}
