import ArgumentParser
import GigatopModel
import GigatopView

#if canImport(Glibc)
import Glibc
#endif

/// `gigatop bench` (hidden): the in-process measurements that `bench/run.sh` drives.
///
/// A benchmark, not a test: it prints numbers as `key value` lines (see docs/performance.md).
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks behind bench/run.sh.", shouldDisplay: false,
    subcommands: [BenchGenerate.self, BenchLive.self])
}

/// `gigatop bench gen FEED --lines N`: the feed plus per-node and per-GPU lines, up to N lines.
///
/// After the feed's own lines it writes a `node` line for every slot of every rack the feed
/// named, then rounds of `gpu` telemetry for those nodes' GPUs, one feed second apart, until N lines.
struct BenchGenerate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gen", abstract: "Write FEED with per-node and per-GPU detail up to --lines lines.")

  @Argument(help: "A feed (from `gigatop demo`).")
  var feed: String

  @Option(help: "How many lines to write in all.")
  var lines: Int = 1_000_000

  func run() throws {
    var racks: [String] = []
    var last = 0.0
    var perNode = 8
    var perRack = 8
    var written = 0
    var out: [UInt8] = []
    out.reserveCapacity(1 << 20)
    func flush(force: Bool) {
      guard force || out.count >= 1 << 20 else { return }
      out.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
          guard let base = raw.baseAddress else { return }
          let n = write(STDOUT_FILENO, base + done, raw.count - done)
          if n <= 0 { return }
          done += n
        }
      }
      out.removeAll(keepingCapacity: true)
    }
    let source = FeedSource(path: feed)
    var lineNumber = 0
    source.lineTap = { bytes in
      out.append(contentsOf: bytes)
      out.append(0x0A)
    }
    source.readAll { event in
      lineNumber += 1
      written += 1
      guard case .message(let envelope, _) = event else { return }
      last = max(last, envelope.ts)
      switch envelope.message {
      case .rack(let m) where m.hall != nil: racks.append(m.id)
      case .site(let m):
        if let v = m.gpusPerNode ?? nil { perNode = v }
        if let v = m.nodesPerRack ?? nil { perRack = v }
      default: break
      }
      flush(force: false)
    }
    var seen = Set<String>()
    racks = racks.filter { seen.insert($0).inserted }
    var ts = last
    let states = ["ok", "ok", "ok", "ok", "ok", "ok", "degraded", "ok"]
    outer: for rack in racks {
      for slot in 1...perRack {
        guard written < lines else { break outer }
        ts += 1
        let node = "\(rack)-S\(slot)"
        out.append(
          contentsOf:
            "{\"type\":\"node\",\"ts\":\"\(Timestamp.format(ts))\",\"id\":\"\(node)\",\"rack\":\"\(rack)\",\"slot\":\(slot),\"u\":\(slot * 4),\"gpus\":\(perNode),\"kw\":10.2}\n"
            .utf8)
        written += 1
        flush(force: false)
      }
    }
    // Rounds of telemetry over every GPU until the line count is reached (any size of feed).
    outer: while written < lines && !racks.isEmpty {
      for rack in racks {
        for slot in 1...perRack {
          for index in 0..<perNode {
            guard written < lines else { break outer }
            ts += 1
            let temp = 55 + (slot * 7 + index * 3) % 20
            out.append(
              contentsOf:
                "{\"type\":\"gpu\",\"ts\":\"\(Timestamp.format(ts))\",\"node\":\"\(rack)-S\(slot)\",\"index\":\(index),\"state\":\"\(states[(slot + index) % 8])\",\"temp_c\":\(temp).5,\"power_w\":\(600 + temp)}\n"
                .utf8)
            written += 1
            flush(force: false)
          }
        }
      }
    }
    flush(force: true)
  }
}

/// `gigatop bench live FEED`: apply-batch time, frame time and changed cells on the loaded site.
struct BenchLive: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "live", abstract: "Time 10k-message batches, 200x60 frames and a 1 Hz update.")

  @Argument(help: "A feed to load.")
  var feed: String

  @Option(help: "Messages per batch.")
  var batch: Int = 10_000

  @Option(help: "Frames to time.")
  var frames: Int = 30

  @Option(help: "Screen width.")
  var width: Int = 200

  @Option(help: "Screen height.")
  var height: Int = 60

  func run() throws {
    // Every line decoded up front: the batches then time `apply` alone, as the run loop does it.
    var events: [FeedEvent] = []
    let source = FeedSource(path: feed)
    let d0 = Clock.monotonic()
    source.readAll { events.append($0) }
    let decodeAll = Clock.monotonic() - d0
    print("decode_lines \(events.count)")
    print("decode_ms_per_10k \(fixed(decodeAll / Double(max(1, events.count)) * 10_000 * 1000))")

    var intake = FeedIntake(feedNames: [feed])
    var times: [Double] = []
    var start = 0
    while start < events.count {
      let end = min(events.count, start + batch)
      let t = Clock.monotonic()
      for i in start..<end { intake.apply(events[i], feed: 0, wallClock: 0) }
      times.append(Clock.monotonic() - t)
      start = end
    }
    let worstBatch = times.indices.max { times[$0] < times[$1] } ?? 0
    times.sort()
    if let worst = times.last {
      print("apply_batches \(times.count)")
      print("apply_ms_median \(fixed(times[times.count / 2] * 1000))")
      print("apply_ms_p90 \(fixed(times[times.count * 9 / 10] * 1000))")
      print("apply_ms_max \(fixed(worst * 1000))")
      print("apply_worst_batch \(worstBatch + 1)")
    }
    // A live batch on the full site: the feed's last `batch` messages again (updates, not inserts),
    // applied in place as the run loop does (a copy of the state would be copied on first write).
    let tail = events.suffix(batch)
    let t = Clock.monotonic()
    for event in tail { intake.apply(event, feed: 0, wallClock: 0) }
    print("apply_ms_full_site \(fixed((Clock.monotonic() - t) * 1000))")

    let wall = intake.state.now ?? 0
    func input(_ state: BuildoutState, wall: Double) -> DashboardInput {
      DashboardInput(
        state: state, mode: .live, feeds: intake.feeds, wallClock: wall, theme: .defaultDark, glyphs: .unicode
      )
    }
    var frameTimes: [Double] = []
    _ = Dashboard.render(input(intake.state, wall: wall), width: width, height: height)
    for i in 0..<max(1, frames) {
      let f = Clock.monotonic()
      _ = Dashboard.render(input(intake.state, wall: wall + Double(i)), width: width, height: height)
      frameTimes.append(Clock.monotonic() - f)
    }
    frameTimes.sort()
    print("frame_ms_median \(fixed(frameTimes[frameTimes.count / 2] * 1000))")
    print("frame_ms_max \(fixed((frameTimes.last ?? 0) * 1000))")

    // A steady 1 Hz update: one second later, one power reading and one rack's inlet temperature.
    var state = intake.state
    var live = intake
    let now = (state.now ?? 0) + 1
    for line in [
      "{\"type\":\"power\",\"ts\":\(Int(now)),\"facility_mw\":41.25,\"it_mw\":33.5}",
      "{\"type\":\"rack\",\"ts\":\(Int(now)),\"id\":\"\(state.racks.first?.id ?? "x")\",\"inlet_c\":24.5}",
    ] {
      if case .success(let envelope) = MessageDecoder.decode(line: line) {
        live.apply(.message(envelope, line: 0), feed: 0, wallClock: 0)
      }
    }
    state = live.state
    let before = Dashboard.render(input(intake.state, wall: wall + 1000), width: width, height: height)
    let after = Dashboard.render(input(state, wall: wall + 1001), width: width, height: height)
    var changed = 0
    for (a, b) in zip(before.cells, after.cells) where a != b { changed += 1 }
    let runs = after.changedRuns(since: before)
    print("cells_total \(width * height)")
    print("cells_changed \(changed)")
    print("cells_sent \(runs.reduce(0) { $0 + $1.width })")
  }

  func fixed(_ value: Double) -> String { Format.fixed(value, 2) }
}
