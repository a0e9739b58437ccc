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
    /// For each event, the offset just past its line (and its newline) in the bytes.
    var ends: [Int]
    /// Lines in the chunk (blank and skipped ones included).
    var lines: Int
  }

  /// How to cut and decode.
  struct Options: Sendable {
    /// Lines longer than this are rejected unread.
    var maxLine: Int
    var chunkBytes = ParallelLineDecoder.chunkBytes
    var maxAhead = ParallelLineDecoder.maxAhead
    /// Lines to pass over without an event (they still count), such as a recording's keyframes.
    var skip: (@Sendable (UnsafeRawBufferPointer) -> Bool)?
  }

  /// Decodes every line of `bytes` and calls `body` with each event, in order, on this thread.
  ///
  /// Events are numbered from 1 within their chunk; `body` is given how many lines came before
  /// the chunk (add it to the event's line: renumbering here would copy every event again).
  /// A last line without a newline counts, as at the end of a finished file. Pages of the bytes
  /// are given back to the kernel as their chunks are done.
  static func run(
    _ bytes: UnsafeRawBufferPointer, feed: String, maxLine: Int, chunkBytes: Int = chunkBytes,
    _ body: (FeedEvent, Int) -> Void
  ) {
    let options = Options(maxLine: maxLine, chunkBytes: chunkBytes)
    scan(bytes, feed: feed, options: options, releasing: true) { event, lineOffset, _ in
      body(event, lineOffset)
      return true
    }
  }

  /// Decodes the lines of `bytes` ahead on a second thread and calls `body` with each event, its
  /// chunk's line offset (as in `run`) and the offset just past its line, in order, until `body`
  /// answers false; then stops decoding.
  static func scan(
    _ bytes: UnsafeRawBufferPointer, feed: String, options: Options, releasing: Bool = false,
    _ body: (FeedEvent, Int, Int) -> Bool
  ) {
    guard bytes.count > 0 else { return }
    let shared = Shared(bytes: bytes, feed: feed, options: options)
    let helped = bytes.count > options.chunkBytes && Worker.start { shared.work() }
    var firstLine = 0
    var going = true
    var k = 0
    while going, let (chunk, range) = shared.take(k, alone: !helped) {
      chunk.events.withUnsafeBufferPointer { events in
        for i in events.indices where going {
          going = body(events[i], firstLine, chunk.ends[i])
        }
      }
      if releasing { release(bytes, from: range.lowerBound, to: range.upperBound) }
      firstLine += chunk.lines
      k += 1
      // The arrays go back to be filled again (emptied by whoever decodes next: on a busy applier
      // that is mostly the worker), so their memory is neither freed nor faulted in again.
      shared.recycle(chunk)
    }
    if helped {
      if !going { shared.stop() }
      shared.waitForWorker()
    }
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

  /// Where the chunk that starts at `start` ends: just after the first newline at or past
  /// `chunkBytes` into it, or the end of the bytes.
  static func chunkEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, chunkBytes: Int) -> Int {
    let probe = start + max(1, chunkBytes) - 1
    guard let base = bytes.baseAddress, probe < bytes.count,
      let found = memchr(base + probe, 0x0A, bytes.count - probe)
    else { return bytes.count }
    return base.distance(to: UnsafeRawPointer(found)) + 1
  }

  /// Decodes the chunk `start..<end`: its lines split as `LineSplitter` splits them, numbered from 1.
  static func decode(_ shared: Shared, _ start: Int, _ end: Int) -> Chunk {
    var (events, ends) = shared.spareArrays()
    events.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    events.reserveCapacity((end - start) / 96 + 16)
    ends.reserveCapacity((end - start) / 96 + 16)
    var lines = 0
    guard let base = shared.bytes.baseAddress else { return Chunk(events: [], ends: [], lines: 0) }
    let maxLine = shared.options.maxLine
    let skip = shared.options.skip
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
      i = lineEnd + 1
      if let skip, line.count <= maxLine, skip(line) { continue }
      if line.count <= maxLine, let envelope = FlatDecoder.decode(line, scratch: scratch) {
        // The common line, straight from the fast path (what `FeedEvent.decode` would try first).
        events.append(.message(envelope, line: lines))
        ends.append(min(i, end))
      } else {
        let content: LineSplitter.Content = line.count > maxLine ? .tooLong(line.count) : .bytes(line)
        if let event = FeedEvent.decode(content, feed: shared.feed, line: lines) {
          events.append(event)
          ends.append(min(i, end))
        }
      }
    }
    return Chunk(events: events, ends: ends, lines: lines)
  }

  /// The chunks, who has taken which, and the decoded ones waiting: shared by the two threads
  /// under one mutex, with a condition both wait on. Chunk bounds are found as chunks are taken,
  /// so a caller that stops early never reads the rest of the bytes.
  final class Shared: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let feed: String
    let options: Options
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Where each chunk taken so far starts, and where the next one starts.
    private var bounds = [0]
    /// The next chunk nobody has taken.
    private var nextFree = 0
    /// The chunk the caller hands over next.
    private var nextHanded = 0
    private var done: [Int: (Chunk, Range<Int>)] = [:]
    private var stopped = false
    private var workerFinished = false
    /// Arrays of chunks already handed over, to fill again.
    private var spare: [([FeedEvent], [Int])] = []

    init(bytes: UnsafeRawBufferPointer, feed: String, options: Options) {
      self.bytes = bytes
      self.feed = feed
      self.options = options
      pthread_mutex_init(mutex, nil)
      pthread_cond_init(changed, nil)
    }

    deinit {
      pthread_cond_destroy(changed)
      pthread_mutex_destroy(mutex)
      mutex.deallocate()
      changed.deallocate()
    }

    /// Whether every chunk has been taken (the lock is held).
    private var allTaken: Bool { stopped || bounds[nextFree] >= bytes.count }

    /// Takes the next chunk (the lock is held): its number and range.
    private func claim() -> (Int, Range<Int>) {
      let k = nextFree
      let start = bounds[k]
      let end = ParallelLineDecoder.chunkEnd(bytes, from: start, chunkBytes: options.chunkBytes)
      bounds.append(end)
      nextFree += 1
      return (k, start..<end)
    }

    /// The worker's loop: take the next free chunk (unless too far ahead), decode, store.
    func work() {
      pthread_mutex_lock(mutex)
      while !allTaken {
        if nextFree - nextHanded >= options.maxAhead {
          pthread_cond_wait(changed, mutex)
          continue
        }
        let (k, range) = claim()
        pthread_mutex_unlock(mutex)
        let chunk = ParallelLineDecoder.decode(self, range.lowerBound, range.upperBound)
        pthread_mutex_lock(mutex)
        if !stopped { done[k] = (chunk, range) }
        pthread_cond_broadcast(changed)
      }
      workerFinished = true
      pthread_cond_broadcast(changed)
      pthread_mutex_unlock(mutex)
    }

    /// Chunk `k` decoded, for the caller, or nil past the last: decodes free chunks itself while
    /// it is not ready (`alone`: there is no worker).
    func take(_ k: Int, alone: Bool) -> (Chunk, Range<Int>)? {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      nextHanded = k
      pthread_cond_broadcast(changed)
      while true {
        if let chunk = done.removeValue(forKey: k) { return chunk }
        if k >= nextFree && allTaken { return nil }
        if !allTaken && (alone || nextFree - k < options.maxAhead) {
          let (j, range) = claim()
          pthread_mutex_unlock(mutex)
          let chunk = ParallelLineDecoder.decode(self, range.lowerBound, range.upperBound)
          pthread_mutex_lock(mutex)
          if j == k { return (chunk, range) }
          done[j] = (chunk, range)
          continue
        }
        pthread_cond_wait(changed, mutex)
      }
    }

    /// Keeps a handed-over chunk's arrays to fill again.
    func recycle(_ chunk: consuming Chunk) {
      let arrays = (chunk.events, chunk.ends)
      pthread_mutex_lock(mutex)
      if spare.count < options.maxAhead { spare.append(arrays) }
      pthread_mutex_unlock(mutex)
    }

    /// A pair of arrays to decode into: a recycled one, or new ones.
    func spareArrays() -> ([FeedEvent], [Int]) {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      return spare.popLast() ?? ([], [])
    }

    /// Lets no one take another chunk (the caller has what it wants).
    func stop() {
      pthread_mutex_lock(mutex)
      stopped = true
      done.removeAll()
      pthread_cond_broadcast(changed)
      pthread_mutex_unlock(mutex)
    }

    /// Blocks until the worker has left its loop (before the bytes go away).
    func waitForWorker() {
      pthread_mutex_lock(mutex)
      while !workerFinished { pthread_cond_wait(changed, mutex) }
      pthread_mutex_unlock(mutex)
    }
  }
}
