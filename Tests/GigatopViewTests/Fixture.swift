import Foundation
import GigatopModel
import Testing

@testable import GigatopView

/// The hand-made feed in `Tests/Fixtures/small.ndjson`, reduced into state, and dashboard inputs over it.
enum Fixture {
  static func url(_ name: String, file: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
  }

  /// The repository's root directory.
  static var root: URL {
    URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// The state after every line of a fixture; a line that does not apply fails the test.
  static func state(_ name: String = "small.ndjson") throws -> BuildoutState {
    let text = try String(contentsOf: url(name), encoding: .utf8)
    var state = BuildoutState()
    for (number, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
      switch MessageDecoder.decode(line: String(line)) {
      case .success(let envelope):
        do {
          try state.apply(envelope)
        } catch {
          Issue.record("\(name):\(number + 1): \(error.reason)")
        }
      case .failure(let error):
        Issue.record("\(name):\(number + 1): \(error.reason)")
      }
    }
    return state
  }

  /// A headless input over the small fixture.
  static func input(
    theme: Theme = .defaultDark, glyphs: Glyphs = .unicode, help: Bool = false,
    focus: ViewState.Panel = .racks
  ) throws -> DashboardInput {
    let state = try state()
    var feed = FeedStatus(name: "small.ndjson")
    feed.counters = state.counters
    var view = ViewState()
    view.helpVisible = help
    view.focus = focus
    return DashboardInput(
      state: state, view: view, mode: .snapshot, feeds: [feed], theme: theme, glyphs: glyphs)
  }
}
