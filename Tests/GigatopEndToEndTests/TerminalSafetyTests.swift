import Foundation
import Testing

/// Runs commands for the hardening tests with python3: under a pseudo-terminal whose raw output
/// bytes are kept, or with standard output to a pipe that is closed early. The child starts with
/// no signal blocked and SIGPIPE at its default action: the test thread's blocked signals and
/// Python's ignored SIGPIPE would otherwise pass through exec and hide a death by SIGPIPE.
enum PtyHarness {
  static let python: String? = TmuxSession.findExecutable("python3")
  static var isAvailable: Bool { python != nil }

  static let script = #"""
    import json, os, select, signal, struct, subprocess, sys, time, fcntl, termios

    def child_env():
        return {"TERM": "xterm-256color", "LANG": "C.UTF-8",
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
                "SWIFT_BACKTRACE": "enable=no"}

    def reset_signals():
        # Test threads block most signals and Python ignores SIGPIPE; both would pass through exec.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for s in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(s, signal.SIG_DFL)

    def pty_mode(out_path, seconds, cols, rows, signals, argv):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        pid = os.fork()
        if pid == 0:
            os.close(master)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            if slave > 2:
                os.close(slave)
            reset_signals()
            os.execve(argv[0], argv, child_env())
        os.close(slave)
        data = bytearray()
        result = {"alive_after_signals": None}

        def pump(until):
            while time.time() < until:
                r, _, _ = select.select([master], [], [], 0.05)
                if r:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        return False
                    if not chunk:
                        return False
                    data.extend(chunk)
            return True

        start = time.time()
        for name, at in signals:
            pump(start + at)
            try:
                os.kill(pid, getattr(signal, name))
            except ProcessLookupError:
                pass
        ended = not pump(start + seconds)
        done, status = os.waitpid(pid, os.WNOHANG)
        # The terminal closed: the process is on its way out; give it a moment to be reaped.
        deadline = time.time() + 5
        while ended and done == 0 and time.time() < deadline:
            time.sleep(0.02)
            done, status = os.waitpid(pid, os.WNOHANG)
        if signals:
            result["alive_after_signals"] = done == 0
        if done == 0:
            os.write(master, b"q")
            deadline = time.time() + 10
            while time.time() < deadline:
                pump(time.time() + 0.1)
                done, status = os.waitpid(pid, os.WNOHANG)
                if done != 0:
                    break
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                result["killed"] = True
        pump(time.time() + 0.2)
        with open(out_path, "wb") as f:
            f.write(bytes(data))
        result["status"] = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        result["signal"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        print(json.dumps(result))

    def pipe_mode(count, argv):
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             env=child_env(), restore_signals=True, preexec_fn=reset_signals)
        head = p.stdout.read(count)
        p.stdout.close()
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        rc = p.returncode
        print(json.dumps({"status": rc if rc >= 0 else None, "signal": -rc if rc < 0 else None,
                          "head": head.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}))

    mode = sys.argv[1]
    split = sys.argv.index("--")
    options, argv = sys.argv[2:split], sys.argv[split + 1:]
    if mode == "pty":
        signals = [(o.split(":")[0], float(o.split(":")[1])) for o in options[4:]]
        pty_mode(options[0], float(options[1]), int(options[2]), int(options[3]), signals, argv)
    else:
        pipe_mode(int(options[0]), argv)
    """#

  /// What a run ended with.
  struct Outcome {
    var status: Int?
    var signal: Int?
    var aliveAfterSignals: Bool?
    var killed = false
    var head = ""
    var stderr = ""
    var output: [UInt8] = []
  }

  static func runScript(_ arguments: [String]) throws -> [String: Any] {
    let python = try #require(python, "python3 is not installed")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-pty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let scriptPath = folder.appendingPathComponent("harness.py")
    try script.write(to: scriptPath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [scriptPath.path] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return try #require(object, "harness said: \(String(decoding: data, as: UTF8.self))")
  }

  /// Runs `argv` on a `cols`x`rows` pseudo-terminal for `seconds`, sending `signals` (name, at second)
  /// on the way, then `q`; returns every byte it wrote to the terminal.
  static func underPty(
    _ argv: [String], seconds: Double, cols: Int = 160, rows: Int = 50, signals: [(String, Double)] = []
  ) throws -> Outcome {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-pty-\(UUID().uuidString).bin")
    defer { try? FileManager.default.removeItem(at: out) }
    let options = [out.path, String(seconds), String(cols), String(rows)] + signals.map { "\($0.0):\($0.1)" }
    let result = try runScript(["pty"] + options + ["--"] + argv)
    var outcome = Outcome()
    outcome.status = result["status"] as? Int
    outcome.signal = result["signal"] as? Int
    outcome.aliveAfterSignals = result["alive_after_signals"] as? Bool
    outcome.killed = result["killed"] as? Bool ?? false
    outcome.output = Array(try Data(contentsOf: out))
    return outcome
  }

  /// Runs `argv` with standard output to a pipe, reads `count` bytes, closes the pipe, waits.
  static func closingThePipe(_ argv: [String], after count: Int) throws -> Outcome {
    let result = try runScript(["pipe", String(count), "--"] + argv)
    var outcome = Outcome()
    outcome.status = result["status"] as? Int
    outcome.signal = result["signal"] as? Int
    outcome.head = result["head"] as? String ?? ""
    outcome.stderr = result["stderr"] as? String ?? ""
    return outcome
  }
}

/// Counts a byte sequence in bytes.
func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
  guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
  var count = 0
  var i = 0
  while i <= haystack.count - needle.count {
    if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle {
      count += 1
      i += needle.count
    } else {
      i += 1
    }
  }
  return count
}

/// Strings from a feed never reach the terminal as control characters, escape sequences or bidi
/// overrides: checked on the bytes the real `gigatop` writes (live, under a pseudo-terminal) and
/// on the output of `snapshot`, `summary` and `validate`.
@Suite(
  .serialized, .enabled(if: PtyHarness.isAvailable, "python3 is not installed: terminal safety tests skipped")
)
struct TerminalSafetyTests {
  /// Escapes written as JSON `\u` escapes: CSI clear screen, OSC 52 (clipboard write), C1 CSI, a
  /// cursor position request (answered by the terminal as if typed), bidi overrides and isolates,
  /// DEL, BEL and NUL.
  static let escaped =
    #"EVIL\u001b[2J\u001b]52;c;aGVsbG8=\u0007\u009b31m\u001b[6n\u202egnp.exe\u2066x\u2069\u202a\u202b\u202c\u202d\u007f\u0000"#
  /// The same kinds of characters written raw in the UTF-8 text (JSON only requires escaping below U+0020).
  static let raw = "RAW\u{9B}32m\u{202E}fdp.exe\u{7F}\u{2067}y"
  static let evil = escaped + raw

  /// A feed with the evil text in every string a feed can carry; the last line is rejected and
  /// its reason quotes the bad value.
  static func evilFeed() -> String {
    let e = evil
    return [
      #"{"type":"site","ts":"2024-05-03T00:00:00Z","id":"S\#(e)","name":"Site\#(e)","target_gpus":256,"deadline":"2024-09-02T00:00:00Z","gpu_model":"G\#(e)","gpus_per_node":8,"nodes_per_rack":4,"halls":[{"id":"A","name":"Hall\#(e)","rows":1,"racks_per_row":8}],"job":{"id":"job\#(e)","gpus":192}}"#,
      #"{"type":"rack","ts":"2024-06-01T00:00:00Z","id":"R\#(e)","hall":"A","row":1,"slot":1,"stage":"racked","pod":"P\#(e)","note":"note\#(e)"}"#,
      #"{"type":"node","ts":"2024-06-01T00:00:00Z","id":"N\#(e)","rack":"R\#(e)","slot":1,"stage":"burnin","reason":"reason\#(e)"}"#,
      #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"N\#(e)","index":0,"state":"failed","serial":"SN\#(e)"}"#,
      #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"SH\#(e)","po":"PO\#(e)","vendor":"V\#(e)","sku":"K\#(e)","gpus":64,"status":"in_transit","eta":"2024-07-01T00:00:00Z"}"#,
      #"{"type":"supply","ts":"2024-06-01T00:00:00Z","sku":"K\#(e)","needed":256}"#,
      #"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":1.5,"it_mw":1.2,"halls":{"A\#(e)":1.2}}"#,
      #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"P\#(e)","kind":"grid","cap_mw":8,"status":"online"}"#,
      #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"G\#(e)","name":"Gate\#(e)","status":"running","detail":"detail\#(e)"}"#,
      #"{"type":"job","ts":"2024-06-01T00:00:00Z","id":"job\#(e)","state":"queued"}"#,
      #"{"type":"alert","ts":"2024-06-02T00:00:00Z","severity":"crit","ref":"ref\#(e)","msg":"alert\#(e)"}"#,
      #"{"type":"rack","ts":"2024-06-03T00:00:00Z","id":"R2","hall":"A","row":1,"slot":2,"stage":"bogus\#(e)"}"#,
    ].joined(separator: "\n") + "\n"
  }

  /// Byte sequences that must never be in the output: the injected sequences and characters.
  static let forbidden: [(String, [UInt8])] = [
    ("OSC 52", [0x1B, 0x5D, 0x35, 0x32]), ("cursor position request", Array("\u{1B}[6n".utf8)),
    ("C1 CSI", [0xC2, 0x9B]), ("U+202E", [0xE2, 0x80, 0xAE]), ("U+202A", [0xE2, 0x80, 0xAA]),
    ("U+202B", [0xE2, 0x80, 0xAB]), ("U+202C", [0xE2, 0x80, 0xAC]), ("U+202D", [0xE2, 0x80, 0xAD]),
    ("U+2066", [0xE2, 0x81, 0xA6]), ("U+2067", [0xE2, 0x81, 0xA7]), ("U+2069", [0xE2, 0x81, 0xA9]),
    ("DEL", [0x7F]), ("BEL", [0x07]), ("NUL", [0x00]), ("text then ESC", Array("EVIL\u{1B}".utf8)),
  ]

  /// Visible stand-ins that must be there instead.
  static let placeholders: [(String, String)] = [
    ("␛ for ESC", "␛"), ("␇ for BEL", "␇"), ("␡ for DEL", "␡"), ("␀ for NUL", "␀"),
    ("� for C1 and bidi", "�"),
    ("the text around them", "gnp.exe"), ("raw C1 and bidi", "RAW�32m�fdp.exe␡�y"),
  ]

  func gigatop() throws -> String {
    try #require(GigatopBinary.path, "the gigatop executable was not found next to the test bundle")
  }

  /// A folder with the evil feed, named with an escape sequence of its own; removed afterwards.
  final class EvilFolder {
    let folder: URL
    let feed: String
    init() throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "gigatop-safety-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      feed = folder.appendingPathComponent("feed\u{1B}]0;title\u{07}\u{202E}.ndjson").path
      try Data(TerminalSafetyTests.evilFeed().utf8).write(to: URL(fileURLWithPath: feed))
    }
    deinit { try? FileManager.default.removeItem(at: folder) }
  }

  /// Which escape sequences output may hold at all.
  enum Escapes { case none, colourOnly, curses }

  /// Runs a headless command; its standard output and standard error, and exit status.
  func run(_ arguments: [String]) throws -> (out: [UInt8], err: [UInt8], status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try gigatop())
    process.arguments = arguments
    process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (Array(outData), Array(errData), process.terminationStatus)
  }

  func expectSafe(
    _ bytes: [UInt8], _ what: String, escapes: Escapes, bidi: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (name, sequence) in Self.forbidden where bidi || !name.hasPrefix("U+") {
      let n = occurrences(of: sequence, in: bytes)
      #expect(n == 0, "\(what): \(name) sent \(n) times", sourceLocation: sourceLocation)
    }
    // No C1 control at all, however it got there.
    for c1 in UInt8(0x80)...UInt8(0x9F) {
      let n = occurrences(of: [0xC2, c1], in: bytes)
      #expect(
        n == 0, "\(what): C1 0x\(String(c1, radix: 16)) sent \(n) times", sourceLocation: sourceLocation)
    }
    switch escapes {
    case .none:
      #expect(!bytes.contains(0x1B), "\(what): an ESC byte in plain output", sourceLocation: sourceLocation)
    case .colourOnly:
      let text = String(decoding: bytes, as: UTF8.self)
      let all = text.unicodeScalars.filter { $0 == "\u{1B}" }.count
      let sgr = text.matches(of: /\x{1B}\[[0-9;]*m/).count
      #expect(
        all == sgr, "\(what): \(all - sgr) ESC not starting a colour (SGR) sequence",
        sourceLocation: sourceLocation)
    case .curses:
      break
    }
  }

  func expectPlaceholders(
    _ bytes: [UInt8], _ what: String, _ which: [(String, String)] = placeholders,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (name, text) in which {
      #expect(
        occurrences(of: Array(text.utf8), in: bytes) > 0, "\(what): no \(name)",
        sourceLocation: sourceLocation)
    }
  }

  @Test func theLiveScreenShowsPlaceholdersNotEscapes() throws {
    let files = try EvilFolder()
    let outcome = try PtyHarness.underPty([gigatop(), files.feed], seconds: 3)
    #expect(
      outcome.status == 0, "exit \(outcome.status.map(String.init) ?? "none"), signal \(outcome.signal ?? 0)")
    let bytes = outcome.output
    #expect(occurrences(of: Array("EVIL".utf8), in: bytes) > 0, "the feed's text was never drawn")
    #expect(
      occurrences(of: Array("\u{1B}]0;title".utf8), in: bytes) == 0, "the feed's name set the window title")
    // Curses sends its own cursor moves and attributes; none of the feed's sequences may get through.
    expectSafe(bytes, "live", escapes: .curses)
    expectPlaceholders(bytes, "live")
    #expect(occurrences(of: Array("bogus".utf8), in: bytes) > 0, "the rejection reason is not on screen")
    #expect(occurrences(of: Array("\u{1B}[?1049l".utf8), in: bytes) > 0, "the alternate screen was not left")
  }

  @Test func snapshotIsPlainTextWithPlaceholders() throws {
    let files = try EvilFolder()
    let plain = try run(["snapshot", files.feed, "--width", "160", "--height", "50"])
    #expect(plain.status == 0)
    expectSafe(plain.out, "snapshot", escapes: .none)
    expectSafe(plain.err, "snapshot stderr", escapes: .none)
    expectPlaceholders(plain.out, "snapshot")
    let coloured = try run(["snapshot", files.feed, "--width", "160", "--height", "50", "--color"])
    expectSafe(coloured.out, "snapshot --color", escapes: .colourOnly)
    expectPlaceholders(coloured.out, "snapshot --color")
  }

  @Test func validatePrintsReasonsSanitized() throws {
    let files = try EvilFolder()
    let result = try run(["validate", files.feed])
    #expect(result.status == 1)
    expectSafe(result.out, "validate", escapes: .none)
    expectSafe(result.err, "validate stderr", escapes: .none)
    let text = String(decoding: result.out, as: UTF8.self)
    #expect(
      text.contains(":12: field stage: unknown value \"bogusEVIL␛[2J␛]52;c;aGVsbG8=␇�31m␛[6n�gnp.exe"),
      "\(text)")
    #expect(text.hasPrefix(files.folder.path + "/feed␛]0;title␇�.ndjson:12:"), "\(text)")
  }

  @Test func summaryTextIsSanitized() throws {
    let files = try EvilFolder()
    let result = try run(["summary", files.feed])
    #expect(result.status == 0)
    expectSafe(result.out, "summary", escapes: .none)
    expectSafe(result.err, "summary stderr", escapes: .none)
    expectPlaceholders(result.out, "summary", [("␛ for ESC", "␛"), ("site name", "SiteEVIL␛[2J")])
  }

  /// JSON output escapes control characters (it stays valid JSON with the same strings), so a
  /// terminal showing it gets no escape sequence; bidi overrides are legal JSON text, though.
  @Test func summaryJSONEscapesControls() throws {
    let files = try EvilFolder()
    let result = try run(["summary", files.feed, "--json"])
    #expect(result.status == 0)
    expectSafe(result.out, "summary --json", escapes: .none, bidi: false)
    let parsed = try JSONSerialization.jsonObject(with: Data(result.out)) as? [String: Any]
    let site = try #require(parsed?["site"] as? [String: Any])
    #expect((site["name"] as? String)?.hasPrefix("SiteEVIL\u{1B}[2J") == true)
    let bidi = Self.forbidden.filter { $0.0.hasPrefix("U+") }.reduce(0) {
      $0 + occurrences(of: $1.1, in: result.out)
    }
    #expect(bidi == 0, "summary --json: \(bidi) raw bidi overrides or isolates")
  }
}
