/// Plays recordings: the state at the current position, moved forwards by time or step, and
/// backwards (or far forwards) by restoring a keyframe and re-applying from there.
///
/// It reads the files itself (a `ReplayStream`), so nothing but the current state and the
/// index's keyframes is in memory. It holds no clock: `tick` is told how much wall time passed.
public final class ReplayPlayer {
  public private(set) var intake: ReplayIntake
  public var scheduler: ReplayScheduler
  private let stream: ReplayStream
  /// The keyframes and markers found so far (updated by whoever indexes).
  public var index: ReplayIndex

  /// Starts at the beginning of `paths`, with an index (possibly still growing).
  public init(paths: [String], index: ReplayIndex, scheduler: ReplayScheduler) {
    stream = ReplayStream(paths: paths)
    intake = index.intake(at: 0)
    self.index = index
    self.scheduler = scheduler
  }

  /// Bytes a seek decodes ahead at a time on the second thread; 0: seeks read item by item.
  var fastForwardChunkBytes: Int {
    get { stream.fastForwardChunkBytes }
    set { stream.fastForwardChunkBytes = newValue }
  }

  /// Items applied so far.
  public var ordinal: Int { stream.cursor.ordinal }
  /// The feed time reached.
  public var time: Double? { stream.cursor.time }
  /// Whether every item has been played.
  public var atEnd: Bool { stream.peek() == nil }
  /// The feed time of the next item, if any.
  public var nextTime: Double? { stream.peek().flatMap { $0.time } }
  /// Warnings from reading (partial last lines).
  public var warnings: [String] { stream.warnings }

  /// Lets `wallSeconds` pass and applies what is due, at most `limit` items; returns how many.
  @discardableResult
  public func tick(wallSeconds: Double, limit: Int = 50_000) -> Int {
    scheduler.advance(wallSeconds: wallSeconds)
    var applied = 0
    while applied < limit, let next = stream.peek() {
      let due = next.event.ts == nil ? nil : next.time
      guard scheduler.isDue(due) else { break }
      applyNext()
      scheduler.played(due)
      applied += 1
    }
    if stream.peek() == nil { scheduler.drain() }
    return applied
  }

  /// Wall seconds until the next item is due; nil when paused or at the end.
  public var wallSecondsUntilNext: Double? {
    guard let next = stream.peek() else { return nil }
    return scheduler.wallSecondsUntilDue(next.event.ts == nil ? nil : next.time)
  }

  /// The feed time to show.
  public var clock: Double? { scheduler.clock(next: nextTime) }

  /// Applies one item (the `.` key); false at the end.
  @discardableResult
  public func stepForward() -> Bool {
    guard stream.peek() != nil else { return false }
    applyNext()
    scheduler.reset(at: time)
    return true
  }

  /// Goes back one item (the `,` key).
  public func stepBack() {
    seek(toOrdinal: max(0, ordinal - 1))
  }

  /// Moves to just after item `target` (0: before any).
  public func seek(toOrdinal target: Int) {
    let position = index.position(atOrBefore: target)
    if !(ordinal <= target && index.keyframes[position].cursor.ordinal <= ordinal) {
      restore(position)
    }
    stream.fastForward(while: { $0.ordinal <= target }, take: fastApply)
    while ordinal < target, stream.peek() != nil { applyNext() }
    scheduler.reset(at: time)
  }

  /// Moves to feed time `target`: every item up to it applied, none after.
  public func seek(toTime target: Double) {
    let position = index.position(atOrBeforeTime: target)
    let here = time ?? -Double.infinity
    if !(here <= target && index.keyframes[position].cursor.ordinal <= ordinal) {
      restore(position)
    }
    stream.fastForward(while: { ($0.time ?? -Double.infinity) <= target }, take: fastApply)
    while stream.nextTime.map({ ($0 ?? -Double.infinity) <= target }) ?? false { applyNext() }
    scheduler.reset(at: time.map { max($0, min(target, nextTime ?? target)) } ?? target)
  }

  /// Goes back to the keyframe at `position` in the index.
  private func restore(_ position: Int) {
    intake = index.intake(at: position)
    stream.seek(to: index.keyframes[position].cursor)
  }

  /// Applies an item `ReplayStream.fastForward` hands over.
  private func fastApply(_ event: FeedEvent, feed: Int, lineOffset: Int, time: Double?) {
    intake.apply(event, feed: feed, wallClock: nil, lineOffset: lineOffset)
  }

  private func applyNext() {
    guard let item = stream.next() else { return }
    intake.apply(item.event, feed: item.feed)
  }
}
