#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines, counting them, without holding over-long lines whole.
public struct LineSplitter {
  /// One line's content.
  public enum Content {
    /// The line's bytes, without the newline (and a trailing CR).
    case bytes(UnsafeRawBufferPointer)
    /// A line longer than the limit: only its length was kept.
    case tooLong(Int)
  }

  /// The longest line accepted, in bytes.
  public var maxLine: Int
  /// Bytes of the line not yet ended by a newline.
  private(set) var pending: [UInt8] = []
  /// Length of the over-long line being skipped, or nil.
  private var skipping: Int?
  /// The number of the last line handed out.
  public private(set) var lineNumber = 0

  public init(maxLine: Int = 1 << 20) { self.maxLine = maxLine }

  /// Whether part of a line is waiting for its newline.
  public var hasPartialLine: Bool { !pending.isEmpty || skipping != nil }

  /// Feeds bytes; calls `body` with each complete line and its number.
  public mutating func push(_ chunk: UnsafeRawBufferPointer, _ body: (Int, Content) -> Void) {
    guard let base = chunk.baseAddress else { return }
    var start = 0
    let count = chunk.count
    while start < count {
      let remaining = count - start
      guard let found = memchr(base + start, 0x0A, remaining) else {
        append(UnsafeRawBufferPointer(start: base + start, count: remaining))
        return
      }
      let end = base.distance(to: UnsafeRawPointer(found))
      let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
      lineNumber += 1
      if let skipped = skipping {
        skipping = nil
        body(lineNumber, .tooLong(skipped + piece.count))
      } else if pending.isEmpty {
        emit(piece, body)
      } else if pending.count + piece.count > maxLine + 1 {
        // (One byte over is allowed while buffering: a CR before the newline is not part of the line.)
        let total = pending.count + piece.count
        pending.removeAll(keepingCapacity: false)
        body(lineNumber, .tooLong(total))
      } else {
        pending.append(contentsOf: piece)
        let line = pending
        pending.removeAll(keepingCapacity: true)
        line.withUnsafeBytes { emit($0, body) }
      }
      start = end + 1
    }
  }

  /// Hands out the last line if it has no newline (end of a finished file).
  public mutating func finish(_ body: (Int, Content) -> Void) {
    if let skipped = skipping {
      skipping = nil
      lineNumber += 1
      body(lineNumber, .tooLong(skipped))
      return
    }
    guard !pending.isEmpty else { return }
    lineNumber += 1
    let line = pending
    pending.removeAll()
    line.withUnsafeBytes { emit($0, body) }
  }

  /// The partial line without taking it (to try whether it is already complete JSON).
  public func peekPartial<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
    guard skipping == nil, !pending.isEmpty else { return nil }
    return pending.withUnsafeBytes(body)
  }

  /// Forgets everything and starts numbering again (after a truncation or replacement).
  public mutating func reset() {
    pending.removeAll()
    skipping = nil
    lineNumber = 0
  }

  private mutating func append(_ bytes: UnsafeRawBufferPointer) {
    if let skipped = skipping {
      skipping = skipped + bytes.count
    } else if pending.count + bytes.count > maxLine + 1 {
      skipping = pending.count + bytes.count
      pending.removeAll(keepingCapacity: false)
    } else {
      pending.append(contentsOf: bytes)
    }
  }

  private func emit(_ piece: UnsafeRawBufferPointer, _ body: (Int, Content) -> Void) {
    var line = piece
    if let last = line.last, last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
    if line.count > maxLine {
      body(lineNumber, .tooLong(line.count))
    } else {
      body(lineNumber, .bytes(line))
    }
  }
}
