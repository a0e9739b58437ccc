/// Exact copies of recent lines with their values cut out: a line of the same length whose bytes
/// outside the values are the same, and whose values are plain strings and numbers of the same
/// lengths, splits into the same members at the same places.
///
/// `FlatShapes` checks a line against a layout piece by piece, because a layout allows values of
/// any length. Most lines repeat a recent line's value lengths too (on a generated 1M-GPU feed,
/// 98% of all lines, and all but a few GPU lines, have the lengths of one of the last 16 lines of
/// their type: same ids, times, states and readings of the same widths), and then every member
/// sits where it sat before. A row keeps 16 stencils, told apart first by length. Such a line
/// is checked as a whole, sixteen bytes at a time (`SIMD16`): its bytes outside the values equal
/// the stencil's, and its string values hold no quote, backslash, control byte or byte from 0x80
/// up (so each ends at the stencil's closing quote); then each number is read (`number`, as
/// `FlatDecoder.number` reads it) and must end where the stencil's did. Values `true`, `false` and `null` are kept as bytes outside the values (they
/// must repeat exactly). The members are then the stencil's, with the line's numbers: what
/// `FlatShapes.match` (and `FlatDecoder.scan`) would give.
///
/// A stencil is made from a line a layout matched (`learn`); lines with an object of numbers, more
/// than `maxMembers` members, fewer than `minimum` or more than `capacity` bytes get none. The storage is raw memory for
/// one decoding thread, held by `FlatMemory`; rows are `FlatShapes.row`'s.
struct FlatStencils {
  /// Sixteen bytes of a stencil: which bits are outside the values (`mask`) and the line's bits
  /// there (`text`), and which bytes are inside string values (`strings`: all ones).
  struct Block {
    var mask: SIMD16<UInt8>
    var text: SIMD16<UInt8>
    var strings: SIMD16<UInt8>
  }

  /// A number to read: its bytes, and its member.
  struct Check {
    var start: Int32
    var count: Int32
    var field: Int32
  }

  static let rows = FlatShapes.rows
  /// Stencils per row: a line that matches none costs a length comparison per stencil, and 16
  /// catch more lines than 4 or 8 (instructions for the 1M-line summary: 3.44 G with 4, 3.33 G
  /// with 8, 3.25 G with 16, 3.21 G with 32).
  static let ways = 16
  /// The shortest line kept, in bytes (one block).
  static let minimum = 16
  /// The longest line kept, in bytes.
  static let capacity = 256
  /// The most members a kept line has.
  static let maxMembers = 16
  /// Blocks per stencil: the line's whole blocks, then the block ending at its last byte.
  static let blockStride = capacity / 16 + 1

  /// Per stencil: the line's length (0: none kept).
  private let lengths: UnsafeMutablePointer<Int32>
  private let blocks: UnsafeMutablePointer<Block>
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
    // Written by `learn` before a stencil's length is set, and read only after: not cleared.
    blocks = FlatShapes.lines(Block.self, count: stencils * Self.blockStride)
    fields = FlatShapes.lines(FlatDecoder.Field.self, count: stencils * Self.maxMembers)
    checks = FlatShapes.lines(Check.self, count: stencils * Self.maxMembers)
    checkCounts = FlatShapes.allocate(Int32(0), count: stencils)
    found = FlatShapes.lines(FlatShapes.Found.self, count: stencils)
    lastHit = FlatShapes.allocate(UInt8(0), count: Self.rows)
    nextVictim = FlatShapes.allocate(UInt8(0), count: Self.rows)
  }

  func deallocate() {
    lengths.deallocate()
    blocks.deallocate()
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
    let blocks = self.blocks + stencil &* Self.blockStride
    // The whole blocks, then the block ending at the last byte (kept lines are at least one
    // block long): a byte that differs outside the values, or a string byte that would end or
    // escape its string, leaves bits set.
    var differ = SIMD16<UInt8>.zero
    var b = 0
    var i = 0
    while i &+ 16 <= end {
      differ |= Self.differences(base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), blocks[b])
      b &+= 1
      i &+= 16
    }
    differ |= Self.differences(
      base.loadUnaligned(fromByteOffset: end &- 16, as: SIMD16<UInt8>.self), blocks[b])
    guard differ == .zero else { return false }
    let checks = self.checks + stencil &* Self.maxMembers
    let fields = self.fields + stencil &* Self.maxMembers
    for c in 0..<Int(checkCounts[stencil]) {
      let check = checks[c]
      guard let value = Self.number(base, from: Int(check.start), count: Int(check.count)) else {
        return false
      }
      fields[Int(check.field)].number = value
    }
    return true
  }

  /// The bits of sixteen bytes of a line that break `block`: bytes outside the values that differ
  /// from it, and bytes inside string values that `FlatDecoder.plainString` stops at (`marks`).
  @inline(__always) static func differences(_ x: SIMD16<UInt8>, _ block: Block) -> SIMD16<UInt8> {
    ((x & block.mask) ^ block.text) | (marks(x) & block.strings)
  }

  /// All ones for each byte that is a quote, a backslash, below 0x20 or from 0x80 up (a signed
  /// byte below 0x20 is one of the last two), zero for every other byte.
  @inline(__always) static func marks(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> {
    let low = SIMD16<Int8>(truncatingIfNeeded: x) .< SIMD16<Int8>(repeating: 0x20)
    let special = (x .== SIMD16<UInt8>(repeating: 0x22)) .| (x .== SIMD16<UInt8>(repeating: 0x5C))
    return SIMD16<UInt8>.zero.replacing(with: 0xFF, where: special .| low)
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

  /// Keeps a line a layout matched (its members `fields`, what the layout says of them `found`)
  /// as its row's next stencil, in place of the one used least lately; lines that cannot be kept
  /// are left.
  func learn(
    _ bytes: UnsafeRawBufferPointer, row: Int, fields: UnsafeBufferPointer<FlatDecoder.Field>,
    found: FlatShapes.Found
  ) {
    let n = bytes.count
    guard n >= Self.minimum, n <= Self.capacity, fields.count <= Self.maxMembers,
      let base = bytes.baseAddress,
      let members = fields.baseAddress
    else { return }
    for f in fields where f.kind == .numberObject { return }
    let way = Int(nextVictim[row])
    nextVictim[row] = UInt8((way + 1) & (Self.ways - 1))
    let stencil = row * Self.ways + way
    let checks = self.checks + stencil * Self.maxMembers
    var checkCount = 0
    // Per byte: all ones outside the values (`mask`), all ones inside string values (`strings`).
    withUnsafeTemporaryAllocation(byteCount: 2 * Self.capacity, alignment: 16) { scratch in
      guard let mask = scratch.baseAddress else { return }
      let strings = mask + Self.capacity
      mask.initializeMemory(as: UInt8.self, repeating: 0xFF, count: n)
      strings.initializeMemory(as: UInt8.self, repeating: 0, count: n)
      for (k, f) in fields.enumerated() {
        let start = Int(f.valueStart)
        let count = Int(f.valueCount)
        switch f.kind {
        case .string:
          // The type picks the row and the reader: kept as bytes to repeat exactly.
          guard count > 0, f.key != .type else { continue }
          (strings + start).initializeMemory(as: UInt8.self, repeating: 0xFF, count: count)
        case .number:
          checks[checkCount] = Check(start: f.valueStart, count: f.valueCount, field: Int32(k))
          checkCount += 1
        case .yes, .no, .null, .numberObject:
          continue
        }
        (mask + start).initializeMemory(as: UInt8.self, repeating: 0, count: count)
      }
      let blocks = self.blocks + stencil * Self.blockStride
      var b = 0
      var i = 0
      while i <= n {
        // The whole blocks, then the block ending at the last byte.
        let offset = i + 16 <= n ? i : n - 16
        let m = mask.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
        let x = base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
        let s = strings.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
        blocks[b] = Block(mask: m, text: x & m, strings: s)
        b += 1
        i += 16
      }
    }
    (self.fields + stencil * Self.maxMembers).initialize(from: members, count: fields.count)
    checkCounts[stencil] = Int32(checkCount)
    self.found[stencil] = found
    lengths[stencil] = Int32(n)
    lastHit[row] = UInt8(way)
  }
}
