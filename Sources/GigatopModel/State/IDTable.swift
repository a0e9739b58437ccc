/// A map from feed ids (rack, node ids) to small integers: what `[String: Int]` did for the
/// state's indexes, with a cheaper hash.
///
/// Ids are short ASCII strings looked up several times per line; `Dictionary` hashes each with
/// seeded SipHash. Here a 64-bit FNV-1a over the UTF-8 bytes picks a slot of an open-addressed
/// table (linear probing, at most half full); the stored string confirms the match. Ids are
/// never removed, which keeps probing simple.
public struct IDTable: Sendable {
  /// Slot contents: an index into `keys`/`values` plus one, 0 when empty.
  private var slots: [Int32] = []
  private var keys: [String] = []
  private var values: [Int] = []
  private var mask = 0

  public init() {}

  /// How many ids are held.
  public var count: Int { keys.count }

  /// The ids, in the order they were first added.
  public var ids: [String] { keys }

  @inline(__always) static func hash(_ id: String) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    if let done = id.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
      var h = h
      for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
      return h
    }) {
      h = done
    } else {
      for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    }
    // Fold the high bits in: the low bits alone pick the slot.
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  /// The slot holding `id`, or the empty slot where it would go.
  @inline(__always) private func find(_ id: String, hash: Int) -> (slot: Int, entry: Int?) {
    var s = hash & mask
    while true {
      let e = Int(slots[s])
      if e == 0 { return (s, nil) }
      if keys[e - 1] == id { return (s, e - 1) }
      s = (s + 1) & mask
    }
  }

  /// The value for an id; setting adds the id or replaces its value (nil is not allowed: ids stay).
  public subscript(_ id: String) -> Int? {
    get {
      guard !keys.isEmpty else { return nil }
      guard let e = find(id, hash: Self.hash(id)).entry else { return nil }
      return values[e]
    }
    set {
      guard let value = newValue else { return }
      if !keys.isEmpty, let e = find(id, hash: Self.hash(id)).entry {
        values[e] = value
        return
      }
      if (keys.count + 1) * 2 > slots.count { grow() }
      let slot = find(id, hash: Self.hash(id)).slot
      keys.append(id)
      values.append(value)
      slots[slot] = Int32(keys.count)
    }
  }

  private mutating func grow() {
    let capacity = max(16, slots.count * 2)
    slots = [Int32](repeating: 0, count: capacity)
    mask = capacity - 1
    for (e, key) in keys.enumerated() {
      var s = Self.hash(key) & mask
      while slots[s] != 0 { s = (s + 1) & mask }
      slots[s] = Int32(e + 1)
    }
  }
}
