#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends the lines a live view reads to a recording file, with keyframes, crash-safely.
///
/// Lines are buffered and written whole with `write(2)`: after a crash the file holds every line
/// written so far, and at most the last line is cut short (replay skips it with a warning).
/// The buffer goes to the file when it holds 64 KiB, or at `flushIfDue` once a second.
///
/// Keyframes: after at least `keyframeLines` lines since the last one, and once the lines since
/// the last one are at least `keyframeRatio` times the last keyframe's size, the state is written
/// as a `snapshot` line marked `src: "gigatop.keyframe"`; keyframes stay a small part of the file.
///
/// When the file cannot be opened or written (permission, disk full), recording stops and
/// `failure` says why; the caller goes on without it.
public final class RecordingWriter {
  public let path: String
  /// Why recording stopped, if it did.
  public private(set) var failure: String?
  /// Lines written (not counting keyframes).
  public private(set) var linesWritten = 0
  public private(set) var keyframesWritten = 0
  /// Bytes handed to the file so far.
  public private(set) var bytesWritten: Int64 = 0

  /// Fewest lines between keyframes.
  public var keyframeLines: Int
  /// Lines between keyframes are at least this many times the last keyframe's size.
  public var keyframeRatio: Int
  /// Most seconds a line waits in the buffer.
  public var flushInterval: Double

  private var fd: Int32 = -1
  private var buffer: [UInt8] = []
  private var lastFlush: Double
  private var linesSinceKeyframe = 0
  private var bytesSinceKeyframe = 0
  private var lastKeyframeSize = 0
  private static let bufferLimit = 64 << 10

  /// Opens (creates, or appends to) `path`; check `failure`. `now` is a monotonic time in seconds.
  public init(
    path: String, now: Double, keyframeLines: Int = 10_000, keyframeRatio: Int = 4, flushInterval: Double = 1
  ) {
    self.path = path
    self.keyframeLines = keyframeLines
    self.keyframeRatio = keyframeRatio
    self.flushInterval = flushInterval
    lastFlush = now
    fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    if fd < 0 {
      failure = "cannot record to \(path): \(Self.errnoText())"
      return
    }
    // A file cut short by a crash ends in a partial line: start ours on a line of its own.
    var info = stat()
    if fstat(fd, &info) == 0, info.st_size > 0 {
      var last: UInt8 = 0
      if pread(fd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A { buffer.append(0x0A) }
    }
  }

  deinit {
    flush()
    if fd >= 0 { close(fd) }
  }

  /// Whether recording goes on.
  public var isRecording: Bool { failure == nil }

  /// Records one line (without its newline).
  public func append(line: UnsafeRawBufferPointer) {
    guard failure == nil else { return }
    buffer.append(contentsOf: line)
    buffer.append(0x0A)
    linesWritten += 1
    linesSinceKeyframe += 1
    bytesSinceKeyframe += line.count + 1
    if buffer.count >= Self.bufferLimit { flush() }
  }

  /// Records one line given as a string.
  public func append(line: String) {
    var copy = line
    copy.withUTF8 { append(line: UnsafeRawBufferPointer($0)) }
  }

  /// Whether a keyframe is due (the caller then passes the state to `writeKeyframe`).
  public var keyframeDue: Bool {
    failure == nil && linesSinceKeyframe >= keyframeLines
      && bytesSinceKeyframe >= lastKeyframeSize * keyframeRatio
  }

  /// Writes the state as a keyframe line.
  public func writeKeyframe(_ state: BuildoutState) {
    guard failure == nil, let line = SnapshotWriter.line(state) else { return }
    var copy = line
    copy.withUTF8 { bytes in
      buffer.append(contentsOf: UnsafeRawBufferPointer(bytes))
      buffer.append(0x0A)
    }
    keyframesWritten += 1
    lastKeyframeSize = line.utf8.count
    linesSinceKeyframe = 0
    bytesSinceKeyframe = 0
    flush()
  }

  /// Writes the buffer if a line has waited `flushInterval` seconds by monotonic time `now`.
  public func flushIfDue(now: Double) {
    if now - lastFlush >= flushInterval {
      flush()
      lastFlush = now
    }
  }

  /// The monotonic time by which `flushIfDue` should be called next; nil when nothing waits.
  public var nextFlush: Double? { buffer.isEmpty || failure != nil ? nil : lastFlush + flushInterval }

  /// Writes everything buffered.
  public func flush() {
    guard failure == nil, !buffer.isEmpty else { return }
    var written = 0
    let total = buffer.count
    while written < total {
      let n = buffer.withUnsafeBytes { raw in
        write(fd, raw.baseAddress.map { $0 + written }, total - written)
      }
      if n < 0 {
        if errno == EINTR { continue }
        failure = "recording to \(path) stopped: \(Self.errnoText())"
        break
      }
      if n == 0 {
        failure = "recording to \(path) stopped: nothing could be written"
        break
      }
      written += n
    }
    bytesWritten += Int64(written)
    buffer.removeAll(keepingCapacity: true)
  }

  static func errnoText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text).lowercased()
  }
}
