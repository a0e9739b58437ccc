/// What the status bar says about one feed.
public struct FeedStatus: Equatable, Sendable {
  /// The feed's name as given on the command line (`-` is shown as `stdin`).
  public var name: String
  public var counters = FeedCounters()
  /// Wall-clock time (Unix seconds) of the last line read, if any.
  public var lastLineAt: Double?
  /// What happened to the source, when something did: "waiting for file", "truncated", "closed".
  public var condition: String?
  /// The last rejected line's error, for the status line.
  public var lastError: FeedLineError?

  public init(name: String) { self.name = name }

  /// Whether the feed is older than `stale` seconds at wall time `now`.
  public func isStale(now: Double, stale: Double) -> Bool {
    guard let last = lastLineAt else { return true }
    return now - last > stale
  }
}

/// A rejected line, with where it came from.
public struct FeedLineError: Error, Equatable, Sendable, CustomStringConvertible {
  public var feed: String
  /// 1-based line number (for status documents: the array item's number, 1-based, or 1).
  public var line: Int
  public var reason: String

  public init(feed: String, line: Int, reason: String) {
    self.feed = feed
    self.line = line
    self.reason = reason
  }

  /// `feed.ndjson:12: reason`.
  public var description: String { "\(feed):\(line): \(reason)" }
}
