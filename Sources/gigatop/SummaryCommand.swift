import ArgumentParser
import GigatopModel

/// `gigatop summary`: the build-out's figures as text or JSON.
struct SummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Print the build-out's figures (racks, GPUs, supply, power, readiness) as text or JSON.")

  @OptionGroup var input: HeadlessFeedOptions

  @Flag(help: "Print JSON (keys documented in the README).")
  var json = false

  func run() throws {
    // The summary shows no rack's history: reading skips it.
    let intake = input.load(keepHistory: false)
    let summary = Summary(intake.state)
    if json {
      print(
        SummaryReport.json(state: intake.state, summary: summary, counters: intake.state.counters),
        terminator: "")
    } else {
      print(SummaryText.render(state: intake.state, summary: summary), terminator: "")
    }
    FeedErrorReport.printWarnings(intake)
    KeptUntilExit.keep(intake)
  }
}
