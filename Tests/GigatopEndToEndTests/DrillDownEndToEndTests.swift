import Foundation
import GigatopTestSupport
import Testing

/// The drill-down keys in the real `gigatop` in tmux: find a rack, open a node, come back, jump.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed: end-to-end tests skipped"))
struct DrillDownEndToEndTests {
  func start() throws -> TmuxSession {
    let binary = try #require(
      GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
    let session = try TmuxSession(
      arguments: [binary, GigatopBinary.fixture("small.ndjson")], width: 120, height: 40)
    let ready = session.waitFor(timeout: 10) { $0.contains("Racks") && $0.contains("Readiness") }
    try #require(ready != nil, "the dashboard never appeared:\n\((try? session.capture()) ?? "")")
    return session
  }

  @Test func filterFindsARackEnterOpensANodeEscEscReturns() throws {
    let session = try start()
    defer { session.stop() }
    try session.sendKeys("/")
    try session.type("A-R02-K04")
    #expect(session.waitFor(text: "/ A-R02-K04_", timeout: 5), "the filter line never showed")
    try session.sendKeys("Enter")
    let rack = session.waitFor(timeout: 5) {
      $0.contains("Hall A › row 2 › A-R02-K04") && $0.contains("history")
    }
    try #require(rack != nil, "the rack view never appeared:\n\((try? session.capture()) ?? "")")
    // Slot 3 holds the only node: five rows down from the top slot.
    for _ in 0..<5 { try session.sendKeys("j") }
    try session.sendKeys("Enter")
    let node = session.waitFor(timeout: 5) { $0.contains("› A-R02-K04-N3") && $0.contains("1654922031337") }
    try #require(node != nil, "the node view never appeared:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("Escape")
    #expect(session.waitFor(timeout: 5) { $0.contains("history") && !$0.contains("1654922031337") } != nil)
    try session.sendKeys("Escape")
    let home = session.waitFor(timeout: 5) { $0.contains("Readiness") && !$0.contains("Esc back") }
    #expect(home != nil, "Esc Esc did not return to the dashboard:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  @Test func commandLineJumpsToARackAndSaysWhenUnknown() throws {
    let session = try start()
    defer { session.stop() }
    try session.sendKeys(":")
    try session.type("rack NOPE-1")
    try session.sendKeys("Enter")
    #expect(session.waitFor(text: "no rack NOPE-1", timeout: 5), "the unknown id was not reported")
    try session.sendKeys(":")
    try session.type("rack B-R02-K0")
    try session.sendKeys("Tab")
    try session.type("3")
    try session.sendKeys("Enter")
    let rack = session.waitFor(timeout: 5) { $0.contains("› B-R02-K03") && $0.contains("CDU leak") }
    #expect(rack != nil, ":rack did not jump:\n\((try? session.capture()) ?? "")")
    try session.sendKeys("Escape")
    try session.sendKeys("f")
    #expect(session.waitFor(text: "Hall B 4/8 in", timeout: 5), "f did not open the floor")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  @Test func headlessViewNamesAnUnknownRack() throws {
    let binary = try #require(GigatopBinary.path)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "drill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let err = directory.appendingPathComponent("err").path
    let fixture = GigatopBinary.fixture("small.ndjson")
    let status = try Subprocess.run(
      binary, arguments: ["snapshot", fixture, "--view", "rack:NOPE-9"], environment: [:],
      standardOutput: out, standardError: err, timeout: 30)
    #expect(status != 0)
    let message = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    #expect(message.contains("NOPE-9"))
    let ok = try Subprocess.run(
      binary, arguments: ["snapshot", fixture, "--view", "stuck", "--width", "100", "--height", "24"],
      environment: [:], standardOutput: out, standardError: err, timeout: 30)
    #expect(ok == 0)
    #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("racks not yet in the pool"))
  }
}
