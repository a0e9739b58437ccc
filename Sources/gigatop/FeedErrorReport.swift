import GigatopModel
import GigatopView

#if canImport(Glibc)
import Glibc
#endif

/// Tells the user on standard error what went wrong with feeds in a headless command.
enum FeedErrorReport {
  /// Writes text to standard error.
  static func standardError(_ text: String) {
    var copy = text
    copy.withUTF8 { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
  }

  /// Prints a line per feed with rejected lines or a problem, and the first few errors.
  static func printWarnings(_ intake: FeedIntake) {
    for feed in intake.feeds {
      if let condition = feed.condition {
        standardError("gigatop: \(TextWidth.sanitized(feed.name)): \(condition)\n")
      }
      if feed.counters.rejected > 0 {
        standardError(
          "gigatop: \(TextWidth.sanitized(feed.name)): \(feed.counters.rejected) of \(feed.counters.lines) lines rejected (run `gigatop validate` to list them)\n"
        )
      }
    }
    for error in intake.recentErrors.prefix(3) {
      standardError("gigatop: \(TextWidth.sanitized(error.description))\n")
    }
  }
}
