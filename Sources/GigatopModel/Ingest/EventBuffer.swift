/// The events decoded from one chunk, in order, kept where they were decoded until the chunk is
/// done with: the common messages (GPU, node, rack) each as its own type, and every other event
/// as a `FeedEvent`.
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
  /// Which type an event is stored as.
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
  /// The events themselves, of the four kinds in the order of `kinds`, one after another (each
  /// at its type's alignment): one run of memory for all kinds, so a buffer holds what its
  /// largest chunk needed, not the largest run of each kind apart (about 7 MB in all for a
  /// whole-file load instead of 17: memory the decoding threads would write for the first time).
  private var storage = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: EventBuffer.alignment)
  private var storageCapacity = 1
  /// Bytes of `storage` in use.
  private var storageUsed = 0
  /// Events handed out by `next()`, and where in `storage` the next one to read starts.
  private var taken = 0
  private var readOffset = 0

  /// The alignment `storage` is made with: enough for every kind.
  private static let alignment = 16

  deinit {
    removeAll()
    storage.deallocate()
  }

  /// Events put in.
  var count: Int { kinds.count }

  /// Makes room for `wanted` events in all (the room for their messages grows as it is used).
  func reserveCapacity(_ wanted: Int) {
    kinds.reserve(wanted)
  }

  func append(_ event: consuming FeedEvent) {
    put(event)
    kinds.append(.event)
  }

  @inline(__always) func append(_ gpu: consuming Decoded<GPUMessage>) {
    put(gpu)
    kinds.append(.gpu)
  }

  @inline(__always) func append(_ node: consuming Decoded<NodeMessage>) {
    put(node)
    kinds.append(.node)
  }

  @inline(__always) func append(_ rack: consuming Decoded<RackMessage>) {
    put(rack)
    kinds.append(.rack)
  }

  /// Where a value of type `T` goes when the previous one ended at `offset`.
  @inline(__always) private static func start<T>(of _: T.Type, after offset: Int) -> Int {
    let a = MemoryLayout<T>.alignment
    return (offset &+ a &- 1) & ~(a &- 1)
  }

  @inline(__always) private func put<T>(_ value: consuming T) {
    let start = Self.start(of: T.self, after: storageUsed)
    let end = start &+ MemoryLayout<T>.stride
    if end > storageCapacity { grow(to: max(end, storageCapacity * 2, 4096)) }
    (storage + start).initializeMemory(as: T.self, to: value)
    storageUsed = end
  }

  /// Moves the events to a larger run of memory (Swift values move bitwise: the bytes are copied
  /// and the old memory freed without deinitializing them).
  private func grow(to capacity: Int) {
    let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.alignment)
    bigger.copyMemory(from: storage, byteCount: storageUsed)
    storage.deallocate()
    storage = bigger
    storageCapacity = capacity
  }

  @inline(__always) private func read<T>(_: T.Type) -> UnsafePointer<T> {
    let start = Self.start(of: T.self, after: readOffset)
    readOffset = start &+ MemoryLayout<T>.stride
    return UnsafePointer((storage + start).assumingMemoryBound(to: T.self))
  }

  /// The next event, read in place; nil when every one has been handed out.
  func next() -> Entry? {
    guard taken < kinds.count else { return nil }
    let kind = kinds.base[taken]
    taken += 1
    switch kind {
    case .event: return .event(read(FeedEvent.self))
    case .gpu: return .gpu(read(Decoded<GPUMessage>.self))
    case .node: return .node(read(Decoded<NodeMessage>.self))
    case .rack: return .rack(read(Decoded<RackMessage>.self))
    }
  }

  /// Drops every event and starts empty again (the memory stays).
  func removeAll() {
    var offset = 0
    for i in 0..<kinds.count {
      switch kinds.base[i] {
      case .event: offset = Self.drop(FeedEvent.self, in: storage, at: offset)
      case .gpu: offset = Self.drop(Decoded<GPUMessage>.self, in: storage, at: offset)
      case .node: offset = Self.drop(Decoded<NodeMessage>.self, in: storage, at: offset)
      case .rack: offset = Self.drop(Decoded<RackMessage>.self, in: storage, at: offset)
      }
    }
    kinds.clear()
    storageUsed = 0
    taken = 0
    readOffset = 0
  }

  /// Deinitializes the value of type `T` that follows `offset`; where it ended.
  private static func drop<T>(_: T.Type, in storage: UnsafeMutableRawPointer, at offset: Int) -> Int {
    let start = Self.start(of: T.self, after: offset)
    (storage + start).assumingMemoryBound(to: T.self).deinitialize(count: 1)
    return start + MemoryLayout<T>.stride
  }

  /// Values of one type in order, in memory that is kept when emptied. (A class, so that adding to
  /// a lane of the buffer changes the lane in place, with no exclusive access to the buffer to check.)
  private final class Lane<Value> {
    private(set) var base = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    private var capacity = 1
    private(set) var count = 0

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

    func clear() {
      base.deinitialize(count: count)
      count = 0
    }
  }
}
