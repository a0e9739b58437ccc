/// Colour pairs handed out on demand, one per (foreground, background) combination.
///
/// Pair 0 is the terminal's default pair and is never redefined. When the
/// terminal runs out of pairs, further combinations fall back to pair 0.
struct ColorPairTable {
  /// The number of pairs the terminal has (COLOR_PAIRS).
  let limit: Int32
  private var pairs: [Key: Int32] = [:]
  private var next: Int32 = 1

  private struct Key: Hashable {
    var foreground: Int32
    var background: Int32
  }

  init(limit: Int32) {
    self.limit = limit
  }

  /// The number of pairs defined so far.
  var count: Int { pairs.count }

  /// The pair for two colour numbers, defining it with `define(pair, fg, bg)` the first time.
  ///
  /// `define` returns whether the terminal accepted the pair; if it did not,
  /// pair 0 is used for this combination from then on.
  mutating func pair(
    foreground: Int32, background: Int32, define: (Int32, Int32, Int32) -> Bool
  ) -> Int32 {
    if foreground == -1 && background == -1 { return 0 }
    let key = Key(foreground: foreground, background: background)
    if let known = pairs[key] { return known }
    guard next < limit else { return 0 }
    let number = next
    let accepted = define(number, foreground, background)
    pairs[key] = accepted ? number : 0
    if accepted { next += 1 }
    return accepted ? number : 0
  }
}
