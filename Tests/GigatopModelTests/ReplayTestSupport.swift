import Foundation
import Testing

@testable import GigatopModel

/// Temporary files and fixtures for the replay tests.
enum ReplayFixture {
  /// A fresh temporary directory.
  static func directory() throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "gigatop-replay-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A small built-in scenario (1,024 GPUs, 20 days) as lines.
  static let scenarioLines: [String] = ScenarioGenerator(options: ScenarioOptions(gpus: 1024, days: 20))
    .lines()

  /// The repository's small fixture feed.
  static var smallFeed: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/small.ndjson").path
  }

  /// Writes lines to a file in `directory`; returns its path.
  static func write(_ lines: [String], name: String, in directory: URL) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The state a live view has after reading `path` up to feed time `until`: every line in arrival order.
  static func live(_ path: String, until: Double) -> FeedIntake {
    let source = FeedSource(path: path)
    var intake = FeedIntake(feedNames: [path])
    var stopped = false
    for event in source.poll(budget: .max) {
      if let ts = event.ts, ts > until { stopped = true }
      if stopped { break }
      intake.apply(event, feed: 0)
    }
    return intake
  }

  /// The summary JSON of a state (what `gigatop summary --json` prints).
  static func summary(_ state: BuildoutState) -> String {
    SummaryReport.json(state: state, summary: Summary(state), counters: state.counters)
  }
}
