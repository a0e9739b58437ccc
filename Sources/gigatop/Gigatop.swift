import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `gigatop` command: watch a build-out live, or print it headless.
@main
struct Gigatop: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gigatop",
    abstract: "A terminal dashboard for the build-out of an AI supercomputer.",
    discussion: """
      With no FEED, plays the built-in 122-day, 100,000-GPU build-out (mode DEMO).
      FEED is a path to a format-v1 NDJSON feed or status document, or - for standard input.
      --record FILE appends every line read (and keyframes) to FILE; `gigatop replay FILE` plays it back.
      """,
    version: "0.1.0",
    subcommands: [
      WatchCommand.self, DemoCommand.self, SnapshotCommand.self, SummaryCommand.self, ValidateCommand.self,
      ReplayCommand.self, DiffCommand.self, ReplayBenchCommand.self, BenchCommand.self,
    ],
    defaultSubcommand: WatchCommand.self
  )

  /// Runs the command with SIGPIPE ignored: output into a closed pipe (`gigatop demo | head`)
  /// ends the command quietly instead of killing it.
  static func main() {
    signal(SIGPIPE, SIG_IGN)
    main(nil)
  }
}
