#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes the lines of a feed held in memory (a mapped file) on two threads, in order.
///
/// The bytes are cut into chunks of about `chunkBytes` at line ends. A worker thread and the
/// caller both take the next chunk nobody has taken and decode it; the caller hands the events
/// of chunk 0, 1, 2, ... to `body` as each is ready, and decodes another chunk itself while it
/// waits. So both cores decode and one applies, and the order, the line numbers and every
/// reason are those of reading the lines one by one (`FeedEvent.decode` on each).
enum ParallelLineDecoder {
  /// Bytes a chunk holds at least (a chunk ends at the first line end past it).
  static let chunkBytes = 1 << 20
  /// Chunks decoded but not yet handed over, at most: bounds the memory of decoded events.
  static let maxAhead = 8

  /// What decoding one chunk gave.
  struct Chunk {
    /// The events, numbered from 1 at the chunk's first line.
    var events: [FeedEvent]
    /// Lines in the chunk (blank ones included).
    var lines: Int
  }

  /// Decodes every line of `bytes` and calls `body` with each event, in order, on this thread.
  ///
  /// Events are numbered from 1 within their chunk; `body` is given how many lines came before
  /// the chunk (add it to the event's line: renumbering here would copy every event again).
  /// A last line without a newline counts, as at the end of a finished file.
  static func run(
    _ bytes: UnsafeRawBufferPointer, feed: String, maxLine: Int, chunkBytes: Int = chunkBytes,
    _ body: (FeedEvent, Int) -> Void
  ) {
    let bounds = chunkBounds(bytes, chunkBytes: chunkBytes)
    guard bounds.count > 1 else { return }
    let chunkCount = bounds.count - 1
    let shared = Shared(bytes: bytes, bounds: bounds, feed: feed, maxLine: maxLine)
    let helped = chunkCount > 1 && Worker.start { shared.work() }
    var firstLine = 0
    for k in 0..<chunkCount {
      let chunk = helped ? shared.take(k) : decode(shared, k)
      chunk.events.withUnsafeBufferPointer { events in
        for i in events.indices { body(events[i], firstLine) }
      }
      release(bytes, from: bounds[k], to: bounds[k + 1])
      firstLine += chunk.lines
    }
    if helped { shared.waitForWorker() }
  }

  /// Lets the kernel take back the whole pages of a mapped range that is done with, so a large
  /// file does not stay resident. (The mapping is a private read-only view of a file: a page read
  /// again after this is read again from the file, so this is safe even for a page in use.)
  static func release(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
    guard let base = bytes.baseAddress else { return }
    let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
    let address = Int(bitPattern: base)
    let first = (address + start + page - 1) / page * page
    let last = (address + end) / page * page
    guard last > first else { return }
    _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, Int32(MADV_DONTNEED))
  }

  /// Where chunks start, and the end: cut after the first newline at or past each `chunkBytes`.
  static func chunkBounds(_ bytes: UnsafeRawBufferPointer, chunkBytes: Int = chunkBytes) -> [Int] {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return [] }
    var bounds = [0]
    var start = 0
    while start < bytes.count {
      let probe = start + max(1, chunkBytes) - 1
      guard probe < bytes.count, let found = memchr(base + probe, 0x0A, bytes.count - probe) else {
        bounds.append(bytes.count)
        break
      }
      start = base.distance(to: UnsafeRawPointer(found)) + 1
      bounds.append(start)
    }
    return bounds
  }

  /// Decodes chunk `k`: its lines split as `LineSplitter` splits them, numbered from 1.
  static func decode(_ shared: Shared, _ k: Int) -> Chunk {
    let start = shared.bounds[k]
    let end = shared.bounds[k + 1]
    var events: [FeedEvent] = []
    events.reserveCapacity((end - start) / 96 + 16)
    var lines = 0
    guard let base = shared.bytes.baseAddress else { return Chunk(events: [], lines: 0) }
    let scratch = UnsafeMutableBufferPointer<FlatDecoder.Field>.allocate(capacity: FlatDecoder.maxFields)
    defer { scratch.deallocate() }
    var i = start
    while i < end {
      let lineEnd: Int
      if let found = memchr(base + i, 0x0A, end - i) {
        lineEnd = base.distance(to: UnsafeRawPointer(found))
      } else {
        lineEnd = end
      }
      lines += 1
      var line = UnsafeRawBufferPointer(start: base + i, count: lineEnd - i)
      if let last = line.last, last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
      if line.count <= shared.maxLine, let envelope = FlatDecoder.decode(line, scratch: scratch) {
        // The common line, straight from the fast path (what `FeedEvent.decode` would try first).
        events.append(.message(envelope, line: lines))
      } else {
        let content: LineSplitter.Content = line.count > shared.maxLine ? .tooLong(line.count) : .bytes(line)
        if let event = FeedEvent.decode(content, feed: shared.feed, line: lines) { events.append(event) }
      }
      i = lineEnd + 1
    }
    return Chunk(events: events, lines: lines)
  }

  /// The chunks, who has taken which, and the decoded ones waiting: shared by the two threads
  /// under one mutex, with a condition both wait on.
  final class Shared: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let bounds: [Int]
    let feed: String
    let maxLine: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The next chunk nobody has taken.
    private var nextFree = 0
    /// The chunk the caller hands over next.
    private var nextHanded = 0
    private var done: [Int: Chunk] = [:]
    private var workerFinished = false

    init(bytes: UnsafeRawBufferPointer, bounds: [Int], feed: String, maxLine: Int) {
      self.bytes = bytes
      self.bounds = bounds
      self.feed = feed
      self.maxLine = maxLine
      pthread_mutex_init(mutex, nil)
      pthread_cond_init(changed, nil)
    }

    deinit {
      pthread_cond_destroy(changed)
      pthread_mutex_destroy(mutex)
      mutex.deallocate()
      changed.deallocate()
    }

    var chunkCount: Int { bounds.count - 1 }

    /// The worker's loop: take the next free chunk (unless too far ahead), decode, store.
    func work() {
      pthread_mutex_lock(mutex)
      while nextFree < chunkCount {
        if nextFree - nextHanded >= ParallelLineDecoder.maxAhead {
          pthread_cond_wait(changed, mutex)
          continue
        }
        let k = nextFree
        nextFree += 1
        pthread_mutex_unlock(mutex)
        let chunk = ParallelLineDecoder.decode(self, k)
        pthread_mutex_lock(mutex)
        done[k] = chunk
        pthread_cond_broadcast(changed)
      }
      workerFinished = true
      pthread_cond_broadcast(changed)
      pthread_mutex_unlock(mutex)
    }

    /// Chunk `k` decoded, for the caller: decodes free chunks itself while it is not ready.
    func take(_ k: Int) -> Chunk {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      nextHanded = k
      pthread_cond_broadcast(changed)
      while true {
        if let chunk = done.removeValue(forKey: k) { return chunk }
        if nextFree < chunkCount && nextFree - k < ParallelLineDecoder.maxAhead {
          let j = nextFree
          nextFree += 1
          pthread_mutex_unlock(mutex)
          let chunk = ParallelLineDecoder.decode(self, j)
          pthread_mutex_lock(mutex)
          if j == k { return chunk }
          done[j] = chunk
          continue
        }
        pthread_cond_wait(changed, mutex)
      }
    }

    /// Blocks until the worker has left its loop (before the bytes go away).
    func waitForWorker() {
      pthread_mutex_lock(mutex)
      while !workerFinished { pthread_cond_wait(changed, mutex) }
      pthread_mutex_unlock(mutex)
    }
  }
}
