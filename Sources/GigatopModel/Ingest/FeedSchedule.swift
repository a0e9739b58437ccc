/// A list of messages played against a clock: what is due by a given feed time.
///
/// The demo uses it to play the built-in scenario at accelerated feed time.
/// It holds no clock of its own, so it is tested with plain numbers.
public struct FeedSchedule: Sendable {
  public private(set) var events: [FeedEvent]
  /// Index of the next event not yet handed out.
  public private(set) var position = 0

  /// Takes events in the order they should play (sorted by `ts`).
  public init(events: [FeedEvent]) { self.events = events }

  /// The feed time of the first event.
  public var startTime: Double? { events.lazy.compactMap(\.ts).first }
  /// The feed time of the last event.
  public var endTime: Double? { events.last?.ts }
  /// Whether every event has been handed out.
  public var isFinished: Bool { position >= events.count }
  /// The feed time of the next event, if any.
  public var nextTime: Double? { position < events.count ? events[position].ts : nil }

  /// Hands out every event with `ts` at or before `time`.
  public mutating func take(through time: Double) -> ArraySlice<FeedEvent> {
    let start = position
    while position < events.count, (events[position].ts ?? -.infinity) <= time { position += 1 }
    return events[start..<position]
  }
}
