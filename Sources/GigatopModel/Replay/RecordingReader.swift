#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a recording forwards, line by line, from any byte offset: files larger than memory are streamed.
///
/// Only one buffer (1 MiB) is held. A last line without a newline is handed out when it is
/// complete JSON; otherwise it is what a crash left half-written, and it is skipped with a warning.
public final class RecordingReader {
  /// One line: where it starts, its 1-based number in the file, and its bytes (valid until the next call).
  public struct Line {
    public var offset: Int64
    public var number: Int
    public var bytes: UnsafeRawBufferPointer
  }

  public let path: String
  /// Why the file cannot be read, if it cannot.
  public private(set) var failure: String?
  /// A warning about the file's end (a partial last line), if any.
  public private(set) var warning: String?
  /// The byte offset of the next line.
  public private(set) var offset: Int64 = 0
  /// The number of the next line, 1-based.
  public private(set) var lineNumber = 1

  private var fd: Int32 = -1
  private var buffer: [UInt8]
  /// Valid bytes in `buffer` are `start..<end`; `buffer[start]` is at file offset `offset`.
  private var start = 0
  private var end = 0
  private var atEOF = false

  /// Opens `path`; check `failure`.
  public init(path: String, bufferSize: Int = 1 << 20) {
    self.path = path
    buffer = [UInt8](repeating: 0, count: max(4096, bufferSize))
    fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { failure = Self.errnoText() }
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  /// The file's size now, in bytes.
  public var size: Int64 {
    var info = stat()
    guard fd >= 0, fstat(fd, &info) == 0 else { return 0 }
    return Int64(info.st_size)
  }

  /// Moves to a byte offset that starts a line, whose number is `line`.
  public func seek(to offset: Int64, line: Int) {
    self.offset = offset
    lineNumber = line
    start = 0
    end = 0
    atEOF = false
  }

  /// The next non-blank line, or nil at the end of the file.
  public func next<R>(_ body: (Line) -> R) -> R? {
    while true {
      guard fd >= 0 else { return nil }
      if let newline = findNewline() {
        let count = newline - start
        let lineOffset = offset
        let number = lineNumber
        var length = count
        if length > 0, buffer[start + length - 1] == 0x0D { length -= 1 }
        let lineStart = start
        start = newline + 1
        offset += Int64(count + 1)
        lineNumber += 1
        if Self.isBlank(buffer, lineStart, length) { continue }
        return buffer.withUnsafeBytes { raw in
          body(
            Line(
              offset: lineOffset, number: number,
              bytes: UnsafeRawBufferPointer(rebasing: raw[lineStart..<(lineStart + length)])))
        }
      }
      if !atEOF, fill() { continue }
      // End of file: a last line without a newline.
      guard end > start else { return nil }
      let length = end - start
      let lineOffset = offset
      let number = lineNumber
      let lineStart = start
      start = end
      offset += Int64(length)
      lineNumber += 1
      if Self.isBlank(buffer, lineStart, length) { return nil }
      let complete = buffer.withUnsafeBytes { raw in
        (try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[lineStart..<(lineStart + length)])))
          != nil
      }
      guard complete else {
        warning =
          "\(path):\(number): last line is incomplete (\(length) bytes, cut off while recording?); skipped"
        return nil
      }
      return buffer.withUnsafeBytes { raw in
        body(
          Line(
            offset: lineOffset, number: number,
            bytes: UnsafeRawBufferPointer(rebasing: raw[lineStart..<(lineStart + length)])))
      }
    }
  }

  /// The latest `ts` among the last lines of the file (read from its tail, not from the start).
  public func lastTimestamp(tailBytes: Int = 1 << 18) -> Double? {
    let total = size
    guard fd >= 0, total > 0 else { return nil }
    let from = max(0, total - Int64(tailBytes))
    var tail = [UInt8](repeating: 0, count: Int(total - from))
    let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(from)) }
    guard n > 0 else { return nil }
    var latest: Double?
    var end = n
    // Whole lines only: skip the first (it may be cut) unless the tail is the whole file.
    while end > 0 {
      var start = end - 1
      while start > 0, tail[start - 1] != 0x0A { start -= 1 }
      if start == 0, from > 0 { break }
      let ts: Double? = tail.withUnsafeBytes { raw in
        let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        if SnapshotWriter.isKeyframe(line) { return nil }
        if case .success(let envelope) = MessageDecoder.decode(line: line) { return envelope.ts }
        return nil
      }
      if let ts { latest = max(latest ?? ts, ts) }
      if latest != nil, n - start > 4096 { break }
      end = start > 0 ? start - 1 : 0
    }
    return latest
  }

  private func findNewline() -> Int? {
    guard end > start else { return nil }
    return buffer.withUnsafeBytes { raw -> Int? in
      guard let base = raw.baseAddress, let found = memchr(base + start, 0x0A, end - start) else {
        return nil
      }
      return base.distance(to: UnsafeRawPointer(found))
    }
  }

  /// Reads more of the file after what is buffered; false at the end.
  private func fill() -> Bool {
    if start > 0 {
      // Keep the partial line at the front.
      let kept = end - start
      if kept > 0 {
        buffer.withUnsafeMutableBytes { raw in
          guard let base = raw.baseAddress else { return }
          memmove(base, base + start, kept)
        }
      }
      start = 0
      end = kept
    }
    if end == buffer.count {
      // A line longer than the buffer: grow it.
      buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
    }
    let readOffset = offset + Int64(end - start)
    let n = buffer.withUnsafeMutableBytes { raw in
      pread(fd, raw.baseAddress.map { $0 + end }, raw.count - end, off_t(readOffset))
    }
    if n <= 0 {
      atEOF = true
      return false
    }
    end += n
    return true
  }

  private static func isBlank(_ buffer: [UInt8], _ from: Int, _ count: Int) -> Bool {
    var i = from
    while i < from + count {
      let b = buffer[i]
      if !(b == 0x20 || b == 0x09 || b == 0x0D) { return false }
      i += 1
    }
    return true
  }

  static func errnoText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text).lowercased()
  }
}
