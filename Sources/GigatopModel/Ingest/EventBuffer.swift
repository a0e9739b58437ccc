/// The events decoded from one chunk, in order, kept where they were decoded until the chunk is
/// done with: the common messages (GPU, node, rack) each in a lane of their own type, and every
/// other event as a `FeedEvent`.
///
/// A `FeedEvent` is as large as its largest message, and copying one costs more than reading it:
/// moving each through an array and its enum wrappers copied it several times over. Here a GPU
/// reading is stored once as a `Decoded<GPUMessage>` and read in place (`next()` hands out a
/// pointer), so the applier copies nothing it does not need.
///
/// One thread uses it at a time: the thread that decodes a chunk fills it, hands it over under
/// `ParallelLineDecoder.Shared`'s mutex, and the applier reads it; it goes back to be emptied and
/// filled again the same way. (Hence `@unchecked Sendable`: it has no lock of its own.)
final class EventBuffer: @unchecked Sendable {
  /// Which lane an event is in.
  enum Kind: UInt8 {
    case event, gpu, node, rack
  }

  /// An event handed out by `next()`: valid until the buffer is emptied (`removeAll`).
  enum Entry {
    case event(UnsafePointer<FeedEvent>)
    case gpu(UnsafePointer<Decoded<GPUMessage>>)
    case node(UnsafePointer<Decoded<NodeMessage>>)
    case rack(UnsafePointer<Decoded<RackMessage>>)

    /// The entry as a `FeedEvent` (a copy).
    var event: FeedEvent {
      switch self {
      case .event(let p): return p.pointee
      case .gpu(let p): return p.pointee.event { .gpu($0) }
      case .node(let p): return p.pointee.event { .node($0) }
      case .rack(let p): return p.pointee.event { .rack($0) }
      }
    }

    /// The feed time of the entry; nil for a rejected line.
    var ts: Double? {
      switch self {
      case .event(let p): return p.pointee.ts
      case .gpu(let p): return p.pointee.head.ts
      case .node(let p): return p.pointee.head.ts
      case .rack(let p): return p.pointee.head.ts
      }
    }
  }

  private let kinds = Lane<Kind>()
  private let events = Lane<FeedEvent>()
  private let gpus = Lane<Decoded<GPUMessage>>()
  private let nodes = Lane<Decoded<NodeMessage>>()
  private let racks = Lane<Decoded<RackMessage>>()
  /// Events handed out by `next()`.
  private var taken = 0

  deinit {
    removeAll()
  }

  /// Events put in.
  var count: Int { kinds.count }

  /// Makes room for `wanted` events in all (of any kind: each lane gets that room once it is used).
  func reserveCapacity(_ wanted: Int) {
    kinds.reserve(wanted)
  }

  func append(_ event: consuming FeedEvent) {
    events.append(event)
    kinds.append(.event)
  }

  @inline(__always) func append(_ gpu: consuming Decoded<GPUMessage>) {
    gpus.append(gpu)
    kinds.append(.gpu)
  }

  @inline(__always) func append(_ node: consuming Decoded<NodeMessage>) {
    nodes.append(node)
    kinds.append(.node)
  }

  @inline(__always) func append(_ rack: consuming Decoded<RackMessage>) {
    racks.append(rack)
    kinds.append(.rack)
  }

  /// The next event, read in place; nil when every one has been handed out.
  func next() -> Entry? {
    guard taken < kinds.count else { return nil }
    let kind = kinds.base[taken]
    taken += 1
    switch kind {
    case .event: return .event(UnsafePointer(events.nextRead()))
    case .gpu: return .gpu(UnsafePointer(gpus.nextRead()))
    case .node: return .node(UnsafePointer(nodes.nextRead()))
    case .rack: return .rack(UnsafePointer(racks.nextRead()))
    }
  }

  /// Drops every event and starts empty again (the memory stays).
  func removeAll() {
    kinds.clear()
    events.clear()
    gpus.clear()
    nodes.clear()
    racks.clear()
    taken = 0
  }

  /// Values of one type in order, in memory that is kept when emptied. (A class, so that adding to
  /// a lane of the buffer changes the lane in place, with no exclusive access to the buffer to check.)
  private final class Lane<Value> {
    private(set) var base = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    private var capacity = 1
    private(set) var count = 0
    /// Values handed out to read.
    private var read = 0

    deinit {
      base.deinitialize(count: count)
      base.deallocate()
    }

    func reserve(_ wanted: Int) {
      guard wanted > capacity else { return }
      let bigger = UnsafeMutablePointer<Value>.allocate(capacity: wanted)
      bigger.moveInitialize(from: base, count: count)
      base.deallocate()
      base = bigger
      capacity = wanted
    }

    @inline(__always) func append(_ value: consuming Value) {
      if count == capacity { reserve(capacity * 2) }
      (base + count).initialize(to: value)
      count += 1
    }

    /// The next value to read, in place.
    func nextRead() -> UnsafeMutablePointer<Value> {
      defer { read += 1 }
      return base + read
    }

    func clear() {
      base.deinitialize(count: count)
      count = 0
      read = 0
    }
  }
}
