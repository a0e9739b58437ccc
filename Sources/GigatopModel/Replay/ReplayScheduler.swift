/// When the next message of a replay is due: feed time played at a speed, with gaps capped.
///
/// It holds no clock: the caller says how much wall time passed (`advance`), asks whether the
/// next item is due (`isDue`), and reports what it played (`played`). Like asciinema's player,
/// a gap in feed time longer than `idleLimit` is played as `idleLimit`.
public struct ReplayScheduler: Equatable, Sendable {
  /// The slowest and fastest speeds, in feed seconds per wall second.
  public static let speeds: ClosedRange<Double> = 1...1_000_000

  /// Feed seconds played per wall second.
  public var speed: Double {
    didSet { speed = min(Self.speeds.upperBound, max(Self.speeds.lowerBound, speed)) }
  }
  public var isPaused: Bool
  /// The longest gap between two messages, in feed seconds, as played; nil for none.
  public var idleLimit: Double?
  /// The feed time of the last item played.
  public private(set) var position: Double?
  /// Feed seconds played since `position` (gaps already capped).
  public private(set) var credit = 0.0

  public init(speed: Double, paused: Bool = false, idleLimit: Double? = nil, position: Double? = nil) {
    self.speed = min(Self.speeds.upperBound, max(Self.speeds.lowerBound, speed))
    isPaused = paused
    self.idleLimit = idleLimit
    self.position = position
  }

  /// The speed that plays `span` feed seconds in about `seconds` wall seconds.
  public static func fitting(span: Double, into seconds: Double = 120) -> Double {
    guard span.isFinite, span > 0 else { return speeds.lowerBound }
    return min(speeds.upperBound, max(speeds.lowerBound, (span / seconds).rounded()))
  }

  /// Lets `wallSeconds` of wall time pass (nothing while paused).
  public mutating func advance(wallSeconds: Double) {
    guard !isPaused, wallSeconds > 0 else { return }
    credit += wallSeconds * speed
  }

  /// The gap before an item at feed time `time`, as played (capped by the idle limit).
  public func gap(to time: Double?) -> Double {
    guard let time, let position else { return 0 }
    return min(max(0, time - position), idleLimit ?? .infinity)
  }

  /// Whether an item at feed time `time` (nil: a rejected line, due at once) is due now.
  public func isDue(_ time: Double?) -> Bool {
    credit >= gap(to: time)
  }

  /// Records that an item at feed time `time` was played.
  public mutating func played(_ time: Double?) {
    credit = max(0, credit - gap(to: time))
    if let time { position = max(position ?? time, time) }
  }

  /// Wall seconds until an item at `time` is due; nil while paused.
  public func wallSecondsUntilDue(_ time: Double?) -> Double? {
    guard !isPaused else { return nil }
    return max(0, (gap(to: time) - credit) / speed)
  }

  /// Starts again from feed time `time` (after a seek), with nothing owed.
  public mutating func reset(at time: Double?) {
    position = time
    credit = 0
  }

  /// Forgets play time owed when there is nothing left to play (at the end).
  public mutating func drain() { credit = 0 }

  /// The feed time to show: the position plus the time played since, not past the next item.
  public func clock(next: Double?) -> Double? {
    guard let position else { return next }
    guard let next else { return position }
    let gap = next - position
    guard gap > 0 else { return position }
    let cap = idleLimit ?? .infinity
    // Within a capped gap the clock runs over the whole gap in proportion.
    let played = min(credit, min(gap, cap))
    return position + (gap > cap ? played / cap * gap : played)
  }
}
