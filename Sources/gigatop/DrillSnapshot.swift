import GigatopModel
import GigatopView

#if canImport(Glibc)
import Glibc
#endif

/// `snapshot --view`: the view state that shows a drill-down view, and frame timing for benchmarks.
enum DrillSnapshot {
  /// A `--view` that names nothing in the feed, or no view at all.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The view state for `floor`, `rack:ID`, `node:ID` or `stuck`; throws naming an unknown id.
  static func viewState(
    _ spec: String, state: BuildoutState, width: Int, height: Int
  ) throws(Failure) -> ViewState {
    let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
    let kind = parts.first?.lowercased() ?? ""
    let argument = parts.count > 1 ? parts[1] : ""
    let view: DrillView
    switch kind {
    case "floor": view = .floor
    case "stuck": view = .stuck
    case "rack" where !argument.isEmpty:
      guard state.rackIndex[argument] != nil else {
        throw Failure(description: "--view \(spec): no rack \(argument) in the feed")
      }
      view = .rack(argument)
    case "node" where !argument.isEmpty:
      guard state.nodeIndex[argument] != nil else {
        throw Failure(description: "--view \(spec): no node \(argument) in the feed")
      }
      view = .node(argument)
    default:
      throw Failure(description: "--view \(spec): use floor, rack:ID, node:ID or stuck")
    }
    var result = ViewState()
    result.reduce(.drill(.push(view)), in: DrillContext(state: state, width: width, height: height))
    return result
  }

  /// Renders the frame `count` times and prints the time per frame (mean, median, worst) to stderr.
  static func timeFrames(_ input: DashboardInput, width: Int, height: Int, count: Int) {
    var times: [Double] = []
    for _ in 0..<max(1, count) {
      let start = monotonic()
      let canvas = Dashboard.render(input, width: width, height: height)
      times.append(monotonic() - start)
      if canvas.width != width { break }
    }
    times.sort()
    let mean = times.reduce(0, +) / Double(times.count)
    func ms(_ seconds: Double) -> String { Format.fixed(seconds * 1000, 3) + " ms" }
    FeedErrorReport.standardError(
      "frame \(width)x\(height): \(times.count) renders, mean \(ms(mean)), median \(ms(times[times.count / 2])), "
        + "worst \(ms(times[times.count - 1]))\n")
  }

  static func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
