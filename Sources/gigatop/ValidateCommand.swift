import ArgumentParser
import GigatopModel
import GigatopView

/// `gigatop validate`: checks feeds line by line against format v1.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check feeds against format v1: print FEED:LINE: reason per rejected line; exit 1 if any.")

  @Argument(help: "Feeds to check.")
  var feeds: [String]

  @OptionGroup var common: FeedOptions

  func validate() throws {
    if feeds.isEmpty { throw ValidationError("name at least one FEED") }
  }

  func run() throws {
    var rejected = 0
    var lines = 0
    for path in feeds {
      var intake = FeedIntake(feedNames: [path == "-" ? "stdin" : path])
      let source = FeedSource(path: path, maxLine: common.maxLine)
      // Applying, not just decoding, so that rules needing earlier lines (links_up against an
      // earlier links_total, a rack's first placement) are checked too.
      source.readAll { event in
        if let error = intake.apply(event, feed: 0) { print(TextWidth.sanitized(error.description)) }
      }
      for feed in intake.feeds {
        lines += feed.counters.lines
        rejected += feed.counters.rejected
      }
    }
    FeedErrorReport.standardError("\(lines) lines read, \(rejected) rejected\n")
    if rejected > 0 { throw ExitCode(1) }
  }
}
