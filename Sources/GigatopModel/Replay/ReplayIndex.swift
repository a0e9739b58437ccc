/// A state kept while indexing, to seek from: the intake after `cursor.ordinal` items.
public struct ReplayKeyframe: Sendable {
  public var cursor: ReplayCursor
  public var intake: FeedIntake
}

/// Something worth a mark on the timeline.
public struct ReplayMarker: Equatable, Sendable {
  /// What happened.
  public enum Kind: Equatable, Sendable {
    case alert(Severity)
    case gatePassed
  }

  public var time: Double
  public var kind: Kind
}

/// What indexing a recording found: keyframes to seek from, markers, the time span, and progress.
///
/// Keyframes are whole states in memory, every `spacing` items; the spacing doubles (and every
/// other keyframe is dropped) whenever they would take more than the memory budget, so a seek
/// re-applies at most `spacing` items wherever it lands, and memory stays bounded whatever the
/// file's size. Items themselves are not kept: they are read again from the files by offset.
public struct ReplayIndex: Sendable {
  public internal(set) var keyframes: [ReplayKeyframe]
  public internal(set) var markers: [ReplayMarker] = []
  public internal(set) var startTime: Double?
  public internal(set) var endTime: Double?
  /// Items indexed so far.
  public internal(set) var count = 0
  public internal(set) var spacing: Int
  public internal(set) var finished = false
  public internal(set) var bytesIndexed: Int64 = 0
  public internal(set) var totalBytes: Int64 = 0
  /// Problems with the files: unreadable files, partial last lines.
  public internal(set) var warnings: [String] = []

  /// The most markers kept (warn alerts are dropped past it; crit alerts and gates are kept).
  public static let markerLimit = 50_000

  init(files: [String], spacing: Int) {
    keyframes = [
      ReplayKeyframe(cursor: ReplayCursor(files: files.count), intake: FeedIntake(feedNames: files))
    ]
    self.spacing = spacing
  }

  /// How far indexing got, 0...1.
  public var progress: Double {
    if finished { return 1 }
    guard totalBytes > 0 else { return 0 }
    return min(1, Double(bytesIndexed) / Double(totalBytes))
  }

  /// The last keyframe at or before item `ordinal`.
  public func keyframe(atOrBefore ordinal: Int) -> ReplayKeyframe? {
    var low = 0
    var high = keyframes.count - 1
    guard high >= 0 else { return nil }
    while low < high {
      let mid = (low + high + 1) / 2
      if keyframes[mid].cursor.ordinal <= ordinal { low = mid } else { high = mid - 1 }
    }
    return keyframes[low].cursor.ordinal <= ordinal ? keyframes[low] : nil
  }

  /// The last keyframe whose time is at or before `time` (the first one, empty, if none).
  public func keyframe(atOrBeforeTime time: Double) -> ReplayKeyframe? {
    var best = keyframes.first
    var low = 0
    var high = keyframes.count - 1
    while low <= high {
      let mid = (low + high) / 2
      let t = keyframes[mid].cursor.time ?? -Double.infinity
      if t <= time {
        best = keyframes[mid]
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return best
  }

  /// Whether the index reaches feed time `time` (so a seek there need not wait).
  public func covers(time: Double) -> Bool {
    finished || (keyframes.last?.cursor.time.map { $0 > time } ?? false)
  }
}

/// Builds a `ReplayIndex` by reading the recordings once, a slice at a time (so that it can run
/// in the background and report progress, and be tested without threads).
public final class ReplayIndexer {
  public private(set) var index: ReplayIndex
  private let stream: ReplayStream
  private var intake: FeedIntake
  /// Memory keyframes may take, in bytes (an estimate).
  public let memoryBudget: Int
  private var gateStatus: [String: GateStatus] = [:]

  /// Prepares to index `paths`; `spacing` is the first keyframe spacing in items.
  public init(paths: [String], spacing: Int = 1000, memoryBudget: Int = 512 << 20) {
    stream = ReplayStream(paths: paths)
    intake = FeedIntake(feedNames: paths.map { $0 == "-" ? "stdin" : $0 })
    index = ReplayIndex(files: paths.map { $0 == "-" ? "stdin" : $0 }, spacing: max(1, spacing))
    self.memoryBudget = memoryBudget
    index.totalBytes = stream.totalBytes
    index.warnings = stream.failures
  }

  /// Indexes up to `budget` more items; returns true when the whole recording is indexed.
  @discardableResult
  public func step(budget: Int = 20_000) -> Bool {
    if index.finished { return true }
    for _ in 0..<budget {
      guard let item = stream.next() else {
        index.finished = true
        index.bytesIndexed = index.totalBytes
        index.warnings += stream.warnings
        return true
      }
      note(item)
      intake.apply(item.event, feed: item.feed)
      index.count = stream.cursor.ordinal
      if let time = item.time {
        if index.startTime == nil { index.startTime = item.event.ts ?? time }
        index.endTime = time
      }
      if index.count % index.spacing == 0 { addKeyframe() }
    }
    index.bytesIndexed = stream.bytesRead
    return false
  }

  /// Indexes everything (for headless commands and tests).
  public func run() -> ReplayIndex {
    while !step() {}
    return index
  }

  private func note(_ item: ReplayItem) {
    guard case .message(let envelope, _) = item.event, let time = item.time else { return }
    switch envelope.message {
    case .alert(let alert):
      if alert.severity == .crit || (alert.severity == .warn && index.markers.count < ReplayIndex.markerLimit)
      {
        index.markers.append(ReplayMarker(time: time, kind: .alert(alert.severity)))
      }
    case .gate(let gate):
      if let status = gate.status ?? nil {
        if status == .passed, gateStatus[gate.id] != .passed {
          index.markers.append(ReplayMarker(time: time, kind: .gatePassed))
        }
        gateStatus[gate.id] = status
      }
    case .snapshot(let snapshot):
      for gate in snapshot.gates {
        guard let status = gate.status ?? nil else { continue }
        if status == .passed, gateStatus[gate.id] != .passed {
          index.markers.append(ReplayMarker(time: time, kind: .gatePassed))
        }
        gateStatus[gate.id] = status
      }
    default: break
    }
  }

  private func addKeyframe() {
    index.keyframes.append(ReplayKeyframe(cursor: stream.cursor, intake: intake))
    let state = intake.state
    let cost = 4096 + state.nodes.count * 200 + state.racks.count * 220 + state.shipments.count * 150
    let most = max(16, memoryBudget / cost)
    if index.keyframes.count > most {
      index.spacing *= 2
      let spacing = index.spacing
      index.keyframes = index.keyframes.filter { $0.cursor.ordinal % spacing == 0 }
    }
  }
}
