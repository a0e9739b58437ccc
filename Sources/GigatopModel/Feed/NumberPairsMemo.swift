#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last object of numbers (a power line's `halls`) read on one thread: its names, and its
/// text outside its numbers.
///
/// Power lines give the same halls in the same order each time; only the numbers change. An
/// object whose text outside its numbers is the same as the last one's has the same names,
/// already read and already found to be distinct, so only its numbers are read. A line that
/// repeats a layout (`FlatShapes.match`) has its object checked and its numbers read in one
/// pass while it is split (`match(_:at:)`), and those numbers are handed out for it
/// (`repeated(_:in:)`); else the object's structure was checked when its line was split
/// (`FlatDecoder.numberObject`), and `repeated` compares its text and reads its numbers.
struct NumberPairsMemo {
  /// The names, in order (empty before the first object).
  private var names: [String] = []
  /// The text around the numbers: one piece before each number and one after the last.
  private var text: [UInt8] = []
  /// Where each piece of `text` ends.
  private var ends: [Int] = []
  /// The numbers `match` read, and where: the line's bytes and the object's first byte (nil:
  /// none since the line began, `forgetMatch`).
  private var matched: (line: UnsafeRawPointer, start: Int, draws: [Double])?

  /// Forgets what `match` read (a new line begins).
  @inline(__always) mutating func forgetMatch() {
    if matched != nil { matched = nil }
  }

  /// The index just past the object of numbers at `start` in `bytes` (its opening brace) if its
  /// text outside its numbers is the last object's and each number is one `FlatDecoder.number`
  /// reads, none negative (then it is an object `FlatDecoder.numberObject` accepts, with the last
  /// object's names); else nil. Its numbers are kept for `repeated`.
  mutating func match(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
    guard !ends.isEmpty, let base = bytes.baseAddress else { return nil }
    guard let (draws, next) = read(bytes, from: start, to: bytes.count) else { return nil }
    matched = (base, start, draws)
    return next
  }

  /// The names and numbers of the object `field` in `bytes` if its text outside its numbers is
  /// the last object's (and no number is negative); else nil.
  mutating func repeated(_ field: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer) -> HallDraws? {
    guard !ends.isEmpty, let base = bytes.baseAddress else { return nil }
    let start = Int(field.valueStart)
    let end = start + Int(field.valueCount)
    // The names are this memo's array, shared: the state tells a repeat by its identity.
    if let m = matched, m.line == base, m.start == start {
      matched = nil
      return HallDraws(names: names, mw: m.draws)
    }
    guard let (draws, next) = read(bytes, from: start, to: end), next == end else { return nil }
    return HallDraws(names: names, mw: draws)
  }

  /// The numbers of the object at `start` if its text outside them (up to `end` at most) is the
  /// last object's, none negative, and the index just past it; else nil.
  private func read(
    _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int
  ) -> (draws: [Double], next: Int)? {
    guard let base = bytes.baseAddress else { return nil }
    var i = start
    var draws: [Double] = []
    draws.reserveCapacity(names.count)
    let same = text.withUnsafeBytes { text -> Bool in
      guard let pieces = text.baseAddress else { return false }
      var from = 0
      for k in 0..<ends.count {
        let n = ends[k] - from
        guard i + n <= end, memcmp(base + i, pieces + from, n) == 0 else { return false }
        i += n
        from = ends[k]
        guard k < names.count else { break }
        guard i < end, let (value, next) = FlatDecoder.number(bytes, from: i), value >= 0, next <= end else {
          return false
        }
        draws.append(value)
        i = next
      }
      return true
    }
    return same ? (draws, i) : nil
  }

  /// Keeps the object `field` in `bytes`, read as `names` with numbers at `numbers`.
  mutating func remember(
    _ field: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer, names: [String],
    numbers: [(start: Int, end: Int)]
  ) {
    guard names.count == numbers.count else { return }
    self.names = names
    text.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    var from = Int(field.valueStart)
    for (start, end) in numbers + [(Int(field.valueStart + field.valueCount), 0)] {
      text.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from..<start]))
      ends.append(text.count)
      from = end
    }
  }
}
