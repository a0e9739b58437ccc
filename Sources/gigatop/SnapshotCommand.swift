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

  @Flag(help: "Emit ANSI colour sequences using the theme.")
  var color = false

  @OptionGroup var look: LookOptions

  func validate() throws {
    guard (1...1000).contains(width), (1...1000).contains(height) else {
      throw ValidationError("--width and --height must be between 1 and 1000")
    }
  }

  func run() throws {
    let intake = input.load()
    let appearance = Appearance.resolve(look, unicode: !look.ascii)
    for warning in appearance.warnings { FeedErrorReport.standardError("gigatop: \(warning)\n") }
    let frame = DashboardInput(
      state: intake.state, mode: .snapshot, feeds: intake.feeds, theme: appearance.theme, glyphs: appearance.glyphs)
    let canvas = Dashboard.render(frame, width: width, height: height)
    print(color ? canvas.ansiText() : canvas.plainText(), terminator: "")
    FeedErrorReport.printWarnings(intake)
  }
}
