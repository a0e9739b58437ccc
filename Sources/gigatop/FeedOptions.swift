import ArgumentParser
import GigatopModel

/// Options every command that reads feeds shares.
struct FeedOptions: ParsableArguments {
  @Option(name: .long, help: "Reject lines longer than this many bytes.")
  var maxLine: Int = 1 << 20
}

/// Options of the headless commands that read whole feeds.
struct HeadlessFeedOptions: ParsableArguments {
  @Argument(help: "Feeds to read: NDJSON files, status documents, or - for standard input.")
  var feeds: [String]

  @Option(name: .long, help: "Show the state as of this feed time (RFC 3339, a date, or Unix seconds).")
  var at: String?

  @OptionGroup var common: FeedOptions

  func validate() throws {
    if feeds.isEmpty { throw ValidationError("name at least one FEED (a path, or - for standard input)") }
    if let at, Timestamp.parseArgument(at) == nil {
      throw ValidationError("--at \(at): not a time (use 2024-07-22T04:20:00Z, 2024-07-22, or Unix seconds)")
    }
  }

  /// The `--at` time, parsed.
  var until: Double? { at.flatMap(Timestamp.parseArgument) }

  /// Reads every feed to its end (or to `--at`).
  func load() -> FeedIntake {
    FeedIntake.load(paths: feeds, until: until, maxLine: common.maxLine)
  }
}

/// Options for how the dashboard looks.
struct LookOptions: ParsableArguments {
  @Option(name: .long, help: "Theme name (a file themes/NAME.json).")
  var theme: String = "default"

  @Option(name: .long, help: "Directory to look for themes in first.")
  var themesDir: String?

  @Flag(name: .long, help: "Draw with plain ASCII glyphs.")
  var ascii = false
}
