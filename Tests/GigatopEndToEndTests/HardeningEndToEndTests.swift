import Foundation
import Testing

/// The real `gigatop` against closed pipes, signals, failing sources and values that crash it.
@Suite(.serialized)
struct HardeningEndToEndTests {
  func gigatop() throws -> String {
    try #require(GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
  }

  /// A temporary folder, removed afterwards.
  final class Folder {
    let url: URL
    init() throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "gigatop-hard-e2e-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      _ = chmod(url.path, 0o755)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
      let file = path(name)
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
      return file
    }
  }

  static let site =
    #"{"type":"site","ts":"2024-05-03T00:00:00Z","id":"MEM1","name":"Memphis-1","target_gpus":256,"gpus_per_node":8,"nodes_per_rack":4,"halls":[{"id":"A","rows":1,"racks_per_row":8}]}"#

  static func rack(_ id: String, slot: Int) -> String {
    #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"\#(id)","hall":"A","row":1,"slot":\#(slot),"stage":"racked"}"#
  }

  // MARK: - SIGPIPE

  /// How a headless command ended when its reader went away.
  func expectCleanPipeEnd(
    _ outcome: PtyHarness.Outcome, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      outcome.signal == nil, "\(what): killed by signal \(outcome.signal ?? 0)",
      sourceLocation: sourceLocation)
    #expect(
      outcome.status == 0, "\(what): exit \(outcome.status.map(String.init) ?? "none")",
      sourceLocation: sourceLocation)
  }

  func expectNoCrashMessage(
    _ outcome: PtyHarness.Outcome, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for word in ["Fatal", "crash", "Backtrac", "Illegal", "Segmentation"] {
      #expect(!outcome.stderr.contains(word), "\(what): \(outcome.stderr)", sourceLocation: sourceLocation)
    }
  }

  @Test(.enabled(if: PtyHarness.isAvailable, "python3 is not installed"))
  func demoIntoAClosedPipeDoesNotCrash() throws {
    // `gigatop demo | head -1`: several MB into a pipe whose reader leaves after the first line.
    let outcome = try PtyHarness.closingThePipe([gigatop(), "demo"], after: 120)
    #expect(outcome.head.hasPrefix(#"{"type":"site""#))
    expectNoCrashMessage(outcome, "demo | head -1")
    expectCleanPipeEnd(outcome, "demo | head -1")
  }

  @Test(.enabled(if: PtyHarness.isAvailable, "python3 is not installed"))
  func summaryAndSnapshotIntoAClosedPipeDoNotCrash() throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n" + Self.rack("R1", slot: 1) + "\n", to: "f.ndjson")
    // `summary --json | head -c 10`: the output fits the pipe's buffer, so it is all written first.
    let small = try PtyHarness.closingThePipe([gigatop(), "summary", feed, "--json"], after: 10)
    #expect(small.head.hasPrefix("{"))
    expectCleanPipeEnd(small, "summary --json | head -c 10")
    expectNoCrashMessage(small, "summary --json | head -c 10")
    // The reader gone before anything is written (the worst case of `| head`).
    for arguments in [
      ["summary", feed, "--json"], ["summary", feed], ["snapshot", feed], ["validate", feed],
    ] {
      let outcome = try PtyHarness.closingThePipe([gigatop()] + arguments, after: 0)
      expectNoCrashMessage(outcome, arguments.joined(separator: " "))
      #expect(outcome.signal == nil, "\(arguments.first ?? ""): killed by signal \(outcome.signal ?? 0)")
    }
  }

  @Test(.enabled(if: PtyHarness.isAvailable, "python3 is not installed"))
  func theLiveAppIgnoresSIGPIPE() throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n" + Self.rack("R1", slot: 1) + "\n", to: "f.ndjson")
    let outcome = try PtyHarness.underPty([gigatop(), feed], seconds: 3, signals: [("SIGPIPE", 1.5)])
    #expect(outcome.aliveAfterSignals == true, "SIGPIPE killed the live app (signal \(outcome.signal ?? 0))")
    #expect(outcome.status == 0)
    #expect(occurrences(of: Array("\u{1B}[?1049l".utf8), in: outcome.output) > 0)
  }

  // MARK: - Signals and crashes restore the terminal

  @Test(
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed"),
    arguments: [
      ("SIGHUP", SIGHUP), ("SIGINT", SIGINT), ("SIGQUIT", SIGQUIT), ("SIGTERM", SIGTERM),
      ("SIGSEGV", SIGSEGV),
      ("SIGABRT", SIGABRT), ("SIGBUS", SIGBUS), ("SIGFPE", SIGFPE), ("SIGILL", SIGILL), ("SIGTRAP", SIGTRAP),
    ])
  func aSignalRestoresTheTerminal(_ name: String, _ signal: Int32) throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n" + Self.rack("R1", slot: 1) + "\n", to: "f.ndjson")
    let session = try TmuxSession(
      arguments: [gigatop(), feed], environment: ["SWIFT_BACKTRACE": "enable=no"], width: 120, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10) { $0.contains("Racks") && $0.contains("Power") } != nil)
    let pid = try #require(session.waitForProcessID())
    #expect(kill(pid, signal) == 0)
    let status = try #require(session.waitForExit(timeout: 10), "\(name): gigatop did not exit")
    #expect(status == 128 + signal || status == 0, "\(name): exit status \(status)")
    #expect(session.terminalRestored == true, "\(name): terminal modes not restored")
    let screen = try #require(session.waitFor(timeout: 5) { $0.contains("EXIT=") })
    #expect(!screen.contains("Readiness"), "\(name): the dashboard is still on screen")
  }

  /// A feed that once crashed the live app while drawing (cap_mw 1e300: a Swift trap, after which
  /// the handler left the alternate screen). The decoder now rejects the value, so the app runs; if
  /// it ever traps again, the alternate screen must still be left.
  @Test(.enabled(if: PtyHarness.isAvailable, "python3 is not installed"))
  func aFeedThatOnceCrashedTheScreenRunsOrRestoresTheTerminal() throws {
    let folder = try Folder()
    let feed = try folder.write(
      Self.site + "\n"
        + #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"g","kind":"grid","cap_mw":1e300,"status":"online"}"#
        + "\n", to: "crash.ndjson")
    let outcome = try PtyHarness.underPty([gigatop(), feed], seconds: 3)
    let bytes = outcome.output
    let entered = Array("\u{1B}[?1049h".utf8)
    let left = Array("\u{1B}[?1049l".utf8)
    #expect(occurrences(of: entered, in: bytes) > 0, "curses never started")
    #expect(
      occurrences(of: left, in: bytes) == occurrences(of: entered, in: bytes),
      "the alternate screen was not left")
    if let signal = outcome.signal {
      #expect([SIGILL, SIGTRAP, SIGABRT, SIGSEGV].contains(Int32(signal)), "ended by signal \(signal)")
    } else {
      #expect(outcome.status == 0)
    }
  }

  // MARK: - Failing sources, as the status bar shows them

  @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
  func theStatusBarSaysWhenAFileIsDeletedAndPicksUpItsReplacement() throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n" + Self.rack("R1", slot: 1) + "\n", to: "bms.ndjson")
    let session = try TmuxSession(arguments: [gigatop(), feed], width: 160, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10) { $0.contains("Readiness") } != nil)
    #expect(unlink(feed) == 0)
    #expect(
      session.waitFor(text: "deleted", timeout: 5),
      "no 'deleted' on the status bar:\n\((try? session.capture()) ?? "")")
    try folder.write(Self.rack("R2", slot: 2) + "\n", to: "bms.ndjson")
    #expect(
      session.waitFor(text: "replaced", timeout: 5), "no 'replaced':\n\((try? session.capture()) ?? "")")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
  func theStatusBarSaysWhenStandardInputCloses() throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n" + Self.rack("R1", slot: 1) + "\n", to: "in.ndjson")
    let session = try TmuxSession(
      arguments: ["/bin/sh", "-c", "cat \(TmuxSession.quote(feed)) | \(TmuxSession.quote(try gigatop())) -"],
      width: 160, height: 40)
    defer { session.stop() }
    let screen = session.waitFor(timeout: 10) { $0.contains("stdin") && $0.contains("closed") }
    #expect(screen != nil, "no 'stdin … closed':\n\((try? session.capture()) ?? "")")
    #expect(screen?.contains("Memphis-1") == true, "the piped lines were not applied")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
  func aFIFOsWriterLeavingAndComingBackIsShown() throws {
    let folder = try Folder()
    let fifo = folder.path("live.fifo")
    #expect(mkfifo(fifo, 0o644) == 0)
    let session = try TmuxSession(arguments: [gigatop(), fifo], width: 160, height: 40)
    defer { session.stop() }
    try #require(session.waitFor(timeout: 10) { $0.contains("Readiness") } != nil)
    func send(_ text: String) throws {
      // Blocks until gigatop has the FIFO open for reading, like any writer would.
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fifo))
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    }
    try send(Self.site + "\n")
    #expect(
      session.waitFor(timeout: 5) { $0.contains("Memphis-1") && $0.contains("closed") } != nil,
      "no 'closed' after the writer left:\n\((try? session.capture()) ?? "")")
    try send(#"{"type":"site","ts":"2024-05-04T00:00:00Z","name":"Back-again"}"# + "\n")
    #expect(session.waitFor(text: "Back-again", timeout: 5), "the second writer's line was not read")
    try session.sendKeys("q")
    #expect(session.waitForExit(timeout: 10) == 0)
  }

  /// chmod 000 as a user it applies to: tests run as root, so run gigatop as `nobody` with setpriv.
  @Test(
    .enabled(if: geteuid() == 0 && TmuxSession.findExecutable("setpriv") != nil, "needs root and setpriv"))
  func anUnreadableFileIsReportedByValidate() throws {
    let folder = try Folder()
    let feed = try folder.write(Self.site + "\n", to: "locked.ndjson")
    #expect(chmod(feed, 0) == 0)
    let setpriv = try #require(TmuxSession.findExecutable("setpriv"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: setpriv)
    process.arguments = [
      "--reuid=65534", "--regid=65534", "--clear-groups", "--", try gigatop(), "validate", feed,
    ]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(!errors.contains("setpriv:"), "setpriv could not run gigatop as nobody: \(errors)")
    #expect(process.terminationStatus == 1)
    #expect(text.contains("locked.ndjson:0: cannot read: permission denied"), "\(text)\(errors)")
  }

  // MARK: - Values that once crashed gigatop

  /// A feed whose last line once ended gigatop with a trap (an Int conversion, an overflowing
  /// product, a terabyte slot table), and the field its rejection names.
  struct ExtremeValue: Sendable, CustomTestStringConvertible {
    let label: String
    let lines: [String]
    let field: String
    var testDescription: String { label }
  }

  static let extremeValues: [ExtremeValue] = [
    ExtremeValue(label: "ts 1e300", lines: [#"{"type":"job","ts":1e300,"state":"queued"}"#], field: "ts"),
    ExtremeValue(
      label: "ts -1e300", lines: [site, #"{"type":"job","ts":-1e300,"state":"queued"}"#], field: "ts"),
    ExtremeValue(
      label: "nodes_per_rack 1e12",
      lines: [
        site, rack("R", slot: 1),
        #"{"type":"site","ts":"2024-06-01T00:00:00Z","nodes_per_rack":1000000000000}"#,
      ], field: "nodes_per_rack"),
    ExtremeValue(
      label: "gpus_per_node x nodes_per_rack",
      lines: [
        #"{"type":"site","ts":1e9,"gpus_per_node":8000000000000000,"nodes_per_rack":8000000000000000}"#
      ],
      field: "gpus_per_node"),
    ExtremeValue(
      label: "facility_mw 1e300",
      lines: [site, #"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":1e300}"#],
      field: "facility_mw"),
    ExtremeValue(
      label: "cap_mw 1e300",
      lines: [
        site,
        #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"g","kind":"grid","cap_mw":1e300,"status":"online"}"#,
      ], field: "cap_mw"),
    ExtremeValue(
      label: "shipment eta 1e300",
      lines: [
        site,
        #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"S","gpus":10,"status":"allocated","eta":1e300}"#,
      ],
      field: "eta"),
    ExtremeValue(
      label: "lead_time_days 1e300",
      lines: [site, #"{"type":"supply","ts":"2024-06-01T00:00:00Z","sku":"a","lead_time_days":1e300}"#],
      field: "lead_time_days"),
    ExtremeValue(
      label: "deadline 1e300",
      lines: [site, #"{"type":"site","ts":"2024-06-01T00:00:00Z","deadline":1e300}"#],
      field: "deadline"),
    ExtremeValue(
      label: "rows x racks_per_row",
      lines: [
        site,
        #"{"type":"site","ts":"2024-06-01T00:00:00Z","halls":[{"id":"A","rows":8000000000000000,"racks_per_row":8000000000000000}]}"#,
      ], field: "rows"),
  ]

  /// Each is rejected by `validate` with its field named, and no command traps on it.
  @Test(arguments: extremeValues)
  func extremeValuesAreRejectedNotFatal(_ value: ExtremeValue) throws {
    let folder = try Folder()
    let feed = try folder.write(value.lines.joined(separator: "\n") + "\n", to: "x.ndjson")
    let output = folder.path("out.txt")
    for command in ["validate", "summary", "snapshot"] {
      // Under a 4 GB address-space limit, in case a slot table of terabytes is asked for again.
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = [
        "-c", "ulimit -v 4000000; exec \"$0\" \"$@\" > \"$OUT\"", try gigatop(), command, feed,
      ]
      process.environment = [
        "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no", "OUT": output,
      ]
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      #expect(
        process.terminationReason == .exit,
        "\(command) \(value.label): killed by signal \(process.terminationStatus)")
      if command == "validate" {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1)
        #expect(
          text.contains("x.ndjson:\(value.lines.count): field ") && text.contains(value.field), "\(text)")
      }
    }
  }
}
