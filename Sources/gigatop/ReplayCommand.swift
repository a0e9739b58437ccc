import ArgumentParser
import GigatopModel
import GigatopTerminal
import GigatopView

/// `gigatop replay FILE...`: plays recordings with their own timing, forwards and backwards.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Play recordings (merged by ts) in mode REPLAY: pause, step, seek back and forth.",
    discussion: """
      Keys: Space pause/resume, < > halve/double the speed, . , step one message, Right/Left seek by the
      step shown, 0-9 jump to that tenth, Home/End, :goto TIME, d what changed, ? all keys.
      """)

  @Argument(help: "Recordings to play (from `gigatop --record`, or any NDJSON feed).")
  var files: [String]

  @Option(
    help: "Feed seconds per wall second, 1 to 1000000 (default: fits the recording into about two minutes).")
  var speed: Double?

  @Option(help: "Start at this feed time (RFC 3339, a date, or Unix seconds).")
  var from: String?

  @Flag(help: "Start paused.")
  var paused = false

  @Option(
    name: .customLong("idle-limit"),
    help: "Play gaps in feed time longer than this many seconds as this long.")
  var idleLimit: Double?

  @Option(help: "Most redraws per second while playing.")
  var rate: Double = 10

  @Flag(name: .customLong("no-color"), help: "No colour: glyphs and attributes carry the meaning.")
  var noColor = false

  @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal.")
  var noMouse = false

  @OptionGroup var look: LookOptions

  func validate() throws {
    if files.isEmpty { throw ValidationError("name at least one recording FILE") }
    if let speed, !ReplayScheduler.speeds.contains(speed) {
      throw ValidationError("--speed must be between 1 and 1000000")
    }
    if let from, Timestamp.parseArgument(from) == nil {
      throw ValidationError(
        "--from \(from): not a time (use 2024-07-22T04:20:00Z, 2024-07-22, or Unix seconds)")
    }
    if let idleLimit, !(idleLimit > 0) { throw ValidationError("--idle-limit must be more than 0 seconds") }
    guard rate > 0, rate <= 120 else {
      throw ValidationError("--rate must be between 0 and 120 redraws a second")
    }
    let unreadable = ReplayStream(paths: files).failures
    if let first = unreadable.first { throw ValidationError("cannot read \(first)") }
  }

  func run() throws {
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal.open(colors: !noColor, mouse: !noMouse)
    } catch let error as TerminalError {
      FeedErrorReport.standardError(error.description + "\n")
      throw ExitCode(error.exitCode)
    }
    let appearance = Appearance.resolve(
      look, unicode: terminal.unicode, colors: !noColor && terminal.colorCount > 0)
    var app = ReplayApp(
      terminal: terminal, appearance: appearance, paths: files, rate: rate, speed: speed, paused: paused,
      idleLimit: idleLimit)
    app.run(from: from.flatMap(Timestamp.parseArgument))
    terminal.close()
    for warning in appearance.warnings { FeedErrorReport.standardError("gigatop: \(warning)\n") }
  }
}
