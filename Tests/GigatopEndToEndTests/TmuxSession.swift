import Foundation
import GigatopTestSupport

/// One command running in a detached tmux pane, driven like a person would: type keys, read the screen, resize.
///
/// Each session has its own tmux server (`-L` with a unique socket under a
/// temporary directory, `-f /dev/null` so no user config applies); the server
/// is killed and the directory removed by `stop()` or on deinit.
///
/// The command runs through a wrapper script that records, in the temporary
/// directory, the command's pid, its exit status, and whether the terminal
/// modes (`stty -g`) are the same after it as before. After the command ends
/// the wrapper prints `EXIT=<status>` and sleeps, so the pane stays readable.
/// The command gets a clean environment: PATH, HOME, `TERM=xterm-256color`,
/// `LANG=C.UTF-8`, plus `environment` (which may override TERM).
final class TmuxSession {
  /// The tmux executable, if installed.
  static let tmuxPath: String? = findExecutable("tmux")

  /// Whether tmux is installed, so end-to-end tests can run.
  static var isAvailable: Bool { tmuxPath != nil }

  let width: Int
  let height: Int
  /// The temporary directory with the wrapper script and the files it writes.
  let directory: URL
  private let socket: String
  private let tmux: String
  private var stopped = false

  /// Starts `arguments` (an executable and its arguments) in a new detached pane of `width` x `height`.
  init(
    arguments: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 40
  ) throws {
    guard let tmux = Self.tmuxPath else { throw Failure("tmux is not installed") }
    self.tmux = tmux
    self.width = width
    self.height = height
    let unique = UUID().uuidString.prefix(8).lowercased()
    socket = "gigatop-e2e-\(unique)"
    directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gigatop-e2e-\(unique)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

    var commandEnvironment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
      "TERM": "xterm-256color",
      "LANG": "C.UTF-8",
    ]
    commandEnvironment.merge(environment) { _, new in new }
    let environmentWords = commandEnvironment.sorted { $0.key < $1.key }.map {
      Self.quote("\($0.key)=\($0.value)")
    }
    let dir = Self.quote(directory.path)
    let script = """
      saved=$(stty -g 2>/dev/null)
      sh -c 'echo $$ > "$0"; exec "$@"' \(dir)/pid env -i \(environmentWords.joined(separator: " ")) \
      \(arguments.map(Self.quote).joined(separator: " "))
      status=$?
      if [ "$(stty -g 2>/dev/null)" = "$saved" ]; then echo restored > \(dir)/tty; else echo changed > \(dir)/tty; fi
      echo "$status" > \(dir)/status.tmp && mv \(dir)/status.tmp \(dir)/status
      echo "EXIT=$status"
      exec sleep 600

      """
    let scriptURL = directory.appendingPathComponent("run.sh")
    try script.write(to: scriptURL, atomically: true, encoding: .utf8)
    try run([
      "new-session", "-d", "-s", "e2e", "-x", String(width), "-y", String(height),
      "sh \(Self.quote(scriptURL.path))",
    ])
  }

  deinit { stop() }

  // MARK: - Driving

  /// Sends keys by tmux name: `q`, `?`, `Escape`, `C-c`, `Enter`, `Up`, `F1`.
  func sendKeys(_ keys: String...) throws {
    try run(["send-keys", "-t", "e2e"] + keys)
  }

  /// Types text literally.
  func type(_ text: String) throws {
    try run(["send-keys", "-t", "e2e", "-l", text])
  }

  /// The visible screen as text, one line per row; with `escapes`, colours and attributes as SGR sequences.
  func capture(escapes: Bool = false) throws -> String {
    try run(["capture-pane", "-p", "-t", "e2e"] + (escapes ? ["-e"] : []))
  }

  /// Resizes the window (the pane gets SIGWINCH).
  func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", "e2e", "-x", String(width), "-y", String(height)])
  }

  /// Polls the screen every 50 ms until `condition` holds; returns that screen, or nil after `timeout` seconds.
  @discardableResult
  func waitFor(timeout: Double = 10, _ condition: (String) -> Bool) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if let screen = try? capture(), condition(screen) { return screen }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return nil
  }

  /// Waits until the screen shows `text`; returns whether it did within `timeout` seconds.
  @discardableResult
  func waitFor(text: String, timeout: Double = 10) -> Bool {
    waitFor(timeout: timeout) { $0.contains(text) } != nil
  }

  // MARK: - Outcome

  /// The command's exit status (128+n when killed by signal n), or nil while it runs.
  var exitStatus: Int32? {
    guard let text = read("status") else { return nil }
    return Int32(text)
  }

  /// Waits for the command to end; its exit status, or nil after `timeout` seconds.
  func waitForExit(timeout: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if let status = exitStatus { return status }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return nil
  }

  /// Whether the terminal modes after the command were those before it; nil while it runs.
  var terminalRestored: Bool? {
    read("tty").map { $0 == "restored" }
  }

  /// The command's process id (it is exec'd, so this is the app itself); nil until it starts.
  var processID: pid_t? {
    read("pid").flatMap { pid_t($0) }
  }

  /// Waits up to `timeout` seconds for the command's pid.
  func waitForProcessID(timeout: Double = 5) -> pid_t? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if let pid = processID { return pid }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return nil
  }

  /// Kills the tmux server (and with it the command) and removes the temporary directory. Idempotent.
  func stop() {
    guard !stopped else { return }
    stopped = true
    _ = try? run(["kill-server"])
    if let pid = processID, exitStatus == nil { kill(pid, SIGKILL) }
    try? FileManager.default.removeItem(at: directory)
  }

  // MARK: - Internals

  /// A file written by the wrapper, trimmed; nil if absent.
  private func read(_ name: String) -> String? {
    guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
      return nil
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Runs one tmux command against this session's server; returns its standard output.
  ///
  /// Output goes to files, not pipes: the tmux server forked by `new-session`
  /// keeps the client's output descriptors open, so reading a pipe to its end
  /// would wait for the server to exit. See `Subprocess` for why not `Process`.
  @discardableResult
  private func run(_ arguments: [String]) throws -> String {
    let outputURL = directory.appendingPathComponent("tmux.out")
    let errorURL = directory.appendingPathComponent("tmux.err")
    let status = try Subprocess.run(
      tmux, arguments: ["-L", socket, "-f", "/dev/null"] + arguments,
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "SHELL": "/bin/sh",
      ],
      standardOutput: outputURL.path, standardError: errorURL.path, timeout: 10)
    let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    guard status == 0 else {
      let message = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
      throw Failure("tmux \(arguments.joined(separator: " ")) failed: \(message)")
    }
    return text
  }

  /// A word quoted for sh.
  static func quote(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The first executable named `name` on PATH (or in /usr/bin, /usr/local/bin).
  static func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
    for directory in directories {
      let candidate = (directory as NSString).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// A tmux command that did not work.
  struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }
}
