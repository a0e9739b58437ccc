import ArgumentParser
import Foundation
import GigatopModel
import GigatopView

/// `gigatop snapshot`: the dashboard as text, drawn by the same renderer as the live screen.
struct SnapshotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Print the dashboard as plain text (no terminal needed).")

  @OptionGroup var input: HeadlessFeedOptions

  @Option(help: "Width in columns.")
  var width: Int = 120

  @Option(help: "Height in rows.")
  var height: Int = 40

  @Flag(help: "Emit ANSI colour sequences using the theme (none when NO_COLOR is set).")
  var color = false

  @Option(
    name: .customLong("color-depth"),
    help: "Colours --color may use: 24bit, 256, 16, 8 or none; each theme colour becomes the nearest.")
  var colorDepth: String = "24bit"

  @OptionGroup var look: LookOptions

  @Option(help: "A drill-down view instead of the dashboard: floor, rack:ID, node:ID or stuck.")
  var view: String?

  @Option(help: .hidden)
  var timeFrames: Int?

  func validate() throws {
    guard ColorDepth(argument: colorDepth) != nil else {
      throw ValidationError("--color-depth \(colorDepth): use 24bit, 256, 16, 8 or none")
    }
    guard (1...1000).contains(width), (1...1000).contains(height) else {
      throw ValidationError("--width and --height must be between 1 and 1000")
    }
  }

  func run() throws {
    let intake = input.load()
    let depth = ColorDepth(argument: colorDepth) ?? .trueColor
    // Plain text has no colour to turn off: NO_COLOR only matters with --color.
    var environment = ProcessInfo.processInfo.environment
    if !color { environment["NO_COLOR"] = nil }
    let appearance = Appearance.resolve(
      look, unicode: !look.ascii, colors: !color || depth != .noColor, depth: depth, environment: environment)
    for warning in appearance.warnings { FeedErrorReport.standardError("gigatop: \(warning)\n") }
    var viewState = ViewState()
    if let view {
      do {
        viewState = try DrillSnapshot.viewState(view, state: intake.state, width: width, height: height)
      } catch {
        FeedErrorReport.standardError("gigatop: \(error.description)\n")
        throw ExitCode(2)
      }
    }
    let frame = DashboardInput(
      state: intake.state, view: viewState, mode: .snapshot, feeds: intake.feeds, theme: appearance.theme,
      glyphs: appearance.glyphs)
    if let timeFrames { DrillSnapshot.timeFrames(frame, width: width, height: height, count: timeFrames) }
    let canvas = Dashboard.render(frame, width: width, height: height)
    print(color ? canvas.ansiText(depth: appearance.colorDepth) : canvas.plainText(), terminator: "")
    FeedErrorReport.printWarnings(intake)
    KeptUntilExit.keep(intake)
  }
}
