/// A state kept while indexing, to seek from: the intake after `cursor.ordinal` items.
///
/// The node table (the bulk of a large site's state) is kept whole only in full keyframes; the
/// others keep the nodes that differ from the keyframe before them, so a keyframe costs what
/// changed rather than the whole site. `ReplayIndex.intake(at:)` puts a state back together.
public struct ReplayKeyframe: Sendable {
  /// One node that differs from the keyframe before.
  struct NodeChange: Sendable {
    var index: Int
    var node: Node
  }

  public var cursor: ReplayCursor
  /// The intake; its state's `nodes` is empty unless the keyframe is full.
  var intake: ReplayIntake
  /// Nil for a full keyframe; else the nodes that differ from the keyframe before, by index.
  var nodeChanges: [NodeChange]?
  /// How many nodes the state has.
  var nodeCount: Int
  /// Bytes this keyframe holds of its own (an estimate).
  var cost: Int

  /// Whether the keyframe holds the whole node table.
  public var isFull: Bool { nodeChanges == nil }
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
/// Keyframes are states in memory, at most `spacing` items and `byteSpacing` bytes of the files
/// apart, so a seek re-applies at most that much wherever it lands. When their estimated size
/// passes the memory budget the spacing doubles and every other keyframe is dropped, so memory
/// stays bounded whatever the file's size. Items themselves are not kept: they are read again
/// from the files by offset.
public struct ReplayIndex: Sendable {
  public internal(set) var keyframes: [ReplayKeyframe]
  public internal(set) var markers: [ReplayMarker] = []
  public internal(set) var startTime: Double?
  public internal(set) var endTime: Double?
  /// Items indexed so far.
  public internal(set) var count = 0
  /// The most items between keyframes.
  public internal(set) var spacing: Int
  /// The most bytes of the files between keyframes.
  public internal(set) var byteSpacing: Int64
  public internal(set) var finished = false
  public internal(set) var bytesIndexed: Int64 = 0
  public internal(set) var totalBytes: Int64 = 0
  /// Problems with the files: unreadable files, partial last lines.
  public internal(set) var warnings: [String] = []
  /// The keyframes' estimated size in bytes.
  public var keyframeBytes: Int { keyframes.reduce(0) { $0 + $1.cost } }

  /// The most markers kept (warn alerts are dropped past it; crit alerts and gates are kept).
  public static let markerLimit = 50_000

  init(files: [String], spacing: Int, byteSpacing: Int64) {
    keyframes = [
      ReplayKeyframe(
        cursor: ReplayCursor(files: files.count), intake: ReplayIntake(feedNames: files), nodeChanges: nil,
        nodeCount: 0, cost: 0)
    ]
    self.spacing = spacing
    self.byteSpacing = byteSpacing
  }

  /// How far indexing got, 0...1.
  public var progress: Double {
    if finished { return 1 }
    guard totalBytes > 0 else { return 0 }
    return min(1, Double(bytesIndexed) / Double(totalBytes))
  }

  /// The position in `keyframes` of the last keyframe at or before item `ordinal`.
  public func position(atOrBefore ordinal: Int) -> Int {
    var low = 0
    var high = keyframes.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if keyframes[mid].cursor.ordinal <= ordinal { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The position of the last keyframe whose time is at or before `time` (the first, empty, if none).
  public func position(atOrBeforeTime time: Double) -> Int {
    var best = 0
    var low = 0
    var high = keyframes.count - 1
    while low <= high {
      let mid = (low + high) / 2
      let t = keyframes[mid].cursor.time ?? -Double.infinity
      if t <= time {
        best = mid
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return best
  }

  /// The whole intake of the keyframe at `position`: the last full keyframe's node table with
  /// the changes of every keyframe after it applied.
  ///
  /// The changes are taken newest first, each node from the latest keyframe that changed it, so
  /// a node is copied once however long the chain (patching forwards copied a node once per
  /// keyframe that changed it: most of the table per keyframe on a busy site).
  public func intake(at position: Int) -> ReplayIntake {
    var base = position
    while base > 0, !keyframes[base].isFull { base -= 1 }
    var intake = keyframes[position].intake
    guard base < position else { return intake }
    let count = keyframes[position].nodeCount
    let baseNodes = keyframes[base].intake.state.nodes
    var nodes = Array(baseNodes.prefix(count))
    var taken = [Bool](repeating: false, count: count)
    if nodes.count < count {
      // Nodes added since the full keyframe: every one is among the changes below.
      let placeholder = Node(id: "", rackID: "", slot: 0, stageSince: 0)
      nodes.append(contentsOf: repeatElement(placeholder, count: count - nodes.count))
    }
    var k = position
    while k > base {
      (keyframes[k].nodeChanges ?? []).withUnsafeBufferPointer { changes in
        for c in changes.indices where changes[c].index < count && !taken[changes[c].index] {
          nodes[changes[c].index] = changes[c].node
          taken[changes[c].index] = true
        }
      }
      k -= 1
    }
    intake.state.nodes = nodes
    return intake
  }

  /// Applies a keyframe's node changes to the node table of the keyframe before it.
  static func patch(_ nodes: inout [Node], with keyframe: ReplayKeyframe) {
    guard let changes = keyframe.nodeChanges else {
      nodes = keyframe.intake.state.nodes
      return
    }
    for change in changes {
      if change.index < nodes.count {
        nodes[change.index] = change.node
      } else if change.index == nodes.count {
        nodes.append(change.node)
      }
    }
    if nodes.count > keyframe.nodeCount { nodes.removeLast(nodes.count - keyframe.nodeCount) }
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
  private var intake: ReplayIntake
  /// Memory keyframes may take, in bytes (an estimate).
  public let memoryBudget: Int
  private var gateStatus: [String: GateStatus] = [:]
  /// The node table at the last keyframe (to find what changed since).
  private var lastNodes: [Node] = []
  /// Where the last keyframe was, in items and bytes.
  private var lastOrdinal = 0
  private var lastBytes: Int64 = 0

  /// At most this many keyframes in a row hold only changes (so a seek patches at most this many).
  static let chainLimit = 24

  /// Prepares to index `paths`; `spacing` and `byteSpacing` are the first keyframe spacings in
  /// items and in bytes (a keyframe comes at whichever is reached first).
  public init(
    paths: [String], spacing: Int = 20_000, byteSpacing: Int64 = 2 << 20, memoryBudget: Int = 1 << 30
  ) {
    stream = ReplayStream(paths: paths)
    let names = paths.map { $0 == "-" ? "stdin" : $0 }
    intake = ReplayIntake(feedNames: names)
    index = ReplayIndex(files: names, spacing: max(1, spacing), byteSpacing: max(4096, byteSpacing))
    self.memoryBudget = memoryBudget
    index.totalBytes = stream.totalBytes
    index.warnings = stream.failures
  }

  /// Bytes decoded ahead at a time on a second thread (`ReplayStream.fastForward`); 0: item by item.
  var fastForwardChunkBytes: Int {
    get { stream.fastForwardChunkBytes }
    set { stream.fastForwardChunkBytes = newValue }
  }

  /// Indexes up to `budget` more items; returns true when the whole recording is indexed.
  @discardableResult
  public func step(budget: Int = 20_000) -> Bool {
    if index.finished { return true }
    // A single recording is decoded ahead on a second thread, up to each keyframe in turn; what
    // is left (several recordings, a last line without a newline) is read item by item below.
    var left = budget
    while left > 0 {
      let first = stream.cursor.ordinal
      var due = false
      let taken = stream.fastForward(
        while: { after in
          if due || after.ordinal - first > left { return false }
          due =
            after.ordinal - self.lastOrdinal >= self.index.spacing
            || after.offsets.reduce(0, +) - self.lastBytes >= self.index.byteSpacing
          return true
        },
        take: { event, feed, lineOffset, time in
          self.note(event, time: time)
          self.intake.apply(event, feed: feed, wallClock: nil, lineOffset: lineOffset)
          if let time {
            if self.index.startTime == nil { self.index.startTime = event.ts ?? time }
            self.index.endTime = time
          }
        })
      guard taken > 0 else { break }
      left -= taken
      index.count = stream.cursor.ordinal
      if due { addKeyframe() }
    }
    for _ in 0..<left {
      guard let item = stream.next() else {
        index.finished = true
        index.bytesIndexed = index.totalBytes
        index.warnings += stream.warnings
        return true
      }
      note(item.event, time: item.time)
      intake.apply(item.event, feed: item.feed)
      index.count = stream.cursor.ordinal
      if let time = item.time {
        if index.startTime == nil { index.startTime = item.event.ts ?? time }
        index.endTime = time
      }
      if index.count - lastOrdinal >= index.spacing || stream.bytesRead - lastBytes >= index.byteSpacing {
        addKeyframe()
      }
    }
    index.bytesIndexed = stream.bytesRead
    return false
  }

  /// Indexes everything (for headless commands and tests).
  public func run() -> ReplayIndex {
    while !step() {}
    return index
  }

  private func note(_ event: FeedEvent, time: Double?) {
    guard case .message(let envelope, _) = event, let time else { return }
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
    lastOrdinal = index.count
    lastBytes = stream.bytesRead
    let previous = index.keyframes[index.keyframes.count - 1]
    let keyframe = Self.keyframe(
      cursor: stream.cursor, intake: intake, since: lastNodes, previousRacks: previous.intake.state.racks,
      chain: Self.chain(endingAt: index.keyframes.count - 1, in: index.keyframes))
    lastNodes = intake.state.nodes
    index.keyframes.append(keyframe)
    if index.keyframeBytes > memoryBudget { thin() }
  }

  /// How many keyframes that hold only changes end the list at `position`.
  static func chain(endingAt position: Int, in keyframes: [ReplayKeyframe]) -> Int {
    var count = 0
    var i = position
    while i > 0, !keyframes[i].isFull {
      count += 1
      i -= 1
    }
    return count
  }

  /// A keyframe of `intake`, holding the nodes that differ from `since` (the node table of the
  /// keyframe before), or the whole table when that is as cheap or the chain is long.
  static func keyframe(
    cursor: ReplayCursor, intake: ReplayIntake, since: [Node], previousRacks: [Rack], chain: Int
  ) -> ReplayKeyframe {
    let nodes = intake.state.nodes
    var changes: [ReplayKeyframe.NodeChange] = []
    var changedBytes = 0
    for i in nodes.indices where i >= since.count || nodes[i] != since[i] {
      changes.append(ReplayKeyframe.NodeChange(index: i, node: nodes[i]))
      changedBytes += nodeBytes(nodes[i])
    }
    // The rest of the state is shared with the keyframe before unless it was written since; the
    // rack table (and the rack history that changes with it) is the large part.
    let racks = intake.state.racks
    let racksShared = racks.withUnsafeBufferPointer { a in
      previousRacks.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count }
    }
    let rest = 4096 + (racksShared ? 0 : racks.count * (MemoryLayout<Rack>.stride + 96))
    let fullBytes = nodes.count * MemoryLayout<Node>.stride + changedBytes
    let full = chain >= chainLimit || changes.count * 2 > nodes.count
    var kept = intake
    if !full { kept.state.nodes = [] }
    return ReplayKeyframe(
      cursor: cursor, intake: kept, nodeChanges: full ? nil : changes, nodeCount: nodes.count,
      cost: rest + (full ? fullBytes : changedBytes + changes.count * 16))
  }

  /// A node's own bytes: its slot in a table and its GPU records.
  static func nodeBytes(_ node: Node) -> Int {
    MemoryLayout<Node>.stride + 32 + node.gpuRecords.count * MemoryLayout<GPURecord>.stride
  }

  /// Doubles the spacing and keeps every other keyframe (the first always), working out the
  /// kept ones' node changes again against the keyframe kept before them.
  private func thin() {
    index.spacing *= 2
    index.byteSpacing *= 2
    let old = index.keyframes
    var kept: [ReplayKeyframe] = []
    kept.reserveCapacity(old.count / 2 + 1)
    var nodes: [Node] = []
    var keptNodes: [Node] = []
    for (i, keyframe) in old.enumerated() {
      ReplayIndex.patch(&nodes, with: keyframe)
      guard i == 0 || i % 2 == 0 || i == old.count - 1 else { continue }
      var whole = keyframe.intake
      whole.state.nodes = nodes
      let previousRacks = kept.last?.intake.state.racks ?? []
      kept.append(
        i == 0
          ? keyframe
          : Self.keyframe(
            cursor: keyframe.cursor, intake: whole, since: keptNodes, previousRacks: previousRacks,
            chain: Self.chain(endingAt: kept.count - 1, in: kept)))
      keptNodes = nodes
    }
    index.keyframes = kept
  }
}
