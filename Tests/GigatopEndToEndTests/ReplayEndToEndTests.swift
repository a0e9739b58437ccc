import Foundation
import Testing

/// Recording and replay with the real `gigatop` in tmux.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed: end-to-end tests skipped"))
struct ReplayEndToEndTests {
  func gigatop() throws -> String {
    try #require(GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
  }

  /// The timeline row (the one with the speed mark).
  static func timeline(_ screen: String) -> String {
    screen.split(separator: "\n").last { $0.contains(" step ") && $0.contains("×") }.map(String.init) ?? ""
  }

  @Test func recordThenReplayPauseJumpEndHomeAndSpeed() throws {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "gigatop-replay-e2e-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let recording = dir.appendingPathComponent("rec.ndjson").path

    // Record the fixture feed while watching it.
    let live = try TmuxSession(
      arguments: [gigatop(), "--record", recording, GigatopBinary.fixture("small.ndjson")], width: 120,
      height: 40)
    defer { live.stop() }
    #expect(live.waitFor(text: "REC", timeout: 10), "no REC mark:\n\((try? live.capture()) ?? "")")
    // Lines are flushed within a second.
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline, (try? Data(contentsOf: URL(fileURLWithPath: recording)).count) ?? 0 == 0 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    try live.sendKeys("q")
    #expect(live.waitForExit(timeout: 10) == 0)
    let text = try String(contentsOfFile: recording, encoding: .utf8)
    #expect(text.split(separator: "\n").count >= 90, "recorded \(text.split(separator: "\n").count) lines")

    let session = try TmuxSession(
      arguments: [gigatop(), "replay", recording, "--paused", "--speed", "3600"],
      // tmux (-f /dev/null) sends Home and End as its own default terminal, screen, spells them.
      environment: ["TERM": "screen"], width: 120, height: 40)
    defer { session.stop() }
    let first = try #require(
      session.waitFor(timeout: 10) { $0.contains("REPLAY") && $0.contains("paused") },
      "no paused REPLAY screen:\n\((try? session.capture()) ?? "")")
    #expect(Self.timeline(first).contains("3,600"), "speed not shown:\n\(first)")

    try session.sendKeys(">")
    #expect(
      session.waitFor(timeout: 5) { Self.timeline($0).contains("7,200") } != nil, "speed change not shown")

    try session.sendKeys("5")
    let middle = try #require(session.waitFor(timeout: 5) { Self.timeline($0) != Self.timeline(first) })
    try session.sendKeys("End")
    let end = try #require(
      session.waitFor(timeout: 5) { Self.timeline($0).contains("end") }, "End did not reach the end")
    #expect(Self.timeline(end) != Self.timeline(middle))
    try session.sendKeys("Home")
    #expect(
      session.waitFor(timeout: 5) {
        !Self.timeline($0).contains("end") && Self.timeline($0).contains("paused")
      }
        != nil, "Home did not go back")

    try session.sendKeys("Space")
    #expect(
      session.waitFor(timeout: 5) { !Self.timeline($0).contains("paused") } != nil, "Space did not resume")
    try session.sendKeys("Space")
    #expect(
      session.waitFor(timeout: 5) {
        Self.timeline($0).contains("paused") || Self.timeline($0).contains("end")
      } != nil)

    try session.sendKeys("d")
    #expect(session.waitFor(text: "What changed", timeout: 5), "no what-changed view")
    try session.sendKeys("d")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  @Test func unwritableRecordingSaysSoAndTheLiveViewGoesOn() throws {
    let session = try TmuxSession(
      arguments: [
        gigatop(), "--record", "/proc/gigatop-cannot-write", GigatopBinary.fixture("small.ndjson"),
      ],
      width: 120, height: 40)
    defer { session.stop() }
    #expect(
      session.waitFor(timeout: 10) { $0.contains("cannot record to") && $0.contains("Racks") } != nil,
      "no recording error on the live view:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }
}
