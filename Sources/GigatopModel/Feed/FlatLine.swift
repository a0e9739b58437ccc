/// A GPU, node or rack line read straight from the members its layout found
/// (`FlatShapes.match`): what `FlatDecoder.record` would add for it, without the general reader's
/// steps (its key table, its record of what was asked, the envelope's copies).
///
/// Every value goes through the checks `FlatReader`'s accessors make (the same functions), and a
/// line is taken only when it is simply one of the three (its type's name exact, no object of
/// numbers, every value one those checks accept); anything else answers false, and
/// `FlatDecoder.record` reads the line the general way and decides. Its message readers
/// (`gpu()`, `node()`, `rack()`) are the general way's too (`FlatReader.line`).
struct FlatLine {
  let bytes: UnsafeRawBufferPointer
  let fields: UnsafeBufferPointer<FlatDecoder.Field>
  let found: FlatShapes.Found
  /// Strings read last on this thread (`IDMemo`, one per `Memo`), on a thread that keeps them.
  let memos: UnsafeMutablePointer<IDMemo>?

  /// The strings a thread remembers: the last GPU line's node, the last source, the last node
  /// line's rack. GPU readings come node by node, a feed's lines mostly share a source, and a
  /// rack's nodes come one after another, so these mostly repeat the line before.
  enum Memo: Int, CaseIterable {
    case gpuNode, source, nodeRack
  }

  /// A short string read before, kept with its packed bytes: the next line with the same bytes
  /// there gets the same string without making it again.
  struct IDMemo {
    var packed = FlatKey.Packed(low: 0, high: 0)
    /// The id's length in bytes (0: none kept).
    var count = 0
    var string = ""
  }

  typealias Fallback = FlatDecoder.Fallback

  /// The keys every line of the three types has (its type and time): lines with them are tried.
  static let commonKeys: UInt64 = mask([.type, .ts])
  /// The keys of the envelope `FlatDecoder.head` reads.
  static let headKeys: UInt64 = mask([.type, .ts, .v, .src, .seq])
  static let gpuKeys: UInt64 = headKeys | mask([.node, .index, .state, .tempC, .powerW, .xid, .serial])
  static let nodeKeys: UInt64 =
    headKeys | mask([.id, .rack, .slot, .u, .stage, .kw, .gpus, .gpusOK, .reason])
  static let rackKeys: UInt64 =
    headKeys | mask([.id, .hall, .row, .slot, .pod, .stage, .kw, .inletC, .linksUp, .linksTotal, .note])

  static func mask(_ keys: [FlatKey]) -> UInt64 {
    keys.reduce(0) { $0 | 1 << UInt64($1.rawValue) }
  }

  /// Adds the line to `events` if it is simply a GPU, node or rack line; false (nothing added)
  /// if not.
  static func record(
    _ bytes: UnsafeRawBufferPointer, fields: UnsafeBufferPointer<FlatDecoder.Field>, found: FlatShapes.Found,
    memo: UnsafeMutablePointer<Timestamp.DayMemo>, memos: UnsafeMutablePointer<IDMemo>, line: Int,
    into events: EventBuffer
  ) -> Bool {
    guard found.keys & commonKeys == commonKeys else { return false }
    // None of the three reads an object of numbers: one with repeated names is the full
    // decoder's to reject (`FlatDecoder.head`).
    for f in fields where f.kind == .numberObject { return false }
    let reader = FlatLine(bytes: bytes, fields: fields, found: found, memos: memos)
    guard let type = reader.field(.type), type.kind == .string else { return false }
    let name = FlatReader.text(type, in: bytes)
    do throws(Fallback) {
      if reader.named(name, "gpu") {
        guard let head = try reader.head(keys: gpuKeys, memo: memo, line: line) else { return false }
        guard let m = try reader.gpu() else { return false }
        events.append(Decoded(head: head, message: m))
      } else if reader.named(name, "node") {
        guard let head = try reader.head(keys: nodeKeys, memo: memo, line: line) else { return false }
        guard let m = try reader.node() else { return false }
        events.append(Decoded(head: head, message: m))
      } else if reader.named(name, "rack") {
        guard let head = try reader.head(keys: rackKeys, memo: memo, line: line) else { return false }
        guard let m = try reader.rack() else { return false }
        events.append(Decoded(head: head, message: m))
      } else {
        return false
      }
      return true
    } catch {
      return false
    }
  }

  /// Whether a type's bytes are `name`.
  @inline(__always) func named(_ type: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
    guard type.count == name.utf8CodeUnitCount else { return false }
    let start = name.utf8Start
    for k in 0..<type.count where type[k] != start[k] { return false }
    return true
  }

  /// The member with `key`, if the line has one.
  @inline(__always) func field(_ key: FlatKey) -> FlatDecoder.Field? {
    let p = withUnsafeBytes(of: found.positions) { Int($0[Int(key.rawValue)]) }
    return p == 0 ? nil : fields[p &- 1]
  }

  /// The envelope (`FlatDecoder.head`), for a type whose keys are `keys` (the others count as
  /// unknown); nil when its time is null.
  func head(
    keys: UInt64, memo: UnsafeMutablePointer<Timestamp.DayMemo>, line: Int
  ) throws(Fallback)
    -> LineHead?
  {
    guard let tsField = field(.ts), let ts = try FlatReader.time(tsField, in: bytes, memo: memo) else {
      return nil
    }
    _ = try count(.v, minimum: 1)
    let src = try remembered(.src, .source) ?? nil
    let seq = try count(.seq) ?? nil
    return LineHead(ts: ts, src: src, seq: seq, unknownFields: unknownFields(keys: keys), line: line)
  }

  /// Members whose keys are not among `keys` (a type's): the line's unknown fields.
  func unknownFields(keys: UInt64) -> Int { fields.count &- (found.keys & keys).nonzeroBitCount }

  // The accessors `FlatReader` has, by key: nil when absent, `.some(nil)` for null.

  @inline(__always) func string(_ key: FlatKey) throws(Fallback) -> String?? {
    guard let f = field(key) else { return nil }
    return .some(try FlatReader.string(f, in: bytes))
  }

  /// A string that must be there, not null and not empty; nil if not.
  @inline(__always) func requiredString(_ key: FlatKey) throws(Fallback) -> String? {
    guard let value = try string(key), let text = value, !text.isEmpty else { return nil }
    return text
  }

  @inline(__always) func count(
    _ key: FlatKey, minimum: Int = 0, maximum: Int = Int(FieldReader.largest)
  ) throws(Fallback) -> Int?? {
    guard let f = field(key) else { return nil }
    return .some(try FlatReader.count(f, minimum: minimum, maximum: maximum))
  }

  @inline(__always) func number(
    _ key: FlatKey, minimum: Double? = nil, maximum: Double = FieldReader.largest
  ) throws(Fallback) -> Double?? {
    guard let f = field(key) else { return nil }
    return .some(try FlatReader.number(f, minimum: minimum, maximum: maximum))
  }

  @inline(__always) func choice<E: FlatChoice>(_ key: FlatKey, _: E.Type) throws(Fallback) -> E?? {
    guard let f = field(key) else { return nil }
    return .some(try FlatReader.choice(f, in: bytes, E.self))
  }

  // The messages (for the general reader too: `FlatDecoder.record`); nil where a required member is
  // missing or null. Each message's fields are read into locals first and the message made in
  // one step, with no `try` inside: made that way it is built once, not copied from one
  // temporary to the next.

  /// A string member as `string(key)` reads it; on a thread that keeps memos, the string kept in
  /// memo `slot` when the bytes are the ones it was made from (else made, and kept there).
  @inline(__always) func remembered(_ key: FlatKey, _ slot: Memo) throws(Fallback) -> String?? {
    guard let f = field(key) else { return nil }
    guard let memos, f.kind == .string, f.valueCount > 0, f.valueCount <= 16 else {
      return .some(try FlatReader.string(f, in: bytes))
    }
    let memo = memos + slot.rawValue
    let n = Int(f.valueCount)
    let packed = FlatKey.pack(bytes, from: Int(f.valueStart), count: n)
    if memo.pointee.count == n, memo.pointee.packed == packed { return .some(memo.pointee.string) }
    let text = FlatReader.makeString(FlatReader.text(f, in: bytes))
    memo.pointee = IDMemo(packed: packed, count: n, string: text)
    return .some(text)
  }

  /// The node a GPU line names: as `requiredString(.node)` reads it, the string kept from the
  /// line before when the bytes are the same.
  @inline(__always) func nodeID() throws(Fallback) -> String? {
    guard let value = try remembered(.node, .gpuNode), let text = value, !text.isEmpty else { return nil }
    return text
  }

  func gpu() throws(Fallback) -> GPUMessage? {
    guard let node = try nodeID(), let index = try count(.index, maximum: 1023) ?? nil else {
      return nil
    }
    let state = try choice(.state, GPUState.self)
    let tempC = try number(.tempC, minimum: -273.15, maximum: 10_000)
    let powerW = try number(.powerW, minimum: 0)
    let xid = try count(.xid)
    let serial = try string(.serial)
    return GPUMessage(
      node: node, index: index, state: state, tempC: tempC, powerW: powerW, xid: xid, serial: serial)
  }

  func node() throws(Fallback) -> NodeMessage? {
    guard let id = try requiredString(.id) else { return nil }
    let rack = try remembered(.rack, .nodeRack)
    let slot = try count(.slot, minimum: 1, maximum: 1024)
    let u = try count(.u)
    let stage = try choice(.stage, Stage.self)
    let kw = try number(.kw, minimum: 0)
    let gpus = try count(.gpus, maximum: 1024)
    let gpusOK = try count(.gpusOK, maximum: 1024)
    let reason = try string(.reason)
    if let ok = gpusOK ?? nil, let gpus = gpus ?? nil, ok > gpus { return nil }
    return NodeMessage(
      id: id, rack: rack, slot: slot, u: u, stage: stage, kw: kw, gpus: gpus, gpusOK: gpusOK, reason: reason)
  }

  func rack() throws(Fallback) -> RackMessage? {
    guard let id = try requiredString(.id) else { return nil }
    let hall = try string(.hall)
    let row = try count(.row)
    let slot = try count(.slot)
    let pod = try string(.pod)
    let stage = try choice(.stage, Stage.self)
    let kw = try number(.kw, minimum: 0)
    let inletC = try number(.inletC, minimum: -273.15, maximum: 10_000)
    let linksUp = try count(.linksUp)
    let linksTotal = try count(.linksTotal)
    let note = try string(.note)
    if let up = linksUp ?? nil, let total = linksTotal ?? nil, up > total { return nil }
    return RackMessage(
      id: id, hall: hall, row: row, slot: slot, pod: pod, stage: stage, kw: kw, inletC: inletC,
      linksUp: linksUp, linksTotal: linksTotal, note: note)
  }
}
