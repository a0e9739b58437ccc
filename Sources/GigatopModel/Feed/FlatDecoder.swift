/// The fast path of `MessageDecoder`: decodes a common feed line straight from its bytes.
///
/// It handles one flat JSON object (string, number, `true`, `false` and `null` members; no
/// nesting but an object of numbers, no escapes, ASCII only) of the flat message types (and
/// `power` with its `halls`), without building a `JSONValue`
/// tree or a `String` per key. It only ever accepts: whenever a line is anything else, or
/// breaks any rule, it answers nil and the full decoder reads the line again and says why.
/// So it accepts exactly what the full decoder accepts, with the same envelope.
enum FlatDecoder {
  /// The most members a line may have on the fast path.
  static let maxFields = 32

  /// One member: where its key and value are, which key it is, and what the value is.
  struct Field {
    var keyStart: Int32
    var keyCount: Int32
    var valueStart: Int32
    var valueCount: Int32
    var kind: Kind
    var key: FlatKey
    var number: Double
  }

  enum Kind: UInt8 { case string, number, yes, no, null, numberObject }

  /// Not on the fast path: the full decoder decides.
  struct Fallback: Error {}

  static func decode(_ bytes: UnsafeRawBufferPointer) -> Envelope? {
    withUnsafeTemporaryAllocation(of: Field.self, capacity: maxFields) { fields -> Envelope? in
      decode(bytes, scratch: fields)
    }
  }

  /// `decode` of line number `line` into an event added to `events`; false (nothing added) when
  /// the line is not on the fast path. `memory` (one thread's) carries what one line's keys and
  /// layout tell of the next (`KeyGuess`, `FlatShapes`).
  static func decode(
    _ bytes: UnsafeRawBufferPointer, memory: FlatMemory, line: Int, into events: EventBuffer
  ) -> Bool {
    let fields = memory.scratch
    let guesses = memory.guesses
    let shapes = memory.shapes
    guard bytes.count > 0, bytes.count < Int(Int32.max), fields.count >= maxFields else { return false }
    let row = FlatShapes.row(bytes)
    shapes.pairsMemo.pointee.forgetMatch()
    var reader: FlatReader
    // The members: from a stencil (a recent line of the same length), else a layout (whose line
    // then becomes a stencil), else the scan (whose line becomes a layout).
    var members: (UnsafeBufferPointer<Field>, FlatShapes.Found)? = memory.stencils.match(bytes, row: row)
    if members == nil, let found = shapes.match(bytes, row: row, into: fields) {
      let matched = UnsafeBufferPointer(rebasing: fields[0..<found.count])
      memory.stencils.learn(bytes, row: row, fields: matched, found: found)
      members = (matched, found)
    }
    if let (matched, found) = members {
      if FlatLine.record(
        bytes, fields: matched, found: found, memo: shapes.dayMemo, memos: shapes.memos, line: line,
        into: events)
      {
        return true
      }
      reader = FlatReader(
        bytes: bytes, fields: matched, positions: found.positions, dayMemo: shapes.dayMemo,
        pairsMemo: shapes.pairsMemo)
    } else {
      guard let count = scan(bytes, into: fields, guesses: guesses) else { return false }
      let scanned = UnsafeBufferPointer(rebasing: fields[0..<count])
      let positions = FlatReader.positions(of: scanned)
      shapes.learn(bytes, row: row, fields: scanned, positions: positions)
      reader = FlatReader(
        bytes: bytes, fields: scanned, positions: positions, dayMemo: shapes.dayMemo,
        pairsMemo: shapes.pairsMemo)
    }
    do throws(Fallback) {
      try record(&reader, line: line, into: events)
      return true
    } catch {
      return false
    }
  }

  /// `decode` with room for the members given (at least `maxFields`): a caller decoding many
  /// lines keeps one and saves setting it up per line.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, scratch fields: UnsafeMutableBufferPointer<Field>
  ) -> Envelope? {
    guard bytes.count > 0, bytes.count < Int(Int32.max), fields.count >= maxFields else { return nil }
    guard let count = scan(bytes, into: fields) else { return nil }
    var reader = FlatReader(bytes: bytes, fields: UnsafeBufferPointer(rebasing: fields[0..<count]))
    do throws(Fallback) {
      return try envelope(&reader)
    } catch {
      return nil
    }
  }

  // MARK: scanning

  @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
  }

  /// The key a member at some position had in the last line of the same type: feed lines come in
  /// runs of one type with their keys in the same order, so the next line's key there is most
  /// likely the same (99% of keys, on a generated 1M-GPU feed). Checking that guess (two masked
  /// words and the closing quote) costs less than finding the string's end and looking its bytes
  /// up. A key that matches a guess has exactly the guess's bytes, so it is as plain as the key
  /// the guess was made from.
  struct KeyGuess {
    var packed = FlatKey.Packed(low: 0, high: 0)
    /// The key's length in bytes; 0: no guess.
    var count: Int32 = 0
    var key = FlatKey.unknown

    /// Guesses for every member position of `rows` kinds of line (row 0: before the type is known).
    static let rows = 17
    static let capacity = rows * maxFields

    /// The row of guesses for lines whose `type` is the `count` bytes at `start` (1 up to `rows`).
    @inline(__always) static func row(_ bytes: UnsafeRawBufferPointer, typeAt start: Int, count: Int) -> Int {
      1 + Int((UInt(bytes[start]) &* 7 &+ UInt(bitPattern: count)) % UInt(rows - 1))
    }
  }

  /// Splits one flat object into its members; nil when the line is not one (or has duplicate keys).
  /// With `guesses` (room for `KeyGuess.capacity`), keys are first checked against the last line's
  /// of the same type.
  static func scan(
    _ bytes: UnsafeRawBufferPointer, into fields: UnsafeMutableBufferPointer<Field>,
    guesses: UnsafeMutablePointer<KeyGuess>? = nil
  ) -> Int? {
    let end = bytes.count
    var i = 0
    while i < end, isSpace(bytes[i]) { i += 1 }
    guard i < end, bytes[i] == UInt8(ascii: "{") else { return nil }
    i += 1
    var count = 0
    var seen: UInt64 = 0
    /// Where this line's row of guesses starts.
    var row = 0
    while i < end, isSpace(bytes[i]) { i += 1 }
    guard i < end, bytes[i] != UInt8(ascii: "}") else { return nil }
    while true {
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end, bytes[i] == UInt8(ascii: "\""), count < maxFields else { return nil }
      let keyStart = i + 1
      let keyEnd: Int
      let key: FlatKey
      if let guesses, let guessed = guessedKey(bytes, at: keyStart, guesses[row + count]) {
        keyEnd = keyStart + Int(guessed.count)
        key = guessed.key
      } else {
        guard let found = plainString(bytes, from: keyStart) else { return nil }
        keyEnd = found
        // Packed once: looked up, and kept as the guess for the next line of this type.
        let n = keyEnd - keyStart
        let packed = n <= 16 ? FlatKey.pack(bytes, from: keyStart, count: n) : nil
        key = packed.map { FlatKey.find($0, count: n) } ?? .unknown
        if let guesses {
          guesses[row + count] = packed.map { KeyGuess(packed: $0, count: Int32(n), key: key) } ?? KeyGuess()
        }
      }
      i = keyEnd + 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end else { return nil }
      var field = Field(
        keyStart: Int32(keyStart), keyCount: Int32(keyEnd - keyStart), valueStart: Int32(i), valueCount: 0,
        kind: .null, key: key, number: 0)
      guard let next = value(bytes, at: i, into: &field) else { return nil }
      i = next
      // Duplicate keys are an error: the full decoder reports them. Known keys are told apart by
      // their number; an unknown one is compared with the other unknown ones.
      if key != .unknown {
        let bit = UInt64(1) << UInt64(key.rawValue)
        if seen & bit != 0 { return nil }
        seen |= bit
      } else {
        for j in 0..<count where fields[j].key == .unknown && fields[j].keyCount == field.keyCount {
          if equal(bytes, Int(fields[j].keyStart), Int(field.keyStart), Int(field.keyCount)) { return nil }
        }
      }
      if count == 0, key == .type, field.kind == .string, field.valueCount > 0 {
        row = maxFields * KeyGuess.row(bytes, typeAt: Int(field.valueStart), count: Int(field.valueCount))
      }
      fields[count] = field
      count += 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end else { return nil }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      guard bytes[i] == UInt8(ascii: "}") else { return nil }
      i += 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      return i == end ? count : nil
    }
  }

  /// Reads the value at `i` (a byte of the line) into `field`: its kind, where it is (a string's
  /// bytes inside its quotes; a number's or object's whole text) and a number's value. The index
  /// after the value, else nil (not a value the fast path reads).
  @inline(__always) static func value(
    _ bytes: UnsafeRawBufferPointer, at i: Int, into field: inout Field
  ) -> Int? {
    // Positions are below the line's length (under `Int32.max`, as `decode` checks): the
    // arithmetic below cannot overflow, and is written so as not to check.
    switch bytes[i] {
    case UInt8(ascii: "\""):
      guard let valueEnd = plainString(bytes, from: i &+ 1) else { return nil }
      field.kind = .string
      field.valueStart = Int32(truncatingIfNeeded: i &+ 1)
      field.valueCount = Int32(truncatingIfNeeded: valueEnd &- i &- 1)
      return valueEnd &+ 1
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      guard let (value, next) = number(bytes, from: i) else { return nil }
      field.kind = .number
      field.number = value
      field.valueCount = Int32(truncatingIfNeeded: next &- i)
      return next
    case UInt8(ascii: "{"):
      guard let close = numberObject(bytes, from: i) else { return nil }
      field.kind = .numberObject
      field.valueCount = Int32(truncatingIfNeeded: close &+ 1 &- i)
      return close &+ 1
    case UInt8(ascii: "t"):
      guard word(bytes, at: i, "true") else { return nil }
      field.kind = .yes
      return i &+ 4
    case UInt8(ascii: "f"):
      guard word(bytes, at: i, "false") else { return nil }
      field.kind = .no
      return i &+ 5
    case UInt8(ascii: "n"):
      guard word(bytes, at: i, "null") else { return nil }
      field.kind = .null
      return i &+ 4
    default:
      return nil
    }
  }

  /// The guess `g` when the bytes at `start` are its key followed by a closing quote, else nil.
  @inline(__always) static func guessedKey(
    _ bytes: UnsafeRawBufferPointer, at start: Int, _ g: KeyGuess
  ) -> KeyGuess? {
    let n = Int(g.count)
    guard n > 0, start + n < bytes.count, bytes[start + n] == UInt8(ascii: "\""),
      FlatKey.pack(bytes, from: start, count: n) == g.packed
    else { return nil }
    return g
  }

  /// The most members an object of numbers may have on the fast path.
  static let maxNumberMembers = 64

  /// The index of the closing brace of an object whose members are all numbers, else nil.
  static func numberObject(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    let end = bytes.count
    var i = start + 1
    while i < end, isSpace(bytes[i]) { i += 1 }
    if i < end, bytes[i] == UInt8(ascii: "}") { return i }
    var members = 0
    while true {
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end, bytes[i] == UInt8(ascii: "\""), members < maxNumberMembers else { return nil }
      guard let keyEnd = plainString(bytes, from: i + 1) else { return nil }
      i = keyEnd + 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end, let (_, next) = number(bytes, from: i) else { return nil }
      members += 1
      i = next
      while i < end, isSpace(bytes[i]) { i += 1 }
      guard i < end else { return nil }
      if bytes[i] == UInt8(ascii: "}") { return i }
      guard bytes[i] == UInt8(ascii: ",") else { return nil }
      i += 1
    }
  }

  /// The index of the closing quote of a string of printable ASCII without escapes, else nil.
  ///
  /// Eight bytes are looked at a time while eight remain: each test marks the high bit of every
  /// byte that is a quote, a backslash, below 0x20 or from 0x80 up. A mark can be wrong only above
  /// a right one, so the lowest mark is the first such byte.
  @inline(__always) static func plainString(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let end = bytes.count
    var i = start
    while i &+ 8 <= end {
      let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      let q = x ^ (ones &* 0x22)
      let s = x ^ (ones &* 0x5C)
      let quotes = (q &- ones) & ~q
      let m = (quotes | ((s &- ones) & ~s) | ((x &- ones &* 0x20) & ~x) | x) & highs
      if m != 0 {
        // The first marked byte is a quote exactly when the quote test marked it (a wrong mark
        // of that test lies above a right one, so not at the lowest mark).
        let lowest = m & (0 &- m)
        return quotes & lowest != 0 ? i &+ m.trailingZeroBitCount &>> 3 : nil
      }
      i &+= 8
    }
    while i < end {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { return i }
      // Below 0x20 or from 0x80 up, in one comparison.
      if b == UInt8(ascii: "\\") || b &- 0x20 >= 0x60 { return nil }
      i &+= 1
    }
    return nil
  }

  static func word(_ bytes: UnsafeRawBufferPointer, at i: Int, _ text: StaticString) -> Bool {
    let n = text.utf8CodeUnitCount
    guard i + n <= bytes.count else { return false }
    let start = text.utf8Start
    for k in 0..<n where bytes[i + k] != start[k] { return false }
    return true
  }

  static func equal(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ b: Int, _ n: Int) -> Bool {
    for k in 0..<n where bytes[a + k] != bytes[b + k] { return false }
    return true
  }

  /// A JSON number and the index after it; nil when it is not one, or not simple to convert.
  ///
  /// Integers below 10^15 and decimals of at most 15 significant digits with a small exponent
  /// convert exactly as `Double(String)` does: the digits and the power of ten are both exact
  /// doubles, so one multiplication or division rounds correctly. Anything else falls back.
  @inline(__always) static func number(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Double, Int)? {
    if let read = numberByWords(bytes, from: start) { return read }
    return numberByBytes(bytes, from: start)
  }

  /// `number` for the common short number, read a word at a time: up to 7 digits, and up to 7
  /// more after a point, with a word readable at each. Nil when it is not that (then
  /// `numberByBytes` reads it, and decides); what it does read, it reads as `numberByBytes` does.
  @inline(__always) static func numberByWords(
    _ bytes: UnsafeRawBufferPointer, from start: Int
  ) -> (Double, Int)? {
    guard let base = bytes.baseAddress else { return nil }
    let end = bytes.count
    var i = start
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative { i &+= 1 }
    guard i &+ 8 <= end else { return nil }
    let whole = digitRun(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    // No digit, a run that may go on past the word, or a leading zero: the byte reader's.
    guard whole.count > 0, whole.count < 8, whole.count == 1 || bytes[i] != UInt8(ascii: "0") else {
      return nil
    }
    i &+= whole.count
    var mantissa = whole.value
    var scale = 0
    if bytes[i] == UInt8(ascii: ".") {
      i &+= 1
      guard i &+ 8 <= end else { return nil }
      let fraction = digitRun(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      guard fraction.count > 0, fraction.count < 8 else { return nil }
      i &+= fraction.count
      var power: UInt64 = 10
      for _ in 1..<fraction.count { power &*= 10 }
      mantissa = mantissa &* power &+ fraction.value
      scale = fraction.count
    }
    // An exponent is the byte reader's (it steps aside). At most 14 digits: within its limits.
    guard bytes[i] != UInt8(ascii: "e"), bytes[i] != UInt8(ascii: "E") else { return nil }
    return (decimal(mantissa, scale: scale, negative: negative), i)
  }

  /// `mantissa` / 10^`scale`, negated if `negative`: exact digits and an exact power of ten (every
  /// step of it is an exact double up to 10^22), so the one division rounds correctly.
  @inline(__always) static func decimal(_ mantissa: UInt64, scale: Int, negative: Bool) -> Double {
    var value = Double(mantissa)
    if scale > 0 {
      var power = 10.0
      for _ in 1..<scale { power *= 10 }
      value /= power
    }
    return negative ? -value : value
  }

  /// How many of a word's bytes (first byte lowest) are digits before the first that is not, and
  /// their value.
  ///
  /// Each byte less `'0'` is a digit when it is below 10: adding 0x76 leaves its high bit clear
  /// then, and only then. Bytes before the first non-digit are digits, which neither borrow nor
  /// carry, so the lowest marked byte is the first non-digit. The digits are then shifted to the
  /// top of the word (the bytes after them fall off; the zeros shifted in are leading zeros) and
  /// combined in three steps: pairs, fours, eights.
  @inline(__always) static func digitRun(_ word: UInt64) -> (count: Int, value: UInt64) {
    let t = UInt64(littleEndian: word) &- 0x3030_3030_3030_3030
    let marks = ((t &+ 0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080
    let count = marks == 0 ? 8 : marks.trailingZeroBitCount &>> 3
    guard count > 0 else { return (0, 0) }
    // Shifting up by the bytes that are not digits drops them off the top.
    var v = t &<< UInt64((8 &- count) &* 8)
    v = (v &* 10) &+ (v &>> 8)
    v =
      (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064)
        &+ (((v &>> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) &>> 32
    return (count, v & 0xFFFF_FFFF)
  }

  /// `number` read a byte at a time: any length, and every rejection.
  static func numberByBytes(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Double, Int)? {
    var i = start
    let end = bytes.count
    var negative = false
    if bytes[i] == UInt8(ascii: "-") {
      negative = true
      i &+= 1
    }
    guard i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
    var mantissa: UInt64 = 0
    var digits = 0
    if bytes[i] == 0x30 {
      i &+= 1
      if i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 { return nil }
    } else {
      while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[i] - 0x30)
        digits &+= 1
        i &+= 1
      }
    }
    var scale = 0
    if i < end, bytes[i] == UInt8(ascii: ".") {
      i &+= 1
      let first = i
      while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[i] - 0x30)
        if mantissa != 0 { digits &+= 1 }
        scale &+= 1
        i &+= 1
      }
      guard i > first else { return nil }
    }
    if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
    guard digits <= 15, scale <= 22 else { return nil }
    return (decimal(mantissa, scale: scale, negative: negative), i)
  }

  // MARK: messages

  /// The members every message has: its type, time, source and sequence number.
  struct Head {
    var type: FlatType
    var typeField: Field
    var ts: Double
    var src: String?
    var seq: Int?
  }

  static func head(_ r: inout FlatReader) throws(Fallback) -> Head {
    guard let typeField = r.raw(.type), typeField.kind == .string, typeField.valueCount > 0 else {
      throw Fallback()
    }
    let type = FlatType.find(r.text(typeField))
    // An object of numbers is read (and its names checked for repeats) only as a power line's
    // halls: anywhere else it is left to the full decoder, which rejects repeated names at any
    // depth (`scan` checked its structure alone).
    for f in r.fields where f.kind == .numberObject && !(type == .power && f.key == .halls) {
      throw Fallback()
    }
    guard let tsValue = try r.time(.ts), let ts = tsValue else { throw Fallback() }
    _ = try r.count(.v, minimum: 1)
    let src = try r.string(.src) ?? nil
    let seq = try r.count(.seq) ?? nil
    return Head(type: type, typeField: typeField, ts: ts, src: src, seq: seq)
  }

  static func envelope(_ r: inout FlatReader) throws(Fallback) -> Envelope {
    let h = try head(&r)
    let message: FeedMessage
    let keys: UInt64
    switch h.type {
    case .gpu:
      guard let m = try r.line.gpu() else { throw Fallback() }
      (message, keys) = (.gpu(m), FlatLine.gpuKeys)
    case .node:
      guard let m = try r.line.node() else { throw Fallback() }
      (message, keys) = (.node(m), FlatLine.nodeKeys)
    case .rack:
      guard let m = try r.line.rack() else { throw Fallback() }
      (message, keys) = (.rack(m), FlatLine.rackKeys)
    default:
      return try otherEnvelope(&r, type: h.type, typeField: h.typeField, ts: h.ts, src: h.src, seq: h.seq)
    }
    return Envelope(
      ts: h.ts, src: h.src, seq: h.seq, message: message, unknownFields: r.line.unknownFields(keys: keys))
  }

  /// `envelope` added to `events`: the common messages go in as their own types, unwrapped (the
  /// least copying of them), read by `FlatLine`.
  static func record(_ r: inout FlatReader, line: Int, into events: EventBuffer) throws(Fallback) {
    let h = try head(&r)
    switch h.type {
    case .gpu:
      let reader = r.line
      guard let m = try reader.gpu() else { throw Fallback() }
      let unknown = reader.unknownFields(keys: FlatLine.gpuKeys)
      events.append(Decoded(head: LineHead(h, unknownFields: unknown, line: line), message: m))
    case .node:
      let reader = r.line
      guard let m = try reader.node() else { throw Fallback() }
      let unknown = reader.unknownFields(keys: FlatLine.nodeKeys)
      events.append(Decoded(head: LineHead(h, unknownFields: unknown, line: line), message: m))
    case .rack:
      let reader = r.line
      guard let m = try reader.rack() else { throw Fallback() }
      let unknown = reader.unknownFields(keys: FlatLine.rackKeys)
      events.append(Decoded(head: LineHead(h, unknownFields: unknown, line: line), message: m))
    default:
      let envelope = try otherEnvelope(
        &r, type: h.type, typeField: h.typeField, ts: h.ts, src: h.src, seq: h.seq)
      events.append(.message(envelope, line: line))
    }
  }

  /// `envelope` for the less common types.
  static func otherEnvelope(
    _ r: inout FlatReader, type: FlatType, typeField: Field, ts: Double, src: String?, seq: Int?
  ) throws(Fallback) -> Envelope {
    let message: FeedMessage
    switch type {
    case .rack, .node, .gpu:
      throw Fallback()
    case .shipment:
      message = .shipment(
        ShipmentMessage(
          id: try r.requiredString(.id), po: try r.string(.po), vendor: try r.string(.vendor),
          sku: try r.string(.sku), gpus: try r.count(.gpus),
          status: try r.choice(.status, ShipmentStatus.self), eta: try r.time(.eta)))
    case .powerSource:
      message = .powerSource(
        PowerSourceMessage(
          id: try r.requiredString(.id), kind: try r.choice(.kind, PowerKind.self),
          capMW: try r.number(.capMW, minimum: 0), status: try r.choice(.status, PowerStatus.self),
          eta: try r.time(.eta), mwh: try r.number(.mwh, minimum: 0)))
    case .fabric:
      let m = FabricMessage(
        linksTotal: try r.count(.linksTotal), linksUp: try r.count(.linksUp),
        busbwGbps: try r.number(.busbwGbps, minimum: 0))
      if let up = m.linksUp ?? nil, let total = m.linksTotal ?? nil, up > total { throw Fallback() }
      message = .fabric(m)
    case .gate:
      message = .gate(
        GateMessage(
          id: try r.requiredString(.id), name: try r.string(.name),
          status: try r.choice(.status, GateStatus.self), detail: try r.string(.detail)))
    case .job:
      message = .job(
        JobMessage(
          id: try r.string(.id), state: try r.choice(.state, JobState.self), gpus: try r.count(.gpus)))
    case .alert:
      guard let severity = try r.choice(.severity, Severity.self) ?? nil else { throw Fallback() }
      let ref = try r.string(.ref) ?? nil
      guard let msg = try r.string(.msg) ?? nil else { throw Fallback() }
      message = .alert(AlertMessage(severity: severity, ref: ref, msg: msg))
    case .power:
      var m = PowerMessage(
        facilityMW: try r.number(.facilityMW, minimum: 0), itMW: try r.number(.itMW, minimum: 0))
      if let halls = r.raw(.halls) {
        switch halls.kind {
        case .null: m.halls = .some(nil)
        case .numberObject: m.halls = .some(try r.numberPairs(halls))
        default: throw Fallback()
        }
      }
      message = .power(m)
    case .other:
      // site, snapshot and supply are the full decoder's; other types are unknown ones.
      let name = String(decoding: r.text(typeField), as: UTF8.self)
      if name == "site" || name == "snapshot" || name == "supply" { throw Fallback() }
      return Envelope(ts: ts, src: src, seq: seq, message: .unknown(type: name), unknownFields: 0)
    }
    return Envelope(ts: ts, src: src, seq: seq, message: message, unknownFields: r.unknownCount)
  }
}

/// `FieldReader`'s accessors over the members `FlatDecoder.scan` found; any problem is a fallback.
struct FlatReader {
  let bytes: UnsafeRawBufferPointer
  let fields: UnsafeBufferPointer<FlatDecoder.Field>
  /// Which members an accessor asked for, by position.
  var known: UInt64 = 0
  /// Each known key's member position plus one (0: absent), a byte per key number: an accessor
  /// finds its member without a search.
  /// Where each known key is among the members.
  let positions: Positions
  private let dayMemo: UnsafeMutablePointer<Timestamp.DayMemo>?
  private let pairsMemo: UnsafeMutablePointer<NumberPairsMemo>?

  /// A byte per key number (below 64): the position plus one of the member with that key.
  typealias Positions = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

  typealias Fallback = FlatDecoder.Fallback

  init(bytes: UnsafeRawBufferPointer, fields: UnsafeBufferPointer<FlatDecoder.Field>) {
    self.init(bytes: bytes, fields: fields, positions: Self.positions(of: fields))
  }

  /// A reader with the positions of the members' keys given (`positions(of:)` of `fields`), and
  /// the decoding thread's memos of the last date and the last object of numbers read.
  init(
    bytes: UnsafeRawBufferPointer, fields: UnsafeBufferPointer<FlatDecoder.Field>, positions: Positions,
    dayMemo: UnsafeMutablePointer<Timestamp.DayMemo>? = nil,
    pairsMemo: UnsafeMutablePointer<NumberPairsMemo>? = nil
  ) {
    self.bytes = bytes
    self.fields = fields
    self.positions = positions
    self.dayMemo = dayMemo
    self.pairsMemo = pairsMemo
  }

  /// Where each known key is among `fields`.
  static func positions(of fields: UnsafeBufferPointer<FlatDecoder.Field>) -> Positions {
    var positions: Positions = (0, 0, 0, 0, 0, 0, 0, 0)
    // `scan` allows at most `maxFields` members, each known key (numbered below 64) once.
    withUnsafeMutableBytes(of: &positions) { table in
      for i in fields.indices where fields[i].key != .unknown {
        table[Int(fields[i].key.rawValue)] = UInt8(truncatingIfNeeded: i + 1)
      }
    }
    return positions
  }

  var unknownCount: Int { fields.count - known.nonzeroBitCount }

  /// The same members for `FlatLine`'s message readers.
  var line: FlatLine {
    FlatLine(
      bytes: bytes, fields: fields,
      found: FlatShapes.Found(count: fields.count, positions: positions, keys: FlatShapes.keys(of: fields)),
      memos: nil)
  }

  @inline(__always) func index(_ key: FlatKey) -> Int? {
    guard key != .unknown else { return nil }
    let p = withUnsafeBytes(of: positions) { Int($0[Int(key.rawValue)]) }
    return p == 0 ? nil : p - 1
  }

  @inline(__always) mutating func raw(_ key: FlatKey) -> FlatDecoder.Field? {
    guard let i = index(key) else { return nil }
    known |= 1 << UInt64(i)
    return fields[i]
  }

  func text(_ field: FlatDecoder.Field) -> UnsafeRawBufferPointer { Self.text(field, in: bytes) }

  /// A string member's bytes (inside its quotes), or a number object's text.
  @inline(__always) static func text(
    _ field: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer
  )
    -> UnsafeRawBufferPointer
  {
    UnsafeRawBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueStart + field.valueCount)])
  }

  /// The members of an object of numbers (checked by `scan`), in order; none may be negative or repeated.
  func numberPairs(_ field: FlatDecoder.Field) throws(Fallback) -> HallDraws {
    if let memo = pairsMemo, let draws = memo.pointee.repeated(field, in: bytes) { return draws }
    // `scan` checked the object (`numberObject`): at most `maxNumberMembers` members, each a
    // plain string and a number. Duplicate names are found through a small table on the stack,
    // by a hash of their packed bytes (a name over 16 bytes is compared byte by byte).
    typealias Name = (start: Int, count: Int, packed: FlatKey.Packed)
    /// Where each number starts and ends, for the memo.
    var numbers: [(start: Int, end: Int)] = []
    if pairsMemo != nil { numbers.reserveCapacity(16) }
    var names: [String] = []
    var draws: [Double] = []
    let read = withUnsafeTemporaryAllocation(of: Name.self, capacity: FlatDecoder.maxNumberMembers) {
      seen -> Bool in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { table -> Bool in
        table.initialize(repeating: 0)
        var i = Int(field.valueStart) + 1
        let end = Int(field.valueStart + field.valueCount) - 1
        while i < end {
          if bytes[i] != UInt8(ascii: "\"") {
            i += 1
            continue
          }
          guard let keyEnd = FlatDecoder.plainString(bytes, from: i + 1), names.count < seen.count else {
            return false
          }
          let count = keyEnd - i - 1
          let packed =
            count <= 16 ? FlatKey.pack(bytes, from: i + 1, count: count) : FlatKey.Packed(low: 0, high: 0)
          let name = (start: i + 1, count: count, packed: packed)
          var s = FlatKey.slot(packed, count: count, multiplier: 0x9E37_79B9_7F4A_7C15) & 127
          while table[s] != 0 {
            let other = seen[Int(table[s]) - 1]
            if other.count == count && other.packed == packed
              && (count <= 16 || FlatDecoder.equal(bytes, other.start, name.start, count))
            {
              return false
            }
            s = (s + 1) & 127
          }
          seen[names.count] = name
          table[s] = UInt8(names.count + 1)
          i = keyEnd + 1
          while i < end, bytes[i] != UInt8(ascii: ":") { i += 1 }
          i += 1
          while i < end, FlatDecoder.isSpace(bytes[i]) { i += 1 }
          guard i < end, let (mw, next) = FlatDecoder.number(bytes, from: i), mw >= 0 else { return false }
          names.append(
            Self.makeString(UnsafeRawBufferPointer(rebasing: bytes[name.start..<name.start + count])))
          draws.append(mw)
          if pairsMemo != nil { numbers.append((i, next)) }
          i = next
        }
        return true
      }
    }
    guard read else { throw Fallback() }
    pairsMemo?.pointee.remember(field, in: bytes, names: names, numbers: numbers)
    return HallDraws(names: names, mw: draws)
  }

  mutating func string(_ key: FlatKey) throws(Fallback) -> String?? {
    guard let f = raw(key) else { return nil }
    return .some(try Self.string(f, in: bytes))
  }

  /// A member's value as a string; nil for null.
  @inline(__always) static func string(
    _ f: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer
  ) throws(Fallback)
    -> String?
  {
    switch f.kind {
    case .null: return nil
    case .string: return makeString(text(f, in: bytes))
    default: throw Fallback()
    }
  }

  /// A string of bytes `scan` checked (printable ASCII). Short ones (most ids) are built in
  /// place: the standard library makes a small string of them with one ASCII check and no
  /// UTF-8 validation pass.
  @inline(__always) static func makeString(_ bytes: UnsafeRawBufferPointer) -> String {
    guard bytes.count <= 15, let base = bytes.baseAddress else {
      return String(decoding: bytes, as: UTF8.self)
    }
    return String(unsafeUninitializedCapacity: bytes.count) { buffer in
      if let target = buffer.baseAddress {
        target.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
      }
      return bytes.count
    }
  }

  mutating func requiredString(_ key: FlatKey) throws(Fallback) -> String {
    guard let value = try string(key), let text = value, !text.isEmpty else { throw Fallback() }
    return text
  }

  mutating func number(
    _ key: FlatKey, minimum: Double? = nil, maximum: Double = FieldReader.largest
  )
    throws(Fallback) -> Double??
  {
    guard let f = raw(key) else { return nil }
    return .some(try Self.number(f, minimum: minimum, maximum: maximum))
  }

  /// A member's value as a number from `minimum` (if given) to `maximum`; nil for null.
  @inline(__always) static func number(
    _ f: FlatDecoder.Field, minimum: Double? = nil, maximum: Double = FieldReader.largest
  ) throws(Fallback) -> Double? {
    switch f.kind {
    case .null: return nil
    case .number:
      let n = f.number
      if let minimum, n < minimum { throw Fallback() }
      if n < -FieldReader.largest || n > maximum { throw Fallback() }
      return n
    default: throw Fallback()
    }
  }

  mutating func count(
    _ key: FlatKey, minimum: Int = 0, maximum: Int = Int(FieldReader.largest)
  )
    throws(Fallback) -> Int??
  {
    guard let f = raw(key) else { return nil }
    return .some(try Self.count(f, minimum: minimum, maximum: maximum))
  }

  /// A member's value as a whole number from `minimum` to `maximum`; nil for null.
  @inline(__always) static func count(
    _ f: FlatDecoder.Field, minimum: Int = 0, maximum: Int = Int(FieldReader.largest)
  ) throws(Fallback) -> Int? {
    switch f.kind {
    case .null: return nil
    case .number:
      let n = f.number
      // In range first, so the conversion is safe; whole when it converts back unchanged.
      guard abs(n) < 9.0e15, n >= Double(minimum), n <= Double(maximum), Double(Int(n)) == n else {
        throw Fallback()
      }
      return Int(n)
    default: throw Fallback()
    }
  }

  mutating func choice<E: FlatChoice>(_ key: FlatKey, _: E.Type) throws(Fallback) -> E?? {
    guard let f = raw(key) else { return nil }
    return .some(try Self.choice(f, in: bytes, E.self))
  }

  /// A member's value as one of the names of `E`; nil for null.
  @inline(__always) static func choice<E: FlatChoice>(
    _ f: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer, _: E.Type
  ) throws(Fallback) -> E? {
    switch f.kind {
    case .null: return nil
    case .string:
      let count = Int(f.valueCount)
      if count <= 16 {
        // Told from the bytes; a value no case is named is the full decoder's to report.
        guard let value = E.find(bytes, from: Int(f.valueStart), count: count) else { throw Fallback() }
        return value
      }
      guard let value = E(rawValue: makeString(text(f, in: bytes))) else { throw Fallback() }
      return value
    default: throw Fallback()
    }
  }

  mutating func time(_ key: FlatKey) throws(Fallback) -> Double?? {
    guard let f = raw(key) else { return nil }
    return .some(try Self.time(f, in: bytes, memo: dayMemo))
  }

  /// A member's value as a feed time (RFC 3339 text or Unix seconds); nil for null.
  @inline(__always) static func time(
    _ f: FlatDecoder.Field, in bytes: UnsafeRawBufferPointer, memo: UnsafeMutablePointer<Timestamp.DayMemo>?
  ) throws(Fallback) -> Double? {
    switch f.kind {
    case .null: return nil
    case .number:
      guard f.number >= 0, f.number <= FieldReader.latestTime else { throw Fallback() }
      return f.number
    case .string:
      guard let t = Timestamp.parse(bytes: text(f, in: bytes), memo: memo), t >= 0,
        t <= FieldReader.latestTime
      else {
        throw Fallback()
      }
      return t
    default: throw Fallback()
    }
  }
}

/// The member names the fast path knows, as small numbers (below 64, so a set of them is a bit
/// mask): a line's keys are told once, while it is scanned, and then looked up by number.
enum FlatKey: UInt8 {
  case type, ts, v, src, seq, id, hall, row, slot, pod, stage, kw, inletC, linksUp, linksTotal, note, rack, u
  case gpus, gpusOK, reason, node, index, state, tempC, powerW, xid, serial, po, vendor, sku, status, eta,
    kind
  case capMW, mwh, busbwGbps, name, detail, severity, ref, msg, facilityMW, itMW, halls
  case unknown = 255

  /// The names, by raw value, as the feed spells them.
  static let names = [
    "type", "ts", "v", "src", "seq", "id", "hall", "row", "slot", "pod", "stage", "kw", "inlet_c", "links_up",
    "links_total", "note", "rack", "u", "gpus", "gpus_ok", "reason", "node", "index", "state", "temp_c",
    "power_w",
    "xid", "serial", "po", "vendor", "sku", "status", "eta", "kind", "cap_mw", "mwh", "busbw_gbps", "name",
    "detail",
    "severity", "ref", "msg", "facility_mw", "it_mw", "halls",
  ]

  /// A name packed into two words (its first 8 bytes and the next 8, zero-padded).
  struct Packed: Equatable {
    var low: UInt64
    var high: UInt64
  }

  /// A name's slot in `table`: a multiplicative hash of its packed bytes and length.
  @inline(__always) static func slot(_ packed: Packed, count: Int, multiplier: UInt64) -> Int {
    let mixed = (packed.low ^ (packed.high &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(count)) &* multiplier
    return Int(truncatingIfNeeded: mixed >> UInt64(64 - tableBits))
  }

  static let tableBits = 9

  /// The known names in a table where each has a slot of its own (a perfect hash): a key is told
  /// with one multiplication and one comparison. The multiplier is the first of a fixed sequence
  /// that separates every name, so the table is the same on every run.
  static let table: (multiplier: UInt64, entries: [(packed: Packed, count: Int, key: FlatKey)]) = {
    let known: [(Packed, Int, FlatKey)] = names.enumerated().compactMap { i, name in
      let bytes = Array(name.utf8)
      guard bytes.count <= 16, let key = FlatKey(rawValue: UInt8(i)) else { return nil }
      return (bytes.withUnsafeBytes { pack($0, from: 0, count: bytes.count) }, bytes.count, key)
    }
    let empty = (packed: Packed(low: 0, high: 0), count: 0, key: FlatKey.unknown)
    var multiplier: UInt64 = 0xD6E8_FEB8_6659_FD93
    while true {
      var entries = [(packed: Packed, count: Int, key: FlatKey)](repeating: empty, count: 1 << tableBits)
      var clash = false
      for (packed, count, key) in known {
        let s = slot(packed, count: count, multiplier: multiplier)
        if entries[s].count != 0 {
          clash = true
          break
        }
        entries[s] = (packed, count, key)
      }
      if !clash { return (multiplier, entries) }
      multiplier = multiplier &* 0x5851_F42D_4C95_7F2D &+ 0x1405_7B7E_F767_814F
    }
  }()

  @inline(__always) static func pack(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> Packed {
    // Whole words when they lie within the bytes (a key is followed by at least `":` and a
    // value, so they nearly always do), masked to the name's length.
    if let base = bytes.baseAddress, start + 16 <= bytes.count {
      let first = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
      if count < 8 { return Packed(low: first & ((1 << UInt64(8 * count)) - 1), high: 0) }
      let second = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
      let rest = count - 8
      return Packed(low: first, high: rest == 8 ? second : second & ((1 << UInt64(8 * rest)) - 1))
    }
    var low: UInt64 = 0
    var high: UInt64 = 0
    for k in 0..<min(count, 8) { low |= UInt64(bytes[start + k]) << UInt64(8 * k) }
    if count > 8 {
      for k in 8..<count { high |= UInt64(bytes[start + k]) << UInt64(8 * (k - 8)) }
    }
    return Packed(low: low, high: high)
  }

  /// Which known name the `count` bytes at `start` spell, else `unknown`.
  @inline(__always) static func find(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> FlatKey
  {
    guard count > 0, count <= 16 else { return .unknown }
    return find(pack(bytes, from: start, count: count), count: count)
  }

  /// Which known name of `count` bytes (1 to 16) packs to `packed`, else `unknown`.
  @inline(__always) static func find(_ packed: Packed, count: Int) -> FlatKey {
    guard count > 0 else { return .unknown }
    let table = Self.table
    return table.entries.withUnsafeBufferPointer { entries in
      let entry = entries[slot(packed, count: count, multiplier: table.multiplier)]
      return entry.count == count && entry.packed == packed ? entry.key : .unknown
    }
  }
}

/// The message types the fast path decodes, told from the bytes of `type`.
enum FlatType {
  case rack, node, gpu, shipment, powerSource, fabric, gate, job, alert, power
  /// Any other type (the full decoder's, or unknown).
  case other

  static let names: [(String, FlatType)] = [
    ("gpu", .gpu), ("node", .node), ("rack", .rack), ("power", .power), ("alert", .alert), ("job", .job),
    ("fabric", .fabric), ("shipment", .shipment), ("gate", .gate), ("power_source", .powerSource),
  ]

  static let packed: [(FlatKey.Packed, Int, FlatType)] = names.map { name, type in
    let bytes = Array(name.utf8)
    return (bytes.withUnsafeBytes { FlatKey.pack($0, from: 0, count: bytes.count) }, bytes.count, type)
  }

  static func find(_ bytes: UnsafeRawBufferPointer) -> FlatType {
    guard bytes.count <= 16 else { return .other }
    let word = FlatKey.pack(bytes, from: 0, count: bytes.count)
    for (name, count, type) in packed where count == bytes.count && name == word { return type }
    return .other
  }
}
