import ArgumentParser
import GigatopModel
import GigatopNet

#if canImport(Glibc)
import Glibc
#endif

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

  /// Reads every feed to its end (or to `--at`); without the racks' event history when the
  /// command shows no rack view.
  func load(keepHistory: Bool = true) -> FeedIntake {
    FeedIntake.load(paths: feeds, until: until, maxLine: common.maxLine, keepHistory: keepHistory)
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

/// Options for feeds that are `http://` or `https://` URLs. The bearer token comes from
/// `GIGATOP_TOKEN` or `--token-file`, never from the command line.
struct HTTPOptions: ParsableArguments {
  @Option(name: .long, help: "Seconds between requests for a status document at a URL.")
  var poll: Double = 5

  @Option(name: .long, help: "Seconds to wait for a connection or for more data from a URL before retrying.")
  var timeout: Double = 30

  @Option(name: .customLong("ca-file"), help: "PEM file of extra certificate authorities to trust for https.")
  var caFile: String?

  @Option(
    name: .customLong("token-file"),
    help: "File whose first line is the bearer token for URLs (else $GIGATOP_TOKEN).")
  var tokenFile: String?

  func validate() throws {
    guard poll >= 0.1 else { throw ValidationError("--poll must be at least 0.1 seconds") }
    guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
  }

  /// The options for `HTTPFeedSource`, with the token read from the file or the environment.
  func resolve(maxLine: Int) throws -> HTTPFeedOptions {
    var environment: [String: String] = [:]
    if let value = getenv(HTTPFeedOptions.tokenVariable) {
      environment[HTTPFeedOptions.tokenVariable] = String(cString: value)
    }
    let token: String?
    do {
      token = try HTTPFeedOptions.resolveToken(environment: environment, file: tokenFile)
    } catch let error as HTTPFeedOptions.TokenError {
      throw ValidationError(error.description)
    }
    return HTTPFeedOptions(
      pollInterval: poll, timeout: timeout, caFile: caFile, token: token, maxLine: maxLine)
  }
}
