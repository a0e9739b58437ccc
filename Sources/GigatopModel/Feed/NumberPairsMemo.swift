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
/// already read and already found to be distinct, so only its numbers are read
/// (`repeated(_:in:)`). The object's structure was checked when its line was split
/// (`FlatDecoder.numberObject`).
struct NumberPairsMemo {
  /// The names, in order (empty before the first object).
  private var names: [String] = []
  /// The text around the numbers: one piece before each number and one after the last.
  private var text: [UInt8] = []
  /// Where each piece of `text` ends.
  private var ends: [Int] = []

  /// The pairs of the object `field` in `bytes` if its text outside its numbers is the last
  /// object's (and no number is negative); else nil.
  func repeated(_ field: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer) -> [(String, Double)]? {
    guard !ends.isEmpty, let base = bytes.baseAddress else { return nil }
    var i = Int(field.valueStart)
    let end = i + Int(field.valueCount)
    var pairs: [(String, Double)] = []
    pairs.reserveCapacity(names.count)
    let same = text.withUnsafeBytes { text -> Bool in
      guard let pieces = text.baseAddress else { return false }
      var from = 0
      for k in 0..<ends.count {
        let n = ends[k] - from
        guard i + n <= end, memcmp(base + i, pieces + from, n) == 0 else { return false }
        i += n
        from = ends[k]
        guard k < names.count else { break }
        guard let (value, next) = FlatDecoder.number(bytes, from: i), value >= 0, next <= end else {
          return false
        }
        pairs.append((names[k], value))
        i = next
      }
      return i == end
    }
    return same ? pairs : nil
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
