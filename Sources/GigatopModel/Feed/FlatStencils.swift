/// Exact copies of recent lines with their values cut out: a line of the same length whose bytes
/// outside the values are the same, and whose values are plain strings and numbers of the same
/// lengths, splits into the same members at the same places.
///
/// `FlatShapes` checks a line against a layout piece by piece, because a layout allows values of
/// any length. Most lines repeat a recent line's value lengths too (on a generated 1M-GPU feed,
/// 99% of GPU lines have the lengths of one of the last four GPU lines: same ids, times, states
/// and readings of the same widths), and then every member sits where it sat before. Such a line
/// is checked as a whole: its words, masked to the bytes outside the values, equal the stencil's;
/// each string value has no quote, backslash, control byte or byte from 0x80 up (so it ends at
/// the stencil's closing quote); each number is read by `FlatDecoder.number` and ends where the
/// stencil's did. Values `true`, `false` and `null` are kept as bytes outside the values (they
/// must repeat exactly). The members are then the stencil's, with the line's numbers: what
/// `FlatShapes.match` (and `FlatDecoder.scan`) would give.
///
/// A stencil is made from a line a layout matched (`learn`); lines with an object of numbers, more
/// than `maxMembers` members or more than `capacity` bytes get none. The storage is raw memory for
/// one decoding thread, held by `FlatMemory`; rows are `FlatShapes.row`'s.
struct FlatStencils {
  /// One word of a stencil: which bits are outside the values, and the line's bits there.
  struct Word {
    var mask: UInt64
    var text: UInt64
  }

  /// A value to check: a string's bytes (`field` < 0) or a number (member `field`).
  struct Check {
    var start: Int32
    var count: Int32
    var field: Int32
  }

  static let rows = FlatShapes.rows
  static let ways = 4
  /// The longest line kept, in bytes.
  static let capacity = 256
  /// The most members a kept line has.
  static let maxMembers = 16
  /// Words per stencil: the whole words of the line, then the word ending at its last byte.
  static let wordStride = capacity / 8 + 1

  /// Per stencil: the line's length (0: none kept).
  private let lengths: UnsafeMutablePointer<Int32>
  private let words: UnsafeMutablePointer<Word>
  private let fields: UnsafeMutablePointer<FlatDecoder.Field>
  private let checks: UnsafeMutablePointer<Check>
  private let checkCounts: UnsafeMutablePointer<Int32>
  private let found: UnsafeMutablePointer<FlatShapes.Found>
  /// Per row: the way that matched last (tried first), and the way the next stencil goes to.
  private let lastHit: UnsafeMutablePointer<UInt8>
  private let nextVictim: UnsafeMutablePointer<UInt8>

  /// Empty rows, to be given back with `deallocate`.
  static func allocate() -> FlatStencils { FlatStencils() }

  private init() {
    let stencils = Self.rows * Self.ways
    lengths = FlatShapes.allocate(Int32(0), count: stencils)
    words = FlatShapes.allocate(Word(mask: 0, text: 0), count: stencils * Self.wordStride)
    fields = FlatShapes.allocate(
      FlatDecoder.Field(
        keyStart: 0, keyCount: 0, valueStart: 0, valueCount: 0, kind: .null, key: .unknown, number: 0),
      count: stencils * Self.maxMembers)
    checks = FlatShapes.allocate(Check(start: 0, count: 0, field: 0), count: stencils * Self.maxMembers)
    checkCounts = FlatShapes.allocate(Int32(0), count: stencils)
    found = FlatShapes.allocate(
      FlatShapes.Found(count: 0, positions: (0, 0, 0, 0, 0, 0, 0, 0), keys: 0), count: stencils)
    lastHit = FlatShapes.allocate(UInt8(0), count: Self.rows)
    nextVictim = FlatShapes.allocate(UInt8(0), count: Self.rows)
  }

  func deallocate() {
    lengths.deallocate()
    words.deallocate()
    fields.deallocate()
    checks.deallocate()
    checkCounts.deallocate()
    found.deallocate()
    lastHit.deallocate()
    nextVictim.deallocate()
  }

  /// The members of a line that repeats one of its row's stencils (kept in that stencil's memory,
  /// valid until the next call on this thread), with what its layout says of them; else nil.
  func match(
    _ bytes: UnsafeRawBufferPointer, row: Int
  ) -> (UnsafeBufferPointer<FlatDecoder.Field>, FlatShapes.Found)? {
    let n = Int32(truncatingIfNeeded: bytes.count)
    let first = Int(lastHit[row])
    for step in 0..<Self.ways {
      let way = (first &+ step) & (Self.ways - 1)
      let stencil = row &* Self.ways &+ way
      guard lengths[stencil] == n, matches(bytes, stencil: stencil) else { continue }
      if way != first { lastHit[row] = UInt8(truncatingIfNeeded: way) }
      let found = self.found[stencil]
      return (UnsafeBufferPointer(start: fields + stencil &* Self.maxMembers, count: found.count), found)
    }
    return nil
  }

  private func matches(_ bytes: UnsafeRawBufferPointer, stencil: Int) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let end = bytes.count
    let words = self.words + stencil &* Self.wordStride
    // Every byte outside the values, the whole words first, then the word ending at the last byte
    // (kept lines are at least 8 bytes long).
    var differ: UInt64 = 0
    var w = 0
    var i = 0
    while i &+ 16 <= end {
      let a = words[w]
      let b = words[w &+ 1]
      differ |= (base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & a.mask) ^ a.text
      differ |= (base.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self) & b.mask) ^ b.text
      w &+= 2
      i &+= 16
    }
    if i &+ 8 <= end {
      let word = words[w]
      differ |= (base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & word.mask) ^ word.text
      w &+= 1
    }
    let last = words[w]
    differ |= (base.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self) & last.mask) ^ last.text
    guard differ == 0 else { return false }
    let checks = self.checks + stencil &* Self.maxMembers
    let fields = self.fields + stencil &* Self.maxMembers
    for c in 0..<Int(checkCounts[stencil]) {
      let check = checks[c]
      let start = Int(check.start)
      let count = Int(check.count)
      if check.field < 0 {
        guard Self.plain(base, end, from: start, count: count) else { return false }
      } else {
        guard let value = Self.number(base, from: start, count: count) else { return false }
        fields[Int(check.field)].number = value
      }
    }
    return true
  }

  /// Whether the `count` bytes at `start` of a line `end` bytes long hold no quote, backslash,
  /// byte below 0x20 or byte from 0x80 up (the bytes `FlatDecoder.plainString` stops at).
  @inline(__always) static func plain(
    _ base: UnsafeRawPointer, _ end: Int, from start: Int, count: Int
  ) -> Bool {
    let stop = start &+ count
    var i = start
    while i &+ 8 <= stop {
      if marks(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))) != 0 {
        return false
      }
      i &+= 8
    }
    guard i < stop else { return true }
    if i &+ 8 <= end {
      // The rest in one word, the bytes past it masked off (a mark there never hides one below).
      let keep = (UInt64(1) &<< UInt64(truncatingIfNeeded: 8 &* (stop &- i))) &- 1
      return marks(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))) & keep == 0
    }
    while i < stop {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b &- 0x20 >= 0x60 { return false }
      i &+= 1
    }
    return true
  }

  /// The number that is exactly the `count` bytes at `start` (`-`, an integer without leading
  /// zeros, perhaps a point and more digits: at most 15 digits in all, no exponent), as
  /// `FlatDecoder.number` reads it; else nil (that reader may still take it, or reject it).
  ///
  /// The value is `FlatDecoder.decimal` of the digits and the digits after the point, as both of
  /// `FlatDecoder`'s readers compute it for such a number.
  @inline(__always) static func number(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Double? {
    let stop = start &+ count
    var i = start
    let negative = base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "-")
    if negative { i &+= 1 }
    let first = i
    var mantissa: UInt64 = 0
    var point = -1
    while i < stop {
      let d = base.load(fromByteOffset: i, as: UInt8.self) &- 0x30
      if d < 10 {
        mantissa = mantissa &* 10 &+ UInt64(d)
      } else if d == UInt8(ascii: ".") &- 0x30, point < 0, i > first, i &+ 1 < stop {
        point = i
      } else {
        return nil
      }
      i &+= 1
    }
    let digits = stop &- first &- (point < 0 ? 0 : 1)
    // A leading zero must be the whole integer part.
    let wholeEnd = point < 0 ? stop : point
    guard digits > 0, digits <= 15,
      base.load(fromByteOffset: first, as: UInt8.self) != UInt8(ascii: "0") || wholeEnd == first &+ 1
    else { return nil }
    return FlatDecoder.decimal(mantissa, scale: point < 0 ? 0 : stop &- point &- 1, negative: negative)
  }

  /// The high bit of every byte of `x` that is a quote, a backslash, below 0x20 or from 0x80 up;
  /// other bytes may be marked too, but only above a byte that is one of those.
  @inline(__always) static func marks(_ x: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let q = x ^ (ones &* 0x22)
    let s = x ^ (ones &* 0x5C)
    return (((q &- ones) & ~q) | ((s &- ones) & ~s) | ((x &- ones &* 0x20) & ~x) | x) & (ones &* 0x80)
  }

  /// Keeps a line a layout matched (its members `fields`, what the layout says of them `found`)
  /// as its row's next stencil, in place of the one used least lately; lines that cannot be kept
  /// are left.
  func learn(
    _ bytes: UnsafeRawBufferPointer, row: Int, fields: UnsafeBufferPointer<FlatDecoder.Field>,
    found: FlatShapes.Found
  ) {
    let n = bytes.count
    guard n >= 8, n <= Self.capacity, fields.count <= Self.maxMembers, let base = bytes.baseAddress,
      let members = fields.baseAddress
    else { return }
    for f in fields where f.kind == .numberObject { return }
    let way = Int(nextVictim[row])
    nextVictim[row] = UInt8((way + 1) & (Self.ways - 1))
    let stencil = row * Self.ways + way
    let checks = self.checks + stencil * Self.maxMembers
    var checkCount = 0
    withUnsafeTemporaryAllocation(byteCount: Self.capacity, alignment: 8) { mask in
      guard let bits = mask.baseAddress else { return }
      bits.initializeMemory(as: UInt8.self, repeating: 0xFF, count: n)
      for (k, f) in fields.enumerated() {
        switch f.kind {
        case .string:
          // The type picks the row and the reader: kept as bytes to repeat exactly.
          guard f.valueCount > 0, f.key != .type else { continue }
          checks[checkCount] = Check(start: f.valueStart, count: f.valueCount, field: -1)
        case .number:
          checks[checkCount] = Check(start: f.valueStart, count: f.valueCount, field: Int32(k))
        case .yes, .no, .null, .numberObject:
          continue
        }
        checkCount += 1
        (bits + Int(f.valueStart)).initializeMemory(as: UInt8.self, repeating: 0, count: Int(f.valueCount))
      }
      let words = self.words + stencil * Self.wordStride
      var w = 0
      var i = 0
      while i <= n {
        // The whole words, then the word ending at the last byte.
        let offset = i + 8 <= n ? i : n - 8
        let m = UInt64(littleEndian: bits.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        words[w] = Word(mask: m, text: x & m)
        w += 1
        i += 8
      }
    }
    (self.fields + stencil * Self.maxMembers).update(from: members, count: fields.count)
    checkCounts[stencil] = Int32(checkCount)
    self.found[stencil] = found
    lengths[stencil] = Int32(n)
    lastHit[row] = UInt8(way)
  }
}
