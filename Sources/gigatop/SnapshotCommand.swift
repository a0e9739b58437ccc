import Foundation
import ArgumentParser
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
      look, unicode: !look.ascii, colors: !color || depth != .none, depth: depth, environment: environment)
    for warning in appearance.warnings { FeedErrorReport.standardError("gigatop: \(warning)\n") }
    let frame = DashboardInput(
      state: intake.state, mode: .snapshot, feeds: intake.feeds, theme: appearance.theme, glyphs: appearance.glyphs)
    let canvas = Dashboard.render(frame, width: width, height: height)
    print(color ? canvas.ansiText(depth: appearance.colorDepth) : canvas.plainText(), terminator: "")
    FeedErrorReport.printWarnings(intake)
  }
}
