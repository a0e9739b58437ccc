#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A map from feed ids (rack, node ids) to small integers: what `[String: Int]` did for the
/// state's indexes, with a cheaper hash.
///
/// Ids are short ASCII strings looked up several times per line; `Dictionary` hashes each with
/// seeded SipHash. Here a 64-bit FNV-1a over the UTF-8 bytes picks a slot of an open-addressed
/// table (linear probing, at most half full), next to the slots of ids that differ only in their
/// last character (`hash(bytes:)`); the stored string confirms the match. Ids are never
/// removed, which keeps probing simple.
public struct IDTable: Sendable {
  /// Slot contents: 0 when empty, else the id's hash in the high 32 bits and its position in
  /// `entries` plus one in the low 32 (a lookup touches one other id only when the hashes agree).
  private var slots = SlotStorage(count: 0)
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
    if let done = id.utf8.withContiguousStorageIfAvailable({ hash(bytes: $0) }) { return done }
    return hash(bytes: Array(id.utf8))
  }

  /// The hash of an id's bytes: a 64-bit FNV-1a of them all in the high 32 bits (the tag a slot
  /// keeps), and in the low 32 bits (which pick the slot) one of all but the last byte, plus
  /// the last byte. Ids that differ only in their last character (a rack's nodes `…-S1` to
  /// `…-S8`, racks `…-K01` to `…-K09`) so go to neighbouring slots: a run of them, as feeds list
  /// them, reads and writes one or two cache lines instead of a line each.
  @inline(__always) static func hash<C: Collection<UInt8>>(bytes: C) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var prefix = h
    var last: UInt64 = 0
    for b in bytes {
      prefix = h
      last = UInt64(b)
      h = (h ^ last) &* 0x100_0000_01b3
    }
    // Fold the high bits in: the low bits alone pick the slot.
    let base = prefix ^ (prefix >> 29)
    let full = h ^ (h >> 29)
    return (full & 0xFFFF_FFFF_0000_0000) | ((base &+ last) & 0xFFFF_FFFF)
  }

  /// The slot holding `id`, or the empty slot where it would go.
  @inline(__always) private func find(_ id: String, hash: UInt64) -> (slot: Int, entry: Int?) {
    let tag = hash & 0xFFFF_FFFF_0000_0000
    let words = slots.words
    var s = Int(truncatingIfNeeded: hash) & mask
    while true {
      let word = words[s]
      if word == 0 { return (s, nil) }
      if word & 0xFFFF_FFFF_0000_0000 == tag {
        let e = Int(word & 0xFFFF_FFFF) - 1
        if entries[e].id == id { return (s, e) }
      }
      s = (s + 1) & mask
    }
  }

  /// What `lookup` found: the id's value (nil: absent), and what `add` needs to put it in
  /// without hashing and probing again.
  struct Lookup {
    var value: Int?
    fileprivate var hash: UInt64
    fileprivate var slot: Int
    /// How many ids and slots the table had: `add` trusts `slot` only if neither changed since.
    fileprivate var count: Int
    fileprivate var mask: Int
  }

  /// The value for an id, with where it goes if it is absent (for `add`).
  func lookup(_ id: String) -> Lookup {
    let hash = Self.hash(id)
    guard !entries.isEmpty else { return Lookup(value: nil, hash: hash, slot: -1, count: 0, mask: mask) }
    let found = find(id, hash: hash)
    return Lookup(
      value: found.entry.map { entries[$0].value }, hash: hash, slot: found.slot, count: entries.count,
      mask: mask)
  }

  /// Adds an id that `lookup` did not find (`found`, with no id added since), with its value.
  mutating func add(_ id: String, _ value: Int, at found: Lookup) {
    guard found.value == nil, found.count == entries.count, found.mask == mask, found.slot >= 0,
      (entries.count + 1) * 2 <= slots.count
    else {
      self[id] = value
      return
    }
    entries.append((id, value, found.hash))
    if !isKnownUniquelyReferenced(&slots) { slots = SlotStorage(copying: slots) }
    slots.words[found.slot] = (found.hash & 0xFFFF_FFFF_0000_0000) | UInt64(entries.count)
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
      var slot: Int
      if (entries.count + 1) * 2 > slots.count {
        if !entries.isEmpty, let e = find(id, hash: hash).entry {
          entries[e].value = value
          return
        }
        grow()
        slot = find(id, hash: hash).slot
      } else {
        // Room enough: the one probe finds the id or the empty slot it goes to.
        let found = find(id, hash: hash)
        if let e = found.entry {
          entries[e].value = value
          return
        }
        slot = found.slot
      }
      entries.append((id, value, hash))
      if !isKnownUniquelyReferenced(&slots) { slots = SlotStorage(copying: slots) }
      slots.words[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(entries.count)
    }
  }

  /// Makes room for `count` ids without growing again.
  ///
  /// By default the slots are zeroed memory the kernel hands out as it is first touched, so room
  /// that is never used costs no time, and a live view's batch does not stall on clearing it.
  /// `atOnce` clears it now instead: for a whole-file load, where nothing waits, and where pages
  /// handed out as they are touched cost more in all (a lookup that reads a fresh page maps the
  /// kernel's zero page there; the first id stored in it then replaces that mapping, which
  /// interrupts the other core to flush its TLB, once a page).
  public mutating func reserve(_ count: Int, atOnce: Bool = false) {
    guard count * 2 > slots.count else { return }
    entries.reserveCapacity(count)
    var capacity = max(16, slots.count)
    while capacity < count * 2 { capacity *= 2 }
    rehash(capacity: capacity, atOnce: atOnce)
  }

  private mutating func grow() {
    rehash(capacity: max(16, slots.count * 2))
  }

  private mutating func rehash(capacity: Int, atOnce: Bool = false) {
    let fresh = SlotStorage(count: capacity, clearedNow: atOnce)
    mask = capacity - 1
    let words = fresh.words
    for (e, entry) in entries.enumerated() {
      var s = Int(truncatingIfNeeded: entry.hash) & mask
      while words[s] != 0 { s = (s + 1) & mask }
      words[s] = (entry.hash & 0xFFFF_FFFF_0000_0000) | UInt64(e + 1)
    }
    slots = fresh
  }
}

/// An id table's slots: zeroed words from `calloc`, shared between copies of the table until one
/// of them writes (then it copies them). A large table's words are fresh pages the kernel zeroes
/// as they are first touched, so making room is cheap until the room is used.
final class SlotStorage: @unchecked Sendable {
  let count: Int
  /// The words; written only by a table that holds the storage alone.
  let words: UnsafeMutablePointer<UInt64>
  /// Whether `words` came from `calloc` (else from `allocate`).
  private let fromCalloc: Bool

  /// Zeroed words; `clearedNow` clears them here (every page written) rather than leaving the
  /// kernel to hand out zeroed pages as they are first touched.
  init(count: Int, clearedNow: Bool = false) {
    self.count = count
    if !clearedNow, let raw = calloc(max(1, count), MemoryLayout<UInt64>.stride) {
      words = raw.bindMemory(to: UInt64.self, capacity: max(1, count))
      fromCalloc = true
    } else {
      words = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, count))
      words.initialize(repeating: 0, count: max(1, count))
      fromCalloc = false
    }
  }

  init(copying other: SlotStorage) {
    count = other.count
    words = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, count))
    words.initialize(from: other.words, count: max(1, count))
    fromCalloc = false
  }

  deinit {
    if fromCalloc {
      free(words)
    } else {
      words.deallocate()
    }
  }
}
