import Foundation
import GigatopTestSupport
import Testing

/// The real `gigatop` in a real (tmux) terminal, checked as a person would see it.
///
/// Serialized: each test starts its own tmux server, and timing-based checks
/// should not compete with each other on a small machine. Every wait is
/// bounded (at most 10 s).
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed: end-to-end tests skipped"))
struct DashboardEndToEndTests {
  static let panelTitles = ["Racks", "Chips", "Power", "Readiness"]

  /// The built executable; fails the test (not skips) when `swift test` did not build it.
  func gigatop() throws -> String {
    try #require(GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
  }

  /// The small fixture feed; fails the test when missing.
  func smallFixture() throws -> String {
    let path = GigatopBinary.fixture("small.ndjson")
    try #require(FileManager.default.fileExists(atPath: path), "missing fixture \(path)")
    return path
  }

  static func showsPanels(_ screen: String) -> Bool {
    panelTitles.allSatisfy { screen.contains($0) }
  }

  /// Checks that the app is gone and the terminal is as before: status, modes, main screen.
  func expectCleanExit(_ session: TmuxSession, allowed: Set<Int32>, _ what: String) throws {
    let status = try #require(session.waitForExit(timeout: 10), "\(what): gigatop did not exit")
    #expect(allowed.contains(status), "\(what): exit status \(status)")
    #expect(session.terminalRestored == true, "\(what): terminal modes were not restored")
    let screen = session.waitFor(timeout: 5) { $0.contains("EXIT=") }
    let shown = try #require(screen, "\(what): the shell never showed the exit line")
    for title in Self.panelTitles {
      #expect(!shown.contains(title), "\(what): the dashboard is still on screen (alternate screen not left)")
    }
  }

  @Test func showsThePanelsAndQuitsWithQ() throws {
    let session = try TmuxSession(arguments: [gigatop(), smallFixture()], width: 120, height: 40)
    defer { session.stop() }
    let screen = session.waitFor(timeout: 10, Self.showsPanels)
    #expect(screen != nil, "panels never appeared:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("q")
    try expectCleanExit(session, allowed: [0], "q")
    #expect(session.exitStatus == 0)
  }

  @Test func helpOverlayOpensAndCloses() throws {
    let session = try TmuxSession(arguments: [gigatop(), smallFixture()], width: 120, height: 40)
    defer { session.stop() }
    let before = try #require(session.waitFor(timeout: 10, Self.showsPanels), "panels never appeared")
    try #require(
      !before.contains("Keys"), "the dashboard itself shows `Keys`; this test needs another marker")

    try session.sendKeys("?")
    let help = session.waitFor(timeout: 5) { $0.contains("Keys") && $0.contains("quit") }
    let helpScreen = try #require(help, "help overlay never appeared:\n\((try? session.capture()) ?? "")")
    #expect(helpScreen.split(separator: "\n").contains { $0.contains("q") && $0.contains("quit") })

    try session.sendKeys("?")
    #expect(session.waitFor(timeout: 5) { !$0.contains("Keys") } != nil, "`?` did not close the help")

    try session.sendKeys("?")
    #expect(session.waitFor(text: "Keys", timeout: 5), "help did not open a second time")
    try session.sendKeys("Escape")
    #expect(session.waitFor(timeout: 5) { !$0.contains("Keys") } != nil, "Esc did not close the help")

    try session.sendKeys("q")
    try expectCleanExit(session, allowed: [0], "q after help")
  }

  @Test func tooSmallThenBack() throws {
    let session = try TmuxSession(arguments: [gigatop(), smallFixture()], width: 120, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10, Self.showsPanels) != nil, "panels never appeared")

    try session.resize(width: 60, height: 15)
    let small = session.waitFor(timeout: 5) { $0.lowercased().contains("too small") }
    let smallScreen = try #require(
      small, "no `too small` screen at 60x15:\n\((try? session.capture()) ?? "")")
    let sizes = Self.sizes(in: smallScreen)
    #expect(
      sizes.contains { $0.width > 60 || $0.height > 15 },
      "the too-small screen does not name the size needed:\n\(smallScreen)")

    try session.resize(width: 120, height: 40)
    #expect(session.waitFor(timeout: 5, Self.showsPanels) != nil, "panels did not come back at 120x40")

    try session.sendKeys("q")
    try expectCleanExit(session, allowed: [0], "q after resize")
  }

  @Test func demoClockMovesOnItsOwn() throws {
    let session = try TmuxSession(arguments: [gigatop()], width: 120, height: 40)
    defer { session.stop() }
    let first = try #require(
      session.waitFor(timeout: 10) { $0.contains("DEMO") },
      "no DEMO on the status bar:\n\((try? session.capture()) ?? "")")
    #expect(first.contains(/20\d\d-\d\d-\d\d/), "no feed date on screen")
    let statusLine = Self.line(containing: "DEMO", in: first)
    let moved = session.waitFor(timeout: 6) { Self.line(containing: "DEMO", in: $0) != statusLine }
    #expect(moved != nil, "the status bar did not change within 6 s: \(statusLine)")
    try session.sendKeys("q")
    try expectCleanExit(session, allowed: [0], "q in demo")
  }

  @Test func ctrlCQuitsAndRestores() throws {
    let session = try TmuxSession(arguments: [gigatop(), smallFixture()], width: 120, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10, Self.showsPanels) != nil, "panels never appeared")
    try session.sendKeys("C-c")
    try expectCleanExit(session, allowed: [0, 130], "Ctrl-C")
  }

  @Test func sigtermRestores() throws {
    let session = try TmuxSession(arguments: [gigatop(), smallFixture()], width: 120, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10, Self.showsPanels) != nil, "panels never appeared")
    let pid = try #require(session.waitForProcessID(), "no pid recorded")
    #expect(kill(pid, SIGTERM) == 0)
    try expectCleanExit(session, allowed: [0, 128 + SIGTERM], "SIGTERM")
  }

  @Test func dumbTerminalIsRefusedWithExit2() throws {
    let session = try TmuxSession(
      arguments: [gigatop(), smallFixture()], environment: ["TERM": "dumb"], width: 120, height: 40)
    defer { session.stop() }
    let status = try #require(session.waitForExit(timeout: 10), "gigatop did not exit with TERM=dumb")
    #expect(status == 2)
    let screen = try #require(session.waitFor(timeout: 5) { $0.contains("EXIT=") })
    #expect(screen.contains("TERM"), "the message does not mention TERM:\n\(screen)")
    #expect(session.terminalRestored == true)
  }

  @Test func notATerminalIsRefusedWithExit2() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-e2e-\(UUID().uuidString)")
    let output = base.path + ".out"
    let errors = base.path + ".err"
    defer {
      try? FileManager.default.removeItem(atPath: output)
      try? FileManager.default.removeItem(atPath: errors)
    }
    let status = try Subprocess.run(
      try gigatop(), arguments: [try smallFixture()],
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "TERM": "xterm-256color", "LANG": "C.UTF-8",
      ],
      standardOutput: output, standardError: errors, timeout: 10)
    let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    #expect(status == 2)
    #expect(message.contains("not a terminal"), "stderr: \(message)")
    let written = FileManager.default.contents(atPath: output) ?? Data()
    #expect(written.isEmpty, "something was written to standard output")
  }

  // MARK: - Helpers

  /// The first line of a screen containing `text`, or "".
  static func line(containing text: String, in screen: String) -> String {
    screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
  }

  /// Every `WxH` (or `W×H`) size written on a screen.
  static func sizes(in screen: String) -> [(width: Int, height: Int)] {
    screen.matches(of: /(\d+)\s*[x×]\s*(\d+)/).compactMap { match in
      guard let width = Int(match.1), let height = Int(match.2) else { return nil }
      return (width, height)
    }
  }
}
