/// A map from feed ids (rack, node ids) to small integers: what `[String: Int]` did for the
/// state's indexes, with a cheaper hash.
///
/// Ids are short ASCII strings looked up several times per line; `Dictionary` hashes each with
/// seeded SipHash. Here a 64-bit FNV-1a over the UTF-8 bytes picks a slot of an open-addressed
/// table (linear probing, at most half full); the stored string confirms the match. Ids are
/// never removed, which keeps probing simple.
public struct IDTable: Sendable {
  /// Slot contents: 0 when empty, else the id's hash in the high 32 bits and its position in
  /// `entries` plus one in the low 32 (a lookup touches one other id only when the hashes agree).
  private var slots: [UInt64] = []
  /// The ids, their values and their hashes (kept so growing does not hash every id again), in
  /// the order the ids were first added.
  private var entries: [(id: String, value: Int, hash: UInt64)] = []
  private var mask = 0

  public init() {}

  /// How many ids are held.
  public var count: Int { entries.count }

  /// The ids, in the order they were first added.
  public var ids: [String] { entries.map(\.id) }

  @inline(__always) static func hash(_ id: String) -> UInt64 {
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
    return h ^ (h >> 29)
  }

  /// The slot holding `id`, or the empty slot where it would go.
  @inline(__always) private func find(_ id: String, hash: UInt64) -> (slot: Int, entry: Int?) {
    let tag = hash & 0xFFFF_FFFF_0000_0000
    return slots.withUnsafeBufferPointer { slots in
      var s = Int(truncatingIfNeeded: hash) & mask
      while true {
        let word = slots[s]
        if word == 0 { return (s, nil) }
        if word & 0xFFFF_FFFF_0000_0000 == tag {
          let e = Int(word & 0xFFFF_FFFF) - 1
          if entries[e].id == id { return (s, e) }
        }
        s = (s + 1) & mask
      }
    }
  }

  /// The value for an id; setting adds the id or replaces its value (nil is not allowed: ids stay).
  public subscript(_ id: String) -> Int? {
    get {
      guard !entries.isEmpty else { return nil }
      guard let e = find(id, hash: Self.hash(id)).entry else { return nil }
      return entries[e].value
    }
    set {
      guard let value = newValue else { return }
      let hash = Self.hash(id)
      if !entries.isEmpty, let e = find(id, hash: hash).entry {
        entries[e].value = value
        return
      }
      if (entries.count + 1) * 2 > slots.count { grow() }
      let slot = find(id, hash: hash).slot
      entries.append((id, value, hash))
      slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(entries.count)
    }
  }

  /// Makes room for `count` ids without growing again.
  public mutating func reserve(_ count: Int) {
    guard count * 2 > slots.count else { return }
    entries.reserveCapacity(count)
    var capacity = max(16, slots.count)
    while capacity < count * 2 { capacity *= 2 }
    rehash(capacity: capacity)
  }

  private mutating func grow() {
    rehash(capacity: max(16, slots.count * 2))
  }

  private mutating func rehash(capacity: Int) {
    slots = [UInt64](repeating: 0, count: capacity)
    mask = capacity - 1
    for (e, entry) in entries.enumerated() {
      let hash = entry.hash
      var s = Int(truncatingIfNeeded: hash) & mask
      while slots[s] != 0 { s = (s + 1) & mask }
      slots[s] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(e + 1)
    }
  }
}
