#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes the lines of a file on two threads, handing the events over in order.
///
/// The file is read in chunks of about `chunkBytes`, cut after a line end. A worker thread and
/// the caller both take the next chunk nobody has taken, read it (`pread`, into a buffer of its
/// own) and decode it; the caller hands the events of chunk 0, 1, 2, ... to `body` as each is
/// ready, and decodes another chunk itself while it waits. So both cores decode and one
/// applies, and the order, the line numbers and every reason are those of reading the lines
/// one by one (`LineSplitter`, then `FeedEvent.decode` on each). The file is read, not mapped:
/// a file cut shorter while it is read ends the reading there, where a mapping would crash.
enum ParallelLineDecoder {
  /// Bytes a chunk holds at most, unless one line is longer (a chunk ends after its last newline).
  static let chunkBytes = 1 << 18
  /// Chunks decoded but not yet handed over, at most: bounds the memory of decoded events.
  static let maxAhead = 8
  /// Bytes at the end of a chunk read while the lock is held, to find where the chunk ends.
  static let probeBytes = 4096

  /// What decoding one chunk gave.
  struct Chunk {
    /// The events, numbered from 1 at the chunk's first line.
    var events: EventBuffer
    /// For each event, the file offset just past its line (and its newline).
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
    /// Whether a last line without a newline is left out (a recording still being written)
    /// rather than read as a line (the end of a finished file).
    var completeLinesOnly = false
  }

  /// Decodes every line of the file open at `fd` from offset `from` and calls `body` with each
  /// event, in order, on this thread, in place (`EventBuffer.Entry`: valid only during the call).
  ///
  /// Events are numbered from 1 within their chunk; `body` is given how many lines came before
  /// the chunk (add it to the event's line: renumbering here would copy every event again).
  static func runEntries(
    fd: Int32, from: Int = 0, feed: String, maxLine: Int, chunkBytes: Int = chunkBytes,
    _ body: (EventBuffer.Entry, Int) -> Void
  ) {
    let options = Options(maxLine: maxLine, chunkBytes: chunkBytes)
    scanEntries(fd: fd, from: from, feed: feed, options: options) { entry, lineOffset, _ in
      body(entry, lineOffset)
      return true
    }
  }

  /// Decodes the lines of the file at `fd` from offset `from` ahead on a second thread and calls
  /// `body` with each event, its chunk's line offset (as in `runEntries`) and the file offset just past
  /// its line, in order, until `body` answers false; then stops reading and decoding.
  static func scan(
    fd: Int32, from: Int, feed: String, options: Options, _ body: (FeedEvent, Int, Int) -> Bool
  ) {
    scanEntries(fd: fd, from: from, feed: feed, options: options) { entry, lineOffset, end in
      body(entry.event, lineOffset, end)
    }
  }

  /// `scan` handing out each event in place (`EventBuffer.Entry`): valid only during the call.
  static func scanEntries(
    fd: Int32, from: Int, feed: String, options: Options, _ body: (EventBuffer.Entry, Int, Int) -> Bool
  ) {
    let shared = Shared(fd: fd, from: from, feed: feed, options: options)
    let helped = Worker.start { shared.work() }
    var firstLine = 0
    var going = true
    var k = 0
    while going, let chunk = shared.take(k, alone: !helped) {
      // Each event is read where it was decoded: no copy of it is made to hand it over.
      let events = chunk.events
      var i = 0
      while going, let entry = events.next() {
        going = body(entry, firstLine, chunk.ends[i])
        i += 1
      }
      firstLine += chunk.lines
      k += 1
      // The arrays go back to be emptied and filled again (by whoever decodes next: on a busy
      // applier that is mostly the worker), so their memory is neither freed nor faulted in again.
      shared.recycle(chunk)
    }
    if helped {
      if !going { shared.stop() }
      shared.waitForWorker()
    }
  }

  /// Reads the first `unread` bytes of a chunk of `count` bytes at file offset `offset` whose
  /// other bytes are in `buffer` already (`Shared.claim`); the chunk's length then: shorter if the
  /// file was cut meanwhile (it ends where the file now ends, at its last newline if only
  /// complete lines are wanted).
  static func readHead(
    _ fd: Int32, into buffer: inout [UInt8], count: Int, offset: Int, unread: Int, completeLinesOnly: Bool
  ) -> Int {
    guard unread > 0 else { return count }
    let got = read(fd, into: &buffer, at: 0, count: unread, offset: offset)
    guard got < unread else { return count }
    guard completeLinesOnly else { return got }
    return buffer[0..<got].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
  }

  /// Reads `count` bytes at `offset` into `buffer` from `start`; how many came (0 at the end).
  static func read(_ fd: Int32, into buffer: inout [UInt8], at start: Int, count: Int, offset: Int) -> Int {
    var got = 0
    while got < count {
      let n = buffer.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress.map { $0 + start + got }, count - got, off_t(offset + got))
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      got += n
    }
    return got
  }

  /// Decodes one chunk's bytes (starting at file offset `offset`): its lines split as
  /// `LineSplitter` splits them, numbered from 1. `memory` is the decoding thread's.
  static func decode(
    _ shared: Shared, _ bytes: UnsafeRawBufferPointer, offset: Int, memory: FlatMemory
  ) -> Chunk {
    var (events, ends) = shared.spareArrays()
    events.removeAll()
    ends.removeAll(keepingCapacity: true)
    events.reserveCapacity(bytes.count / 96 + 16)
    ends.reserveCapacity(bytes.count / 96 + 16)
    var lines = 0
    guard let base = bytes.baseAddress else { return Chunk(events: events, ends: ends, lines: 0) }
    let end = bytes.count
    let maxLine = shared.options.maxLine
    let skip = shared.options.skip
    var i = 0
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
      if line.count <= maxLine,
        FlatDecoder.decode(line, memory: memory, line: lines, into: events)
      {
        // The common line, straight from the fast path (what `FeedEvent.decode` would try first).
        ends.append(offset + min(i, end))
      } else {
        let content: LineSplitter.Content = line.count > maxLine ? .tooLong(line.count) : .bytes(line)
        if let event = FeedEvent.decode(
          content, feed: shared.feed, line: lines, fastPathTried: line.count <= maxLine)
        {
          events.append(event)
          ends.append(offset + min(i, end))
        }
      }
    }
    return Chunk(events: events, ends: ends, lines: lines)
  }

  /// The chunks, who has taken which, and the decoded ones waiting: shared by the two threads
  /// under one mutex, with a condition both wait on. A chunk is read when it is taken (under
  /// the lock, so chunks follow each other), so a caller that stops early reads no further.
  final class Shared: @unchecked Sendable {
    let fd: Int32
    let feed: String
    let options: Options
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Where the next chunk starts in the file.
    private var nextOffset: Int
    /// Whether the file has been read to its end (or reading stopped).
    private var exhausted = false
    /// The next chunk nobody has taken.
    private var nextFree = 0
    /// The chunk the caller hands over next.
    private var nextHanded = 0
    private var done: [Int: Chunk] = [:]
    private var stopped = false
    private var workerFinished = false
    /// Arrays of chunks already handed over, to fill again; read buffers to read into again.
    private var spare: [(EventBuffer, [Int])] = []
    private var spareBuffers: [[UInt8]] = []
    /// The fast path's memory for chunks the caller decodes (`take`; the worker has its own).
    private let callerMemory = FlatMemory()

    init(fd: Int32, from: Int, feed: String, options: Options) {
      self.fd = fd
      self.feed = feed
      self.options = options
      nextOffset = from
      pthread_mutex_init(mutex, nil)
      pthread_cond_init(changed, nil)
    }

    deinit {
      pthread_cond_destroy(changed)
      pthread_mutex_destroy(mutex)
      mutex.deallocate()
      changed.deallocate()
    }

    /// Takes the next chunk (the lock is held): its number, its length `count` and its file
    /// offset; nil at the end of the file. Its bytes are in `buffer` from `unread` on: the
    /// claimer reads the bytes before that with `readHead` after letting go of the lock.
    ///
    /// Where a chunk ends (after its last newline) decides where the next one starts, so that
    /// much is read under the lock; mostly the last `probeBytes` of a full chunk are enough, and
    /// the rest is read while the other thread can take and hand over chunks.
    private func claim(into buffer: inout [UInt8]) -> (k: Int, count: Int, offset: Int, unread: Int)? {
      guard !exhausted, !stopped else { return nil }
      let start = nextOffset
      let want = max(1, options.chunkBytes)
      if buffer.count < want { buffer = [UInt8](repeating: 0, count: want) }
      let probe = ParallelLineDecoder.probeBytes
      if want >= 4 * probe {
        let tail = want - probe
        let got = ParallelLineDecoder.read(fd, into: &buffer, at: tail, count: probe, offset: start + tail)
        if got == probe, let last = buffer[tail..<want].lastIndex(of: 0x0A) {
          nextOffset = start + last + 1
          let k = nextFree
          nextFree += 1
          return (k, last + 1, start, tail)
        }
        // Near the end of the file, or no newline among those bytes: all of it here.
      }
      var filled = ParallelLineDecoder.read(fd, into: &buffer, at: 0, count: want, offset: start)
      var atEnd = filled < want
      var lastNewline = buffer[0..<filled].lastIndex(of: 0x0A)
      while lastNewline == nil && !atEnd {
        // A line longer than the chunk: read on until its end.
        if buffer.count - filled < want {
          buffer.append(contentsOf: repeatElement(0, count: max(want, buffer.count)))
        }
        let ask = buffer.count - filled
        let more = ParallelLineDecoder.read(fd, into: &buffer, at: filled, count: ask, offset: start + filled)
        lastNewline = buffer[filled..<(filled + more)].lastIndex(of: 0x0A)
        filled += more
        atEnd = more < ask
      }
      let count: Int
      if atEnd {
        // The end of the file: a last line without a newline is a line, unless only complete
        // lines are wanted.
        exhausted = true
        count = options.completeLinesOnly ? (lastNewline.map { $0 + 1 } ?? 0) : filled
      } else {
        count = (lastNewline ?? (filled - 1)) + 1
      }
      guard count > 0 else {
        exhausted = true
        return nil
      }
      nextOffset = start + count
      let k = nextFree
      nextFree += 1
      return (k, count, start, 0)
    }

    /// `ParallelLineDecoder.readHead` for this file.
    private func readHead(into buffer: inout [UInt8], count: Int, offset: Int, unread: Int) -> Int {
      ParallelLineDecoder.readHead(
        fd, into: &buffer, count: count, offset: offset, unread: unread,
        completeLinesOnly: options.completeLinesOnly)
    }

    /// Decodes a chunk read by `claim` (without the lock), giving the buffer back.
    private func decodeClaimed(_ buffer: [UInt8], count: Int, offset: Int, memory: FlatMemory) -> Chunk {
      let chunk = buffer.withUnsafeBytes { raw in
        ParallelLineDecoder.decode(
          self, UnsafeRawBufferPointer(rebasing: raw[0..<count]), offset: offset, memory: memory)
      }
      return chunk
    }

    private func takeBuffer() -> [UInt8] { spareBuffers.popLast() ?? [] }

    /// The worker's loop: take the next free chunk (unless too far ahead), decode, store.
    func work() {
      let memory = FlatMemory()
      pthread_mutex_lock(mutex)
      while !exhausted && !stopped {
        if nextFree - nextHanded >= options.maxAhead {
          pthread_cond_wait(changed, mutex)
          continue
        }
        var buffer = takeBuffer()
        guard let (k, claimed, offset, unread) = claim(into: &buffer) else { break }
        pthread_mutex_unlock(mutex)
        let count = readHead(into: &buffer, count: claimed, offset: offset, unread: unread)
        let chunk = decodeClaimed(buffer, count: count, offset: offset, memory: memory)
        pthread_mutex_lock(mutex)
        spareBuffers.append(buffer)
        if !stopped { done[k] = chunk }
        pthread_cond_broadcast(changed)
      }
      workerFinished = true
      pthread_cond_broadcast(changed)
      pthread_mutex_unlock(mutex)
    }

    /// Chunk `k` decoded, for the caller, or nil past the last: decodes free chunks itself while
    /// it is not ready (`alone`: there is no worker).
    func take(_ k: Int, alone: Bool) -> Chunk? {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      nextHanded = k
      pthread_cond_broadcast(changed)
      while true {
        if let chunk = done.removeValue(forKey: k) { return chunk }
        let finished = exhausted || stopped
        if k >= nextFree && finished { return nil }
        if !finished && (alone || nextFree - k < options.maxAhead) {
          var buffer = takeBuffer()
          guard let (j, claimed, offset, unread) = claim(into: &buffer) else {
            spareBuffers.append(buffer)
            continue
          }
          pthread_mutex_unlock(mutex)
          let count = readHead(into: &buffer, count: claimed, offset: offset, unread: unread)
          let chunk = decodeClaimed(buffer, count: count, offset: offset, memory: callerMemory)
          pthread_mutex_lock(mutex)
          spareBuffers.append(buffer)
          if j == k { return chunk }
          done[j] = chunk
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
    func spareArrays() -> (EventBuffer, [Int]) {
      pthread_mutex_lock(mutex)
      defer { pthread_mutex_unlock(mutex) }
      return spare.popLast() ?? (EventBuffer(), [])
    }

    /// Lets no one take another chunk (the caller has what it wants).
    func stop() {
      pthread_mutex_lock(mutex)
      stopped = true
      done.removeAll()
      pthread_cond_broadcast(changed)
      pthread_mutex_unlock(mutex)
    }

    /// Blocks until the worker has left its loop (before the file is closed).
    func waitForWorker() {
      pthread_mutex_lock(mutex)
      while !workerFinished { pthread_cond_wait(changed, mutex) }
      pthread_mutex_unlock(mutex)
    }
  }
}
