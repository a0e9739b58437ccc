import Foundation
import GigatopTestSupport
import Testing

/// The real `gigatop` under different terminals, locales and colour settings, and its themes live.
///
/// Each test starts the app in its own tmux server, checks the panel titles, and quits with `q`.
/// Colours are read with `capture-pane -e`, which shows them as SGR sequences.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed: end-to-end tests skipped"))
struct ThemeEndToEndTests {
  func gigatop() throws -> String {
    try #require(GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
  }

  static let fixture = GigatopBinary.fixture("small.ndjson")

  /// The SGR parameter lists in a captured screen (`1;38;5;110`, ...).
  static func sgrParameters(_ screen: String) -> [String] {
    var found: [String] = []
    var rest = Substring(screen)
    while let start = rest.range(of: "\u{1B}[") {
      let after = rest[start.upperBound...]
      guard let end = after.firstIndex(where: { !("0"..."9").contains($0) && $0 != ";" && $0 != ":" }) else {
        break
      }
      if after[end] == "m" { found.append(String(after[..<end])) }
      rest = after[end...]
    }
    return found
  }

  /// The colour codes among SGR parameters: 30-37, 38, 40-47, 48, 90-97, 100-107 and what follows 38/48.
  static func colorCodes(_ screen: String) -> [String] {
    sgrParameters(screen).flatMap { list -> [String] in
      let codes = list.split(whereSeparator: { $0 == ";" || $0 == ":" }).compactMap { Int($0) }
      var out: [String] = []
      var i = 0
      while i < codes.count {
        let code = codes[i]
        if code == 38 || code == 48 {
          let width = codes.count > i + 1 && codes[i + 1] == 2 ? 5 : 3
          out.append(codes[i..<min(codes.count, i + width)].map(String.init).joined(separator: ";"))
          i += width
          continue
        }
        if (30...37).contains(code) || (40...47).contains(code) || (90...97).contains(code)
          || (100...107).contains(code)
        {
          out.append(String(code))
        }
        i += 1
      }
      return out
    }
  }

  /// Starts gigatop on the small fixture, waits for the panels, returns the session and the coloured screen.
  func start(
    _ extra: [String] = [], environment: [String: String] = [:], width: Int = 120, height: Int = 40
  ) throws -> (TmuxSession, String) {
    let session = try TmuxSession(
      arguments: [gigatop(), Self.fixture] + extra, environment: environment, width: width, height: height)
    let plain = session.waitFor(timeout: 10, DashboardEndToEndTests.showsPanels)
    try #require(
      plain != nil, "panels never appeared under \(environment):\n\((try? session.capture()) ?? "")")
    return (session, try session.capture(escapes: true))
  }

  /// Quits with `q` and expects exit 0 with the terminal restored.
  func quit(_ session: TmuxSession, _ what: String) throws {
    try session.sendKeys("q")
    let status = try #require(session.waitForExit(timeout: 10), "\(what): gigatop did not exit")
    #expect(status == 0, "\(what): exit status \(status)")
    #expect(session.terminalRestored == true, "\(what): terminal modes not restored")
  }

  @Test func xterm256ColorUsesThe256Palette() throws {
    let (session, screen) = try start(environment: ["TERM": "xterm-256color"])
    defer { session.stop() }
    let codes = Self.colorCodes(screen)
    #expect(codes.contains { $0.hasPrefix("38;5;") }, "no 256-colour foreground: \(Set(codes))")
    #expect(!codes.contains { $0.hasPrefix("38;2;") })
    try quit(session, "xterm-256color")
  }

  @Test func xtermUsesTheEightBasicColours() throws {
    let (session, screen) = try start(environment: ["TERM": "xterm"])
    defer { session.stop() }
    let codes = Self.colorCodes(screen)
    #expect(!codes.isEmpty, "no colour at all under TERM=xterm")
    #expect(
      codes.allSatisfy { Int($0).map { (30...37).contains($0) || (40...47).contains($0) } ?? false },
      "colours beyond the eight under TERM=xterm: \(Set(codes))")
    try quit(session, "xterm")
  }

  @Test func vt100HasNoColourButStillEveryPanel() throws {
    let (session, screen) = try start(environment: ["TERM": "vt100"])
    defer { session.stop() }
    #expect(Self.colorCodes(screen).isEmpty, "colour sent to a vt100: \(Set(Self.colorCodes(screen)))")
    #expect(Self.sgrParameters(screen).contains { $0.split(separator: ";").contains("1") }, "no bold at all")
    try quit(session, "vt100")
  }

  @Test func noColorTurnsColourOffAndKeepsAttributes() throws {
    let (session, screen) = try start(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
    defer { session.stop() }
    #expect(Self.colorCodes(screen).isEmpty, "colour under NO_COLOR: \(Set(Self.colorCodes(screen)))")
    let attributes = Set(Self.sgrParameters(screen).flatMap { $0.split(separator: ";").map(String.init) })
    #expect(attributes.contains("1"), "bold carries meaning without colour")
    #expect(attributes.contains("7"), "reverse carries meaning without colour")
    // `t` cannot bring colour back.
    try session.sendKeys("t")
    let after = session.waitFor(timeout: 5) { $0.contains("colour is off") }
    #expect(after != nil, "no word about colour being off:\n\((try? session.capture()) ?? "")")
    #expect(Self.colorCodes(try session.capture(escapes: true)).isEmpty)
    try quit(session, "NO_COLOR=1")
  }

  @Test func noColorFlagDoesTheSame() throws {
    let (session, screen) = try start(["--no-color"], environment: ["TERM": "xterm-256color"])
    defer { session.stop() }
    #expect(Self.colorCodes(screen).isEmpty)
    try quit(session, "--no-color")
  }

  @Test func cLocaleStartsAndDrawsNoBlankBorders() throws {
    let (session, _) = try start(environment: ["LC_ALL": "C", "LANG": "C"])
    defer { session.stop() }
    let screen = try session.capture()
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
    let top = try #require(rows.first { $0.contains("Racks") }, "no row with the Racks title")
    #expect(top.first.map { $0 != " " } ?? false, "the top-left corner is blank under LC_ALL=C: \(top)")
    try quit(session, "LC_ALL=C")
  }

  @Test func asciiFlagDrawsSevenBitOnly() throws {
    let (session, _) = try start(["--ascii"])
    defer { session.stop() }
    let screen = try session.capture()
    let foreign = screen.unicodeScalars.filter { !$0.isASCII }
    #expect(
      foreign.isEmpty, "non-ASCII under --ascii: \(String(String.UnicodeScalarView(foreign.prefix(20))))")
    #expect(screen.contains("+-"), "no ASCII box corners")
    try quit(session, "--ascii")
  }

  @Test func tCyclesThemesLive() throws {
    let (session, first) = try start(environment: ["TERM": "xterm-256color"])
    defer { session.stop() }
    #expect(!Self.colorCodes(first).isEmpty)
    try session.sendKeys("t")
    let mono = session.waitFor(timeout: 5) { $0.contains("theme mono") }
    #expect(mono != nil, "`t` did not switch to mono:\n\((try? session.capture()) ?? "")")
    #expect(Self.colorCodes(try session.capture(escapes: true)).isEmpty, "mono still shows colour")
    try session.sendKeys("t")
    #expect(session.waitFor(text: "theme amber", timeout: 5), "`t` did not go on to amber")
    let amber = try session.capture(escapes: true)
    #expect(Self.colorCodes(amber) != Self.colorCodes(first), "amber looks like default")
    try quit(session, "after t")
  }

  @Test func aBrokenThemeNamesFileAndKeyAndTheAppGoesOn() throws {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "gigatop-theme-e2e-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("oops.json")
    try #"{"version": 1, "name": "oops", "ui": {"border": "blurple"}}"#.write(
      to: file, atomically: true, encoding: .utf8)
    let (session, _) = try start(["--themes-dir", dir.path, "--theme", "oops"])
    defer { session.stop() }
    try quit(session, "broken theme")
    let after = session.waitFor(timeout: 5) { $0.contains("EXIT=") }
    let shown = try #require(after, "the exit line never appeared")
    let joined = shown.replacingOccurrences(of: "\n", with: "")
    #expect(joined.contains("oops.json: ui.border: unknown colour \"blurple\""), "\(shown)")
  }

  @Test func snapshotColourFollowsTheDepthAskedAndNoColor() throws {
    let exe = try gigatop()
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gigatop-snap-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func snapshot(_ extra: [String], environment: [String: String] = [:]) throws -> String {
      let out = dir.appendingPathComponent("out").path
      let status = try Subprocess.run(
        exe, arguments: ["snapshot", Self.fixture, "--width", "100", "--height", "30", "--color"] + extra,
        environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 },
        standardOutput: out, standardError: dir.appendingPathComponent("err").path, timeout: 30)
      #expect(status == 0)
      return try String(contentsOfFile: out, encoding: .utf8)
    }
    let full = Self.colorCodes(try snapshot(["--theme", "okabe-ito"]))
    #expect(full.contains { $0.hasPrefix("38;2;") })
    let indexed = Self.colorCodes(try snapshot(["--theme", "okabe-ito", "--color-depth", "256"]))
    #expect(indexed.allSatisfy { !$0.hasPrefix("38;2;") } && indexed.contains { $0.hasPrefix("38;5;") })
    let eight = Self.colorCodes(try snapshot(["--theme", "light", "--color-depth", "8"]))
    #expect(!eight.isEmpty && eight.allSatisfy { Int($0) != nil })
    #expect(Self.colorCodes(try snapshot([], environment: ["NO_COLOR": "1"])).isEmpty)
  }
}
