import ArgumentParser
import GigatopModel
import GigatopNet
import GigatopTerminal
import GigatopView

/// `gigatop [FEED ...]`: the live dashboard (the default command).
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch feeds live (the default); with no FEED, play the built-in build-out.")

  @Argument(
    help:
      "Feeds to follow: NDJSON files (followed like tail -F), status documents, - for stdin, or http(s) URLs."
  )
  var feeds: [String] = []

  @Option(help: "Most redraws per second when data arrives.")
  var rate: Double = 4

  @Option(help: "Seconds without a line after which a feed is marked stale.")
  var stale: Double = 60

  @Option(
    help: "Demo speed: feed seconds per wall second (default: the whole scenario in about two minutes).")
  var speed: Double?

  @Option(
    help: "Record every line read (and keyframes) to this file, appending; play it with `gigatop replay`.")
  var record: String?

  @Flag(name: .customLong("no-color"), help: "No colour: glyphs and attributes carry the meaning.")
  var noColor = false

  @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal.")
  var noMouse = false

  @OptionGroup var common: FeedOptions
  @OptionGroup var http: HTTPOptions
  @OptionGroup var look: LookOptions

  func validate() throws {
    guard rate > 0, rate <= 120 else {
      throw ValidationError("--rate must be between 0 and 120 redraws a second")
    }
    guard stale > 0 else { throw ValidationError("--stale must be more than 0 seconds") }
    if let speed, !(speed > 0 && speed <= 1e9) { throw ValidationError("--speed must be between 0 and 1e9") }
  }

  func run() throws {
    let httpOptions = try http.resolve(maxLine: common.maxLine)
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal.open(colors: !noColor, mouse: !noMouse)
    } catch let error as TerminalError {
      FeedErrorReport.standardError(error.description + "\n")
      throw ExitCode(error.exitCode)
    }
    let appearance = Appearance.resolve(
      look, unicode: terminal.unicode, colors: !noColor && terminal.colorCount > 0,
      depth: ColorDepth(colorCount: terminal.colorCount))
    var app = LiveApp(
      terminal: terminal, appearance: appearance, rate: rate, staleAfter: stale, maxLine: common.maxLine)
    if let record { app.record(to: record) }
    if feeds.isEmpty {
      app.startDemo(speed: speed)
    } else {
      do {
        try app.follow(paths: feeds, http: httpOptions)
      } catch let error as HTTPFeedSource.SetupError {
        terminal.close()
        FeedErrorReport.standardError("gigatop: \(error.description)\n")
        throw ExitCode(2)
      }
    }
    app.run()
    terminal.close()
    for warning in appearance.warnings { FeedErrorReport.standardError("gigatop: \(warning)\n") }
    if let failure = app.recorder?.failure { FeedErrorReport.standardError("gigatop: \(failure)\n") }
  }
}
