import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding on a second thread while the caller applies: a bounded queue of decoded batches.
///
/// The decoder thread owns its `FeedSource` (read, split, decode); whole batches of events go
/// through a mutex-guarded queue, in order. Two pipes count instead of spinning: `ready` holds
/// a byte per batch waiting, `free` a byte per batch that may still be queued, so the decoder
/// blocks when it is `depth` batches ahead and the applier blocks when it has nothing to do.
@available(macOS 15.0, *)
final class DecodePipeline: Sendable {
  /// Events handed over at a time: large enough that the hand-over costs little per line.
  static let batchSize = 2048
  /// Batches the decoder may be ahead.
  static let depth = 8

  /// What crosses from the decoder to the applier.
  enum Item: Sendable {
    case events([FeedEvent])
    /// The source is read to its end; its condition, if any.
    case end(condition: String?)
  }

  private let queue = Mutex<[Item]>([])
  private let ready: (read: Int32, write: Int32)
  private let free: (read: Int32, write: Int32)

  /// Nil when the pipes cannot be made (the caller then reads on its own thread).
  init?() {
    var a: [Int32] = [0, 0]
    var b: [Int32] = [0, 0]
    guard pipe(&a) == 0 else { return nil }
    guard pipe(&b) == 0 else {
      close(a[0])
      close(a[1])
      return nil
    }
    ready = (a[0], a[1])
    free = (b[0], b[1])
    for _ in 0..<Self.depth { Self.signal(free.write) }
  }

  deinit {
    close(ready.read)
    close(ready.write)
    close(free.read)
    close(free.write)
  }

  private static func signal(_ fd: Int32) {
    var byte: UInt8 = 1
    while write(fd, &byte, 1) < 0 && errno == EINTR {}
  }

  private static func wait(_ fd: Int32) {
    var byte: UInt8 = 0
    while read(fd, &byte, 1) < 0 && errno == EINTR {}
  }

  /// Called by the decoder: waits for room, then queues the item.
  func push(_ item: Item) {
    Self.wait(free.read)
    queue.withLock { $0.append(item) }
    Self.signal(ready.write)
  }

  /// Called by the applier: waits for an item and takes it.
  func pop() -> Item {
    Self.wait(ready.read)
    let item = queue.withLock { $0.removeFirst() }
    Self.signal(free.write)
    return item
  }

  /// Reads a whole feed on a new thread, calling `body` on this thread with every event in
  /// order; returns the source's condition. Nil when no thread could be started (nothing was read).
  static func readAll(path: String, maxLine: Int, _ body: (FeedEvent) -> Void) -> String?? {
    guard let pipeline = DecodePipeline() else { return nil }
    let started = Worker.start {
      let source = FeedSource(path: path, maxLine: maxLine)
      var batch: [FeedEvent] = []
      batch.reserveCapacity(batchSize)
      source.readAll { event in
        batch.append(event)
        if batch.count >= batchSize {
          pipeline.push(.events(batch))
          batch = []
          batch.reserveCapacity(batchSize)
        }
      }
      if !batch.isEmpty { pipeline.push(.events(batch)) }
      pipeline.push(.end(condition: source.condition))
    }
    guard started else { return nil }
    while true {
      switch pipeline.pop() {
      case .events(let events):
        for event in events { body(event) }
      case .end(let condition):
        return .some(condition)
      }
    }
  }
}

/// A detached POSIX thread running one closure.
enum Worker {
  private final class Box: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }

  /// Starts `body` on a new detached thread; false when the thread could not be made.
  static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    #if canImport(Glibc)
    var thread = pthread_t()
    #else
    var thread: pthread_t?
    #endif
    let result = pthread_create(
      &thread, nil,
      { context in
        #if canImport(Glibc)
        guard let context else { return nil }
        #endif
        let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
        box.body()
        return nil
      }, box)
    guard result == 0 else {
      Unmanaged<Box>.fromOpaque(box).release()
      return false
    }
    #if canImport(Glibc)
    pthread_detach(thread)
    #else
    if let thread { pthread_detach(thread) }
    #endif
    return true
  }
}
