/// Layouts of recent flat lines, learned from lines `FlatDecoder.scan` accepted: every byte
/// outside the values, and which member each value is.
///
/// Feed lines of one type mostly repeat the keys, the key order and the spacing of a line a
/// little before them (on a generated 1M-GPU feed, 99.5% of lines repeat one of the last four
/// layouts of their type). Checking that a line is such a repeat (the bytes between its values
/// equal the layout's, a word at a time) and reading its values costs less than scanning it
/// member by member and telling each key. A line that matches has the keys, order and spacing of
/// a line `scan` accepted, so it splits into the same members (no key twice), and each value is
/// read by the code `scan` reads values with (`FlatDecoder.value`): the members come out as
/// `scan` would give them.
///
/// The storage is raw memory for one decoding thread (`FlatMemory` holds it: `allocate`,
/// `deallocate`); a line's row of layouts is picked by a hash of its bytes 8 to 15 (after
/// `{"type":`, the type and what follows it).
struct FlatShapes {
  /// Where one value sits in a layout: the bytes before it (from the end of the previous value)
  /// and its member's key.
  struct Slot {
    var literalStart: Int32
    var literalCount: Int32
    /// Where the key starts, counted from the start of the bytes before the value.
    var keyOffset: Int32
    var keyCount: Int32
    var key: FlatKey
  }

  /// Rows of layouts (picked by a hash of bytes 8 to 15 of a line), and layouts kept per row.
  static let rows = 16
  static let ways = 4
  /// Bytes outside the values a layout holds at most (a longer line is not learned).
  static let literalCapacity = 448
  /// Room per layout: the bytes, then eight zero bytes, so a word read at any byte stays inside.
  static let literalStride = literalCapacity + 8
  /// Slots per layout: one per member, and one for the bytes after the last value.
  static let slotStride = FlatDecoder.maxFields + 1

  private let literals: UnsafeMutablePointer<UInt8>
  private let slots: UnsafeMutablePointer<Slot>
  /// Members per layout; 0 for a layout not learned yet.
  private let counts: UnsafeMutablePointer<Int32>
  /// Per layout: where each known key is among its members (`FlatReader.positions(of:)`).
  private let positions: UnsafeMutablePointer<FlatReader.Positions>
  /// Per layout: which known keys it has, a bit per key number.
  private let keys: UnsafeMutablePointer<UInt64>
  /// Per row: the way that matched last (tried first), and the way the next layout goes to.
  private let lastHit: UnsafeMutablePointer<UInt8>
  private let nextVictim: UnsafeMutablePointer<UInt8>
  /// The last date read on this thread (`Timestamp.DayMemo`): kept here, with the layouts, as
  /// memory of the lines before.
  let dayMemo: UnsafeMutablePointer<Timestamp.DayMemo>
  /// The last object of numbers read on this thread (`NumberPairsMemo`).
  let pairsMemo: UnsafeMutablePointer<NumberPairsMemo>
  /// The strings read last (`FlatLine.IDMemo`, one per `FlatLine.Memo`).
  let memos: UnsafeMutablePointer<FlatLine.IDMemo>

  /// Empty rows, to be given back with `deallocate`.
  static func allocate() -> FlatShapes { FlatShapes() }

  private init() {
    let layouts = Self.rows * Self.ways
    literals = Self.allocate(UInt8(0), count: layouts * Self.literalStride)
    slots = Self.allocate(
      Slot(literalStart: 0, literalCount: 0, keyOffset: 0, keyCount: 0, key: .unknown),
      count: layouts * Self.slotStride)
    counts = Self.allocate(Int32(0), count: layouts)
    positions = Self.allocate((0, 0, 0, 0, 0, 0, 0, 0), count: layouts)
    keys = Self.allocate(UInt64(0), count: layouts)
    lastHit = Self.allocate(UInt8(0), count: Self.rows)
    nextVictim = Self.allocate(UInt8(0), count: Self.rows)
    dayMemo = Self.allocate(Timestamp.DayMemo(), count: 1)
    pairsMemo = Self.allocate(NumberPairsMemo(), count: 1)
    memos = Self.allocate(FlatLine.IDMemo(), count: FlatLine.Memo.allCases.count)
  }

  /// `count` copies of `value` in memory of their own cache lines: two threads' memories are
  /// written all the time (the memos, the layout a row used last), and sharing a line between
  /// them would make each write wait for the other core.
  static func allocate<T>(_ value: T, count: Int) -> UnsafeMutablePointer<T> {
    let typed = room(T.self, count: count)
    typed.initialize(repeating: value, count: count)
    return typed
  }

  /// Room for `count` values of a plain type in cache lines of their own (as `allocate`), left
  /// as it comes: for memory that is written before it is read, where clearing it first would
  /// cost every decoding thread's start a pass over it (and its page faults).
  static func lines<T: BitwiseCopyable>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    room(T.self, count: count)
  }

  private static func room<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    let line = 64
    let bytes = (max(1, count) * MemoryLayout<T>.stride + line - 1) / line * line
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: bytes, alignment: max(line, MemoryLayout<T>.alignment))
    return raw.bindMemory(to: T.self, capacity: count)
  }

  func deallocate() {
    literals.deallocate()
    slots.deallocate()
    counts.deallocate()
    positions.deallocate()
    keys.deallocate()
    lastHit.deallocate()
    nextVictim.deallocate()
    dayMemo.deallocate()
    pairsMemo.deinitialize(count: 1)
    pairsMemo.deallocate()
    memos.deinitialize(count: FlatLine.Memo.allCases.count)
    memos.deallocate()
  }

  /// The row of layouts for a line: a hash of its bytes 8 to 15 (after `{"type":`, the type and
  /// what follows it), or row 0 for a line too short to have them.
  @inline(__always) static func row(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard bytes.count >= 16, let base = bytes.baseAddress else { return 0 }
    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    return Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 60) & (rows - 1)
  }

  /// What a line's layout says of its members.
  struct Found {
    /// How many members the line has.
    var count: Int
    /// Where each known key is among them.
    var positions: FlatReader.Positions
    /// Which known keys it has, a bit per key number.
    var keys: UInt64
  }

  /// Which known keys `fields` have, a bit per key number.
  static func keys(of fields: UnsafeBufferPointer<FlatDecoder.Field>) -> UInt64 {
    var mask: UInt64 = 0
    for field in fields where field.key != .unknown { mask |= 1 << UInt64(field.key.rawValue) }
    return mask
  }

  /// Splits a line that repeats one of its row's layouts into `fields`: what the layout says of
  /// them; else nil (no layout matches, or a value is not one `scan` reads).
  func match(
    _ bytes: UnsafeRawBufferPointer, row: Int, into fields: UnsafeMutableBufferPointer<FlatDecoder.Field>
  )
    -> Found?
  {
    let first = Int(lastHit[row])
    for step in 0..<Self.ways {
      let way = (first + step) & (Self.ways - 1)
      let layout = row * Self.ways + way
      let count = Int(counts[layout])
      guard count > 0 else { continue }
      if matches(bytes, layout: layout, count: count, into: fields) {
        if way != first { lastHit[row] = UInt8(way) }
        return Found(count: count, positions: positions[layout], keys: keys[layout])
      }
    }
    return nil
  }

  private func matches(
    _ bytes: UnsafeRawBufferPointer, layout: Int, count: Int,
    into fields: UnsafeMutableBufferPointer<FlatDecoder.Field>
  ) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let end = bytes.count
    let text = UnsafePointer(literals + layout * Self.literalStride)
    let slots = self.slots + layout * Self.slotStride
    // Positions stay below the line's length (under `Int32.max`): the arithmetic is unchecked.
    var i = 0
    for k in 0..<count {
      let slot = slots[k]
      let n = Int(slot.literalCount)
      guard Self.same(base, end, at: i, text + Int(slot.literalStart), n) else { return false }
      let before = i
      i &+= n
      guard i < end else { return false }
      var field = FlatDecoder.Field(
        keyStart: Int32(truncatingIfNeeded: before) &+ slot.keyOffset, keyCount: slot.keyCount,
        valueStart: Int32(truncatingIfNeeded: i), valueCount: 0, kind: .null, key: slot.key, number: 0)
      if base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "{"),
        let next = pairsMemo.pointee.match(bytes, at: i)
      {
        // An object of numbers like the last: checked and read in one pass (`NumberPairsMemo`).
        field.kind = .numberObject
        field.valueCount = Int32(truncatingIfNeeded: next &- i)
        fields[k] = field
        i = next
        continue
      }
      guard let next = FlatDecoder.value(bytes, at: i, into: &field) else { return false }
      fields[k] = field
      i = next
    }
    let tail = slots[count]
    let n = Int(tail.literalCount)
    return i &+ n == end && Self.same(base, end, at: i, text + Int(tail.literalStart), n)
  }

  /// Whether the `n` bytes at `i` of a line `end` bytes long are the `n` bytes at `text` (which
  /// has at least eight readable bytes past them).
  @inline(__always) static func same(
    _ base: UnsafeRawPointer, _ end: Int, at i: Int, _ text: UnsafePointer<UInt8>, _ n: Int
  ) -> Bool {
    guard i &+ n <= end else { return false }
    let raw = UnsafeRawPointer(text)
    var k = 0
    while k &+ 8 <= n {
      if base.loadUnaligned(fromByteOffset: i &+ k, as: UInt64.self)
        != raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
      {
        return false
      }
      k &+= 8
    }
    guard k < n else { return true }
    let rest = n &- k
    if i &+ k &+ 8 <= end {
      // The last few bytes in one word, the line's bytes past them masked off.
      let mask = (UInt64(1) &<< UInt64(truncatingIfNeeded: 8 &* rest)) &- 1
      let a = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i &+ k, as: UInt64.self))
      let b = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
      return (a ^ b) & mask == 0
    }
    while k < n {
      if base.load(fromByteOffset: i &+ k, as: UInt8.self) != text[k] { return false }
      k &+= 1
    }
    return true
  }

  /// Keeps the layout of a line `scan` split into `fields` (where its known keys are: `known`) in
  /// its row, in place of the layout used least lately there.
  func learn(
    _ bytes: UnsafeRawBufferPointer, row: Int, fields: UnsafeBufferPointer<FlatDecoder.Field>,
    positions known: FlatReader.Positions
  ) {
    let count = fields.count
    guard count > 0, count <= FlatDecoder.maxFields, let base = bytes.baseAddress else { return }
    // The bytes outside the values must fit.
    var outside = bytes.count
    for k in 0..<count {
      let span = Self.span(of: fields[k])
      outside -= span.upperBound - span.lowerBound
    }
    guard outside <= Self.literalCapacity else { return }
    let way = Int(nextVictim[row])
    nextVictim[row] = UInt8((way + 1) & (Self.ways - 1))
    let layout = row * Self.ways + way
    let text = literals + layout * Self.literalStride
    let slots = self.slots + layout * Self.slotStride
    var written = 0
    var from = 0
    for k in 0...count {
      let upTo = k < count ? Self.span(of: fields[k]).lowerBound : bytes.count
      let n = upTo - from
      (text + written).initialize(from: base.assumingMemoryBound(to: UInt8.self) + from, count: n)
      slots[k] = Slot(
        literalStart: Int32(written), literalCount: Int32(n),
        keyOffset: k < count ? fields[k].keyStart - Int32(from) : 0,
        keyCount: k < count ? fields[k].keyCount : 0, key: k < count ? fields[k].key : .unknown)
      written += n
      if k < count { from = Self.span(of: fields[k]).upperBound }
    }
    // Zeros after the bytes keep a word read past them inside and defined.
    (text + written).initialize(repeating: 0, count: Self.literalStride - written)
    counts[layout] = Int32(count)
    positions[layout] = known
    keys[layout] = Self.keys(of: fields)
    lastHit[row] = UInt8(way)
  }

  /// The bytes a member's value takes in its line, quotes included.
  static func span(of field: FlatDecoder.Field) -> Range<Int> {
    let start = Int(field.valueStart)
    switch field.kind {
    case .string: return (start - 1)..<(start + Int(field.valueCount) + 1)
    case .number, .numberObject: return start..<(start + Int(field.valueCount))
    case .yes, .null: return start..<(start + 4)
    case .no: return start..<(start + 5)
    }
  }
}
