/// The build-out state together with what each feed has delivered: where feed events are applied.
public struct FeedIntake: Sendable {
  public internal(set) var state = BuildoutState()
  public internal(set) var feeds: [FeedStatus]
  /// The most recent rejected lines, oldest first, at most `errorLimit`.
  public var recentErrors: [FeedLineError] { keptErrors.items }
  /// The last rejected line, if any.
  public var lastError: FeedLineError? { keptErrors.last }
  private var keptErrors = RecentItems<FeedLineError>(limit: FeedIntake.errorLimit)
  public static let errorLimit = 100

  /// Starts with no state and one status per feed name.
  public init(feedNames: [String]) {
    feeds = feedNames.map(FeedStatus.init(name:))
  }

  /// Applies one event from feed number `feed`; `wallClock` stamps the feed's last-line time.
  ///
  /// Returns the error when the line was rejected (it is also kept in `recentErrors`).
  @discardableResult
  public mutating func apply(_ event: FeedEvent, feed: Int, wallClock: Double? = nil) -> FeedLineError? {
    apply(event, feed: feed, wallClock: wallClock, lineOffset: 0)
  }

  /// `apply` of an event whose line number counts from `lineOffset` lines into its feed.
  ///
  /// `counted: false` leaves the feed's counts of lines, applied and ignored messages and unknown
  /// fields to `settleCounts(since:)` (rejected lines are counted either way).
  @discardableResult
  mutating func apply(
    _ event: FeedEvent, feed: Int, wallClock: Double?, lineOffset: Int, counted: Bool = true
  ) -> FeedLineError? {
    var rejected: FeedLineError?
    switch event {
    case .message(let envelope, let relativeLine):
      rejected = applyMessage(feed: feed, line: relativeLine + lineOffset, counted: counted) {
        state throws(LineError) in
        try state.apply(envelope)
      }
    case .rejected(var error):
      error.line += lineOffset
      state.countRejectedLine()
      if counted { feeds[feed].counters.lines += 1 }
      record(error, feed: feed)
      rejected = error
    }
    if let wallClock { feeds[feed].lastLineAt = wallClock }
    return rejected
  }

  /// `apply` of an event read in place from a decoded chunk (the same outcome, with no copy of a
  /// common message made on the way).
  mutating func apply(_ entry: EventBuffer.Entry, feed: Int, lineOffset: Int) {
    apply(entry, feed: feed, lineOffset: lineOffset, counted: true)
  }

  /// `apply(_:feed:lineOffset:)` as a whole-file read applies, for feed 0: the feed's counts of
  /// lines, applied and ignored messages and unknown fields are added once at the end
  /// (`settleCounts(since:)`), not per message (that was a copy of the counts before each
  /// message and an exclusive access to the feed list after it).
  mutating func applyUncounted(_ entry: EventBuffer.Entry, lineOffset: Int) {
    apply(entry, feed: 0, lineOffset: lineOffset, counted: false)
  }

  /// Adds to feed 0's counts what the state's went up by since `before` (the state's counts when
  /// `applyUncounted` began): lines, applied and ignored messages, unknown fields.
  mutating func settleCounts(since before: FeedCounters) {
    feeds[0].counters.add(from: before, to: state.counters)
  }

  @inline(__always)
  private mutating func apply(_ entry: EventBuffer.Entry, feed: Int, lineOffset: Int, counted: Bool) {
    switch entry {
    case .event(let p):
      apply(p.pointee, feed: feed, wallClock: nil, lineOffset: lineOffset, counted: counted)
    case .gpu(let p):
      applyMessage(feed: feed, line: p.pointee.head.line + lineOffset, counted: counted) {
        state throws(LineError) in
        // Read where it was decoded, not copied out first.
        let ts = p.pointee.head.ts
        let unknownFields = p.pointee.head.unknownFields
        if let message = p.pointer(to: \.message) {
          try state.applyGPUMessage(at: message, at: ts, unknownFields: unknownFields)
        } else {
          try state.applyGPUMessage(p.pointee.message, at: ts, unknownFields: unknownFields)
        }
      }
    case .node(let p):
      applyMessage(feed: feed, line: p.pointee.head.line + lineOffset, counted: counted) {
        state throws(LineError) in
        try state.applyNodeMessage(
          p.pointee.message, at: p.pointee.head.ts, unknownFields: p.pointee.head.unknownFields)
      }
    case .rack(let p):
      applyMessage(feed: feed, line: p.pointee.head.line + lineOffset, counted: counted) {
        state throws(LineError) in
        try state.applyRackMessage(
          p.pointee.message, at: p.pointee.head.ts, unknownFields: p.pointee.head.unknownFields)
      }
    }
  }

  /// Applies a decoded message with `body`, counting it for its feed (unless not `counted`: see
  /// `applyUncounted`); the error when it was rejected.
  @discardableResult
  @inline(__always)
  private mutating func applyMessage(
    feed: Int, line: Int, counted: Bool = true, _ body: (inout BuildoutState) throws(LineError) -> Void
  ) -> FeedLineError? {
    var rejected: FeedLineError?
    let before = counted ? state.counters : FeedCounters()
    do throws(LineError) {
      try body(&state)
    } catch {
      rejected = FeedLineError(feed: feeds[feed].name, line: line, reason: error.reason)
      record(rejected ?? FeedLineError(feed: "", line: 0, reason: ""), feed: feed)
    }
    // What the message added to the state's counts, added to its feed's in one access.
    if counted { feeds[feed].counters.add(from: before, to: state.counters) }
    return rejected
  }

  private mutating func record(_ error: FeedLineError, feed: Int) {
    feeds[feed].counters.rejected += 1
    feeds[feed].lastError = error
    keptErrors.append(error)
  }

  /// Sets what the status bar says about a feed's source.
  public mutating func setCondition(_ condition: String?, feed: Int) {
    feeds[feed].condition = condition
  }

  /// Reads whole feeds, merging them by feed time, and stops at `until` (inclusive) when given.
  ///
  /// Each feed's own order is kept; between feeds the earlier `ts` goes first.
  /// Messages after `until` are left out, and so are rejected lines read after the first of them:
  /// what was read by then, as the live view and replay see it (`Cutoff`).
  /// `keepHistory: false` leaves the racks' event history empty, for commands that never show it.
  public static func load(
    paths: [String], until: Double? = nil, maxLine: Int = 1 << 20, keepHistory: Bool = true
  ) -> FeedIntake {
    if paths.count == 1, let path = paths.first, path != "-" {
      // A regular file of lines: decoded on two threads while this one applies.
      let source = FeedSource(path: path, maxLine: maxLine)
      var intake = loading(feedNames: [source.name], keepHistory: keepHistory)
      var cutoff = Cutoff(until: until)
      let before = intake.state.counters
      let chunked = source.readAllChunked { entry, lineOffset in
        guard cutoff.admits(ts: entry.ts) else { return }
        intake.applyUncounted(entry, lineOffset: lineOffset)
      }
      if chunked {
        intake.settleCounts(since: before)
        if let condition = source.condition { intake.setCondition(condition, feed: 0) }
        return intake
      }
    }
    if paths.count == 1, let path = paths.first, #available(macOS 15.0, *) {
      // Decoded on a second thread while this one applies, in order.
      var intake = loading(feedNames: [path == "-" ? "stdin" : path], keepHistory: keepHistory)
      var cutoff = Cutoff(until: until)
      let condition = DecodePipeline.readAll(path: path, maxLine: maxLine) { event in
        guard cutoff.admits(event) else { return }
        intake.apply(event, feed: 0)
      }
      if let condition {
        if let condition { intake.setCondition(condition, feed: 0) }
        return intake
      }
    }
    let sources = paths.map { FeedSource(path: $0, maxLine: maxLine) }
    var intake = loading(feedNames: sources.map(\.name), keepHistory: keepHistory)
    var cutoff = Cutoff(until: until)
    if sources.count == 1, let source = sources.first {
      source.readAll { event in
        guard cutoff.admits(event) else { return }
        intake.apply(event, feed: 0)
      }
      if let condition = source.condition { intake.setCondition(condition, feed: 0) }
      return intake
    }
    var streams: [[FeedEvent]] = []
    for (i, source) in sources.enumerated() {
      var events: [FeedEvent] = []
      source.readAll { events.append($0) }
      streams.append(events)
      if let condition = source.condition { intake.setCondition(condition, feed: i) }
    }
    var heads = [Int](repeating: 0, count: streams.count)
    while true {
      var best: Int?
      var bestTS = Double.infinity
      for i in streams.indices where heads[i] < streams[i].count {
        let ts = streams[i][heads[i]].ts ?? -Double.infinity
        if best == nil || ts < bestTS {
          best = i
          bestTS = ts
        }
      }
      guard let pick = best else { break }
      let event = streams[pick][heads[pick]]
      heads[pick] += 1
      guard cutoff.admits(event) else { continue }
      intake.apply(event, feed: pick)
    }
    return intake
  }
}

extension FeedIntake {
  /// An empty intake for `load`: a whole-file read, where nothing waits on a batch, so the id
  /// tables' room is cleared at once; the racks' history only when it will be shown.
  fileprivate static func loading(feedNames: [String], keepHistory: Bool) -> FeedIntake {
    var intake = FeedIntake(feedNames: feedNames)
    intake.state.rackHistory.isKept = keepHistory
    intake.state.reservesAtOnce = true
    return intake
  }
}

/// Which events a read that stops at a feed time takes: messages at or before it, and rejected
/// lines (which have no time) read before the first message after it. That is what the live view
/// had read when feed time reached it, and what replay applies when it seeks there.
struct Cutoff {
  let until: Double?
  /// Whether a message after `until` has been read.
  private(set) var passed = false

  init(until: Double?) { self.until = until }

  mutating func admits(_ event: FeedEvent) -> Bool {
    admits(ts: event.ts)
  }

  /// `admits` for an event at feed time `ts` (nil: a rejected line).
  mutating func admits(ts: Double?) -> Bool {
    guard let until else { return true }
    guard let ts else { return !passed }
    if ts > until {
      passed = true
      return false
    }
    return true
  }
}
