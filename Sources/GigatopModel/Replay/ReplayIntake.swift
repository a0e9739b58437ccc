/// What replay applies a recording to: the state, each file's counts and the recent rejected lines,
/// as `FeedIntake` keeps them.
///
/// Its parts are settable inside the module so that a keyframe can hold the state without its
/// node table and get it back from an earlier keyframe (see `ReplayIndex`). `apply` does what
/// `FeedIntake.apply` does (without wall-clock times); the replay tests hold the two equal.
public struct ReplayIntake: Sendable {
  public internal(set) var state = BuildoutState()
  public internal(set) var feeds: [FeedStatus]
  /// The most recent rejected lines, oldest first, at most `FeedIntake.errorLimit`.
  public internal(set) var recentErrors: [FeedLineError] = []

  /// Starts with no state and one status per file name.
  public init(feedNames: [String]) {
    feeds = feedNames.map(FeedStatus.init(name:))
  }

  /// Applies one event from file number `feed`.
  public mutating func apply(_ event: FeedEvent, feed: Int) {
    switch event {
    case .message(let envelope, let line):
      let before = state.counters
      do throws(LineError) {
        try state.apply(envelope)
      } catch {
        record(FeedLineError(feed: feeds[feed].name, line: line, reason: error.reason), feed: feed)
      }
      let after = state.counters
      feeds[feed].counters.lines += after.lines - before.lines
      feeds[feed].counters.applied += after.applied - before.applied
      feeds[feed].counters.ignored += after.ignored - before.ignored
      feeds[feed].counters.unknownFields += after.unknownFields - before.unknownFields
    case .rejected(let error):
      state.countRejectedLine()
      feeds[feed].counters.lines += 1
      record(error, feed: feed)
    }
  }

  private mutating func record(_ error: FeedLineError, feed: Int) {
    feeds[feed].counters.rejected += 1
    feeds[feed].lastError = error
    recentErrors.append(error)
    if recentErrors.count > FeedIntake.errorLimit { recentErrors.removeFirst() }
  }
}
