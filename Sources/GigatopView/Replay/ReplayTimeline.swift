import GigatopModel

/// What the REPLAY timeline row shows: where the replay is, how fast, and what is marked on it.
public struct ReplayTimeline: Sendable {
  public var start: Double?
  public var end: Double?
  /// The feed time on screen.
  public var position: Double?
  public var markers: [ReplayMarker]
  public var speed: Double
  /// The speed that fits the recording into about two minutes (shown when it is the speed).
  public var fittingSpeed: Double?
  public var paused: Bool
  public var atEnd: Bool
  /// The Left/Right seek step, in feed seconds.
  public var seekStep: Double
  /// How far indexing got, 0...1 (1: done).
  public var indexProgress: Double
  /// The `:goto` text being typed, if the prompt is open.
  public var prompt: String?
  /// The "what changed" view, when open.
  public var changes: StateChanges?

  public init(
    start: Double?, end: Double?, position: Double?, markers: [ReplayMarker] = [], speed: Double,
    fittingSpeed: Double? = nil, paused: Bool, atEnd: Bool = false, seekStep: Double,
    indexProgress: Double = 1,
    prompt: String? = nil, changes: StateChanges? = nil
  ) {
    self.start = start
    self.end = end
    self.position = position
    self.markers = markers
    self.speed = speed
    self.fittingSpeed = fittingSpeed
    self.paused = paused
    self.atEnd = atEnd
    self.seekStep = seekStep
    self.indexProgress = indexProgress
    self.prompt = prompt
    self.changes = changes
  }

  /// Where `time` falls on a bar of `width` cells, 0..<width.
  public func column(of time: Double, width: Int) -> Int {
    guard width > 0, let start, let end, end > start else { return 0 }
    let fraction = (time - start) / (end - start)
    return min(width - 1, max(0, Int((fraction * Double(width)).rounded(.down))))
  }
}
