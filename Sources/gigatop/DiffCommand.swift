import ArgumentParser
import GigatopModel

/// `gigatop diff FEED --from T1 --to T2`: what changed in the build-out between two feed times.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Print what changed between two feed times: racks, pool, shipments, power, gates, crit alerts.")

  @Argument(help: "Feeds or recordings to read.")
  var feeds: [String]

  @Option(help: "The earlier feed time (default: 24 feed hours before --to).")
  var from: String?

  @Option(help: "The later feed time (default: the end of the feeds).")
  var to: String?

  @Flag(help: "Print JSON.")
  var json = false

  @OptionGroup var common: FeedOptions

  func validate() throws {
    if feeds.isEmpty { throw ValidationError("name at least one FEED") }
    for (name, value) in [("--from", from), ("--to", to)] {
      if let value, Timestamp.parseArgument(value) == nil {
        throw ValidationError(
          "\(name) \(value): not a time (use 2024-07-22T04:20:00Z, 2024-07-22, or Unix seconds)")
      }
    }
  }

  func run() throws {
    let later = FeedIntake.load(
      paths: feeds, until: to.flatMap(Timestamp.parseArgument), maxLine: common.maxLine)
    let end = later.state.now ?? 0
    let start = from.flatMap(Timestamp.parseArgument) ?? (end - 86_400)
    let earlier = FeedIntake.load(paths: feeds, until: start, maxLine: common.maxLine)
    let changes = StateChanges(from: earlier.state, to: later.state)
    if json {
      print(changes.json())
    } else {
      print(changes.lines(listLimit: 20).joined(separator: "\n"))
    }
    FeedErrorReport.printWarnings(later)
    KeptUntilExit.keep(earlier)
    KeptUntilExit.keep(later)
  }
}
