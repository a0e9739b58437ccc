#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One feed on disk or on standard input, read to its end or followed as it grows (like `tail -F`).
///
/// An NDJSON file is read line by line from where it was left; when it
/// shrinks it is read again from the start, and when the path names a new
/// file (rotation, replacement) the new file is read. A status document
/// (a `.json` file, or one whose text is a single JSON value) is read whole
/// each time it changes. A missing, unreadable or odd path is reported in
/// `condition` and tried again at the next poll.
public final class FeedSource {
  /// How the file's text is laid out.
  public enum Layout: Sendable { case lines, document }

  /// The feed's name for messages: the path as given, `stdin` for `-`.
  public let name: String
  public let path: String
  public private(set) var layout: Layout?
  /// What is wrong with the source now, or what just happened to it; nil when all is well.
  public private(set) var condition: String?
  /// Called with the bytes of every line read (not status documents), before it is decoded: what
  /// `--record` writes, byte for byte.
  public var lineTap: ((UnsafeRawBufferPointer) -> Void)?
  /// Whether standard input (or a pipe) has closed.
  public private(set) var closed = false

  private var fd: Int32 = -1
  private var splitter: LineSplitter
  private var offset: Int64 = 0
  private var identity: (dev: UInt64, ino: UInt64)?
  private var documentStamp: (size: Int64, mtime: Int, mtimeNanos: Int)?
  private var isStream = false
  private var quietPolls = 0
  /// Where `readChunk` reads to: made at the first read (a whole file read in chunks on two
  /// threads never uses it, and a megabyte zeroed for nothing is 256 page faults, half a
  /// millisecond).
  private var readBuffer: [UInt8] = []

  /// Creates a source for a path (`-` for standard input). Nothing is opened until the first read.
  public init(path: String, maxLine: Int = 1 << 20) {
    self.path = path
    name = path == "-" ? "stdin" : path
    splitter = LineSplitter(maxLine: maxLine)
    if path == "-" {
      fd = 0
      isStream = true
      layout = .lines
    } else if path.hasSuffix(".json") {
      layout = .document
    } else if path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl") {
      layout = .lines
    }
  }

  deinit {
    if fd > 0 { Glibc.close(fd) }
  }

  /// The descriptor to wait on with `poll`, for pipes and standard input; nil for regular files.
  public var pollableDescriptor: Int32? { isStream && !closed && fd >= 0 ? fd : nil }

  /// Reads the whole feed once (for headless commands), calling `body` with every event in order.
  ///
  /// A FIFO is opened blocking, like `cat` would: this waits for its writer and reads to its end.
  public func readAll(_ body: (FeedEvent) -> Void) {
    if !openIfNeeded(blocking: true) {
      body(.rejected(FeedLineError(feed: name, line: 0, reason: condition ?? "cannot be read")))
      return
    }
    if layout == nil { sniffLayout() }
    if layout == .document {
      for event in readDocument(force: true) { body(event) }
      return
    }
    while true {
      let n = readChunk()
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      pushBuffered(count: n, body)
    }
    splitter.finish { line, content in deliver(content, line: line, body) }
  }

  /// Reads the whole feed like `readAll`, decoding on two threads (`ParallelLineDecoder`);
  /// `body` gets every event in order on this thread, with the number of lines before the
  /// event's line numbering starts (add it to the event's line).
  ///
  /// Only for a regular file of lines: false, with nothing read, for anything else (standard
  /// input, a FIFO, a status document, a file that cannot be opened).
  func readAllChunked(_ body: (EventBuffer.Entry, Int) -> Void) -> Bool {
    var before = stat()
    guard lineTap == nil, !isStream, fd < 0, layout != .document, stat(path, &before) == 0,
      (before.st_mode & S_IFMT) == S_IFREG, openIfNeeded(blocking: true), !isStream
    else { return false }
    if layout == nil { sniffLayout() }
    guard layout == .lines else { return false }
    ParallelLineDecoder.runEntries(fd: fd, feed: name, maxLine: splitter.maxLine, body)
    offset = Int64(lseek(fd, 0, SEEK_END))
    return true
  }

  /// Reads what has arrived since the last poll, at most about `budget` bytes; never blocks.
  public func poll(budget: Int = 4 << 20) -> [FeedEvent] {
    var events: [FeedEvent] = []
    if closed { return events }
    if isStream && fd >= 0 {
      readStream(budget: budget) { events.append($0) }
      return events
    }
    guard openIfNeeded() else { return events }
    if isStream {
      readStream(budget: budget) { events.append($0) }
      return events
    }
    checkRotation { events.append($0) }
    guard fd >= 0 else { return events }
    if layout == nil { sniffLayout() }
    if layout == .document { return readDocument(force: false) }
    var size = fileSize()
    if size < offset {
      condition = "truncated; reading from the start"
      lseek(fd, 0, SEEK_SET)
      offset = 0
      splitter.reset()
      size = fileSize()
    }
    var read = 0
    while read < budget {
      let n = readChunk()
      if n <= 0 { break }
      read += n
      pushBuffered(count: n) { events.append($0) }
    }
    if read == 0 {
      quietPolls += 1
      // A last line without a newline counts once the writer has stopped and it is whole JSON.
      if quietPolls >= 2, splitter.hasPartialLine,
        splitter.peekPartial({ bytes in (try? JSONParser.parse(bytes)) != nil }) == true
      {
        splitter.finish { line, content in deliver(content, line: line) { events.append($0) } }
      }
    } else {
      quietPolls = 0
      // What happened to the file (truncated, replaced, deleted) stays on show; a failure to open is over.
      if let shown = condition,
        !["truncated", "replaced", "deleted"].contains(where: { shown.hasPrefix($0) })
      {
        condition = nil
      }
    }
    return events
  }

  /// Clears a one-off condition such as "truncated" once it has been shown.
  public func acknowledgeCondition() {
    if fd >= 0 && !closed { condition = nil }
  }

  private func pushBuffered(count: Int, _ body: (FeedEvent) -> Void) {
    readBuffer.withUnsafeBytes { raw in
      splitter.push(UnsafeRawBufferPointer(rebasing: raw[0..<count])) { line, content in
        deliver(content, line: line, body)
      }
    }
  }

  /// Shows a line to `lineTap`, then decodes it and hands the event on (blank lines give none).
  private func deliver(_ content: LineSplitter.Content, line: Int, _ body: (FeedEvent) -> Void) {
    if let lineTap, case .bytes(let bytes) = content { lineTap(bytes) }
    if let event = FeedEvent.decode(content, feed: name, line: line) { body(event) }
  }

  private func readChunk() -> Int {
    if readBuffer.isEmpty { readBuffer = [UInt8](repeating: 0, count: 1 << 20) }
    let n = readBuffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
    if n > 0 { offset += Int64(n) }
    return n
  }

  private func readStream(budget: Int, _ body: (FeedEvent) -> Void) {
    var read = 0
    while read < budget {
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard Glibc.poll(&pfd, 1, 0) > 0 else { return }
      let n = readChunk()
      if n > 0 {
        read += n
        if condition?.hasPrefix("closed") == true { condition = nil }
        pushBuffered(count: n, body)
        continue
      }
      if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
      let ending = n == 0 ? "closed" : "read error: " + Self.describeErrno()
      splitter.finish { line, content in deliver(content, line: line, body) }
      if path == "-" {
        closed = true
        condition = ending
      } else {
        // A named FIFO whose writer went away: open it again at the next poll, for the next writer.
        Glibc.close(fd)
        fd = -1
        isStream = false
        condition = n == 0 ? "closed; waiting for a writer" : ending
      }
      return
    }
  }

  private func openIfNeeded(blocking: Bool = false) -> Bool {
    if fd >= 0 { return true }
    var info = stat()
    guard stat(path, &info) == 0 else {
      condition = errno == ENOENT ? "waiting for the file to appear" : "cannot read: " + Self.describeErrno()
      return false
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      condition = "is a directory, not a feed"
      return false
    }
    let isFIFO = (info.st_mode & S_IFMT) == S_IFIFO
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | (isFIFO && !blocking ? O_NONBLOCK : 0))
    guard descriptor >= 0 else {
      condition = "cannot read: " + Self.describeErrno()
      return false
    }
    let newIdentity = (dev: UInt64(info.st_dev), ino: UInt64(info.st_ino))
    if let identity, identity != newIdentity {
      condition = "replaced; reading the new file"
    } else if !(isFIFO && condition?.hasPrefix("closed") == true) {
      condition = nil
    }
    fd = descriptor
    isStream = isFIFO
    if isFIFO { layout = .lines }
    identity = newIdentity
    offset = 0
    splitter.reset()
    return true
  }

  /// Notices when the path now names another file, or no file, and switches to it.
  private func checkRotation(_ body: (FeedEvent) -> Void) {
    var info = stat()
    if stat(path, &info) != 0 {
      // Deleted: keep reading what is open; the next file at the path is picked up when it appears.
      if condition == nil { condition = "deleted; waiting for a new file" }
      return
    }
    if let identity, identity.dev != UInt64(info.st_dev) || identity.ino != UInt64(info.st_ino) {
      // Drain what the old file still holds (a writer's last lines before the rotation), then move
      // to the new one. A last line without a newline is handed out too: nobody will end it now.
      if layout == .lines {
        while true {
          let n = readChunk()
          if n <= 0 { break }
          pushBuffered(count: n, body)
        }
        splitter.finish { line, content in deliver(content, line: line, body) }
      }
      Glibc.close(fd)
      fd = -1
      documentStamp = nil
      // Says "replaced" when the new file opens, else what is wrong with the path now.
      _ = openIfNeeded()
    }
  }

  private func fileSize() -> Int64 {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return offset }
    return Int64(info.st_size)
  }

  /// Looks at the start of the file: `[` or a first line that is not whole JSON means a status document.
  private func sniffLayout() {
    var head = [UInt8](repeating: 0, count: 65_536)
    let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    guard n > 0 else { return }
    let bytes = head[0..<n]
    guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
      return
    }
    if bytes[first] == UInt8(ascii: "[") {
      layout = .document
      return
    }
    let lineEnd = bytes[first...].firstIndex(of: 0x0A) ?? bytes.endIndex
    let firstLine = Array(bytes[first..<lineEnd])
    let whole = firstLine.withUnsafeBytes { (try? JSONParser.parse($0)) != nil }
    layout = whole || lineEnd == bytes.endIndex ? .lines : .document
  }

  private func readDocument(force: Bool) -> [FeedEvent] {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return [] }
    let stamp = (Int64(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
    if !force, let old = documentStamp, old == stamp { return [] }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var position: Int64 = 0
    while true {
      let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
      if n <= 0 { break }
      data.append(contentsOf: chunk[0..<n])
      position += Int64(n)
    }
    documentStamp = stamp
    if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [] }
    let name = self.name
    return data.withUnsafeBytes { FeedEvent.decodeDocument($0, feed: name) }
  }

  static func describeErrno() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text).lowercased()
  }
}
