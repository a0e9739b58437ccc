/// A piecewise-linear curve through knots, used for the scenario's ramps.
///
/// The y values of the curves the planner inverts never decrease.
struct ScenarioCurve {
  private let xs: [Double]
  private let ys: [Double]

  /// Creates a curve through `knots`, sorted by x.
  init(_ knots: [(x: Double, y: Double)]) {
    xs = knots.map(\.x)
    ys = knots.map(\.y)
  }

  /// The curve's value at `x`, flat before the first knot and after the last.
  func value(at x: Double) -> Double {
    guard let first = xs.first, let last = xs.last else { return 0 }
    if x <= first { return ys[0] }
    if x >= last { return ys[ys.count - 1] }
    var i = 1
    while xs[i] < x { i += 1 }
    let span = xs[i] - xs[i - 1]
    guard span > 0 else { return ys[i] }
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / span
  }

  /// The smallest x at which a non-decreasing curve reaches `y`.
  ///
  /// Complexity: O(knots).
  func firstX(reaching y: Double) -> Double {
    guard let first = xs.first, let last = xs.last else { return 0 }
    if y <= ys[0] { return first }
    for i in 1..<xs.count where ys[i] >= y {
      let rise = ys[i] - ys[i - 1]
      guard rise > 0 else { return xs[i] }
      return xs[i - 1] + (xs[i] - xs[i - 1]) * (y - ys[i - 1]) / rise
    }
    return last
  }

  /// Cumulative rack installs as a fraction of all racks, by canonical day (days 61-88).
  ///
  /// Daily installs of the 1,600-rack demo: 6, 15, 30, 60, then up to ~110 a day, then a taper.
  static let installs: ScenarioCurve = {
    let perDay: [Double] = [
      6, 15, 30, 60, 80, 95, 110, 110, 110, 105, 100, 95, 90, 85,
      75, 65, 60, 55, 50, 45, 40, 35, 30, 20, 15, 10, 6, 3,
    ]
    let total = perDay.reduce(0, +)
    var knots: [(x: Double, y: Double)] = [(61, 0)]
    var sum = 0.0
    for (i, n) in perDay.enumerated() {
      sum += n
      knots.append((61 + Double(i + 1), sum / total))
    }
    return ScenarioCurve(knots)
  }()

  /// The fraction of pods the training pool may hold, by canonical day: what power allows.
  ///
  /// ~31% at day 80 (43 MW of grid and turbines), ~64% once the grid steps to 50 MW on
  /// day 90, then about two pods a day as the big turbines and batteries come online.
  static let pool = ScenarioCurve([
    (79.0, 0), (80.0, 0.31), (89.9, 0.315), (91.0, 0.64), (96.0, 0.685), (121.0, 1.0),
  ])

  /// NCCL all-reduce bus bandwidth in Gb/s by canonical day, as the fabric is tuned.
  static let busBandwidth = ScenarioCurve([
    (64, 160), (72, 214), (80, 262), (90, 296), (100, 318), (110, 331), (113.9, 341),
    (117.5, 376), (118, 381), (122, 384),
  ])
}
