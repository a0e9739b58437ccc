/// A small deterministic pseudo-random generator (SplitMix64) for the scenario's jitter.
///
/// Streams are keyed by the seed and a few integers, so a rack's numbers do not
/// depend on the order in which the planner happens to visit racks.
struct ScenarioRandom {
  private var state: UInt64

  /// Named streams, so that two planning steps never share numbers by accident.
  enum Stream: Int {
    case lots = 1, rack, node, pool, training, interruption, telemetry, power, fabric, serial, cdu
  }

  /// Creates a generator for one stream of the scenario, keyed by up to two integers.
  init(seed: UInt64, _ stream: Stream, _ a: Int = 0, _ b: Int = 0) {
    var h = Self.mix(seed ^ 0x6A09_E667_F3BC_C908)
    h = Self.mix(h ^ UInt64(stream.rawValue) &* 0xD6E8_FEB8_6659_FD93)
    h = Self.mix(h ^ UInt64(bitPattern: Int64(a)) &* 0xA076_1D64_78BD_642F)
    h = Self.mix(h ^ UInt64(bitPattern: Int64(b)) &* 0xE703_7ED1_A0B4_28DB)
    state = h
  }

  /// The SplitMix64 finalizer: a fast bijective scramble of 64 bits.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A double in `0 ..< 1`.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// A double in `low ..< high`.
  mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

  /// An integer in `0 ..< bound`; 0 when `bound` is not positive.
  mutating func int(below bound: Int) -> Int {
    guard bound > 1 else { return 0 }
    return Int(next() % UInt64(bound))
  }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { unit() < p }
}
