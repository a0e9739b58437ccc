import Foundation
import GigatopTestSupport
import Testing

/// The real `gigatop` in tmux, following an NDJSON stream from the fixture HTTP server on 127.0.0.1.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"), .timeLimit(.minutes(1)))
struct HTTPEndToEndTests {
  @Test func aURLFeedShowsThePanelsAndItsData() throws {
    let gigatop = try #require(
      GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
    let python = try #require(TmuxSession.findExecutable("python3"), "python3 is not installed")
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "gigatop-http-e2e-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("port").path
    let pid = try Subprocess.spawn(
      python,
      arguments: [
        "-u", GigatopBinary.fixture("http/feed_server.py"), "--fixture",
        GigatopBinary.fixture("small.ndjson"),
        "--log", folder.appendingPathComponent("log").path,
      ],
      environment: [:], standardOutput: out, standardError: folder.appendingPathComponent("err").path)
    defer {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    var port: Int?
    let deadline = Date().addingTimeInterval(10)
    while port == nil && Date() < deadline {
      if let text = try? String(contentsOfFile: out, encoding: .utf8), text.hasSuffix("\n") {
        port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      usleep(20_000)
    }
    let listening = try #require(port, "the fixture server did not start")
    let url = "http://127.0.0.1:\(listening)/stream?hold=60"

    let session = try TmuxSession(arguments: [gigatop, url], width: 140, height: 40)
    defer { session.stop() }
    let screen = session.waitFor(timeout: 15) {
      DashboardEndToEndTests.showsPanels($0) && $0.contains("Memphis-1") && $0.contains("connected")
    }
    #expect(screen != nil, "the feed's data never appeared:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }
}
