/// A power line's draw per hall, MW: the halls' names and their draws, in the order the feed
/// gave them.
///
/// Kept as two arrays rather than an array of pairs: power lines repeat the same names line
/// after line, so a decoder hands out one names array for all of them (`NumberPairsMemo`) and
/// a new array of plain numbers per line, and the state keeps the names it was given, telling a
/// repeat by the array's identity (`PowerReading.set`).
public struct HallDraws: Equatable, Sendable {
  /// The halls' ids, in the order given; no two alike.
  public private(set) var names: [String]
  /// Each hall's draw, MW, by position in `names`.
  public private(set) var mw: [Double]

  /// Draws from names and numbers of the same count.
  init(names: [String], mw: [Double]) {
    precondition(names.count == mw.count, "one draw per hall")
    self.names = names
    self.mw = mw
  }

  /// Draws from (hall, MW) pairs, in order, no two names alike. (Only the decoders make draws: they
  /// reject an object that repeats a name, which `PowerReading.set` relies on.)
  init(_ pairs: [(String, Double)]) {
    names = pairs.map(\.0)
    mw = pairs.map(\.1)
  }
}
