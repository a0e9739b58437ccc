import ArgumentParser
import GigatopModel

#if canImport(Glibc)
import Glibc
#endif

/// `gigatop replay-bench FILE` (hidden): times indexing, the first frame and seeks on a recording.
///
/// A benchmark, not a test: it prints numbers (see docs/replay.md for how they were measured).
struct ReplayBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay-bench", abstract: "Time replay's first frame, indexing and seeks.",
    shouldDisplay: false)

  @Argument(help: "Recordings.")
  var files: [String]

  @Option(help: "Number of random seeks.")
  var seeks: Int = 50

  func run() throws {
    let t0 = Clock.monotonic()
    let first = ReplayStream(paths: files)
    let start = first.peek()?.time ?? 0
    let end = files.compactMap { RecordingReader(path: $0).lastTimestamp() }.max() ?? start
    let emptyIndex = ReplayIndexer(paths: files).index
    let firstPlayer = ReplayPlayer(paths: files, index: emptyIndex, scheduler: ReplayScheduler(speed: 1))
    firstPlayer.seek(toTime: start)
    let firstFrame = Clock.monotonic() - t0
    print("size            \(Format.count(Int(first.totalBytes))) bytes")
    print("first frame     \(ms(firstFrame)) (probe start/end + state at the first time, before indexing)")

    let t1 = Clock.monotonic()
    let index = ReplayIndexer(paths: files).run()
    let indexing = Clock.monotonic() - t1
    print(
      "indexing        \(Format.fixed(indexing, 2)) s for \(Format.count(index.count)) messages, "
        + "\(index.keyframes.count) keyframes (\(index.keyframes.filter(\.isFull).count) full, "
        + "about \(index.keyframeBytes >> 20) MB) every \(Format.count(index.spacing)) messages "
        + "or \(Format.count(Int(index.byteSpacing >> 10))) KiB, "
        + "\(index.markers.count) markers")
    let player = ReplayPlayer(paths: files, index: index, scheduler: ReplayScheduler(speed: 1))
    var random = UInt64(42)
    var times: [Double] = []
    let span = max(1, (index.endTime ?? end) - (index.startTime ?? start))
    for _ in 0..<seeks {
      random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let target = (index.startTime ?? start) + span * Double(random >> 11) / Double(1 << 53)
      let s = Clock.monotonic()
      player.seek(toTime: target)
      times.append(Clock.monotonic() - s)
    }
    times.sort()
    if !times.isEmpty {
      print(
        "seek (\(seeks) random, both ways)  median \(ms(times[times.count / 2]))  "
          + "p90 \(ms(times[times.count * 9 / 10]))  max \(ms(times[times.count - 1]))")
    }
    let s = Clock.monotonic()
    player.seek(toTime: index.endTime ?? end)
    print("seek to the end \(ms(Clock.monotonic() - s))")
  }

  func ms(_ seconds: Double) -> String { Format.fixed(seconds * 1000, 1) + " ms" }
}
