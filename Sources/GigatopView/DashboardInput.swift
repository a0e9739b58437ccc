import GigatopModel

/// Everything one frame draws: the build-out, its derived figures, the view and the run's context.
public struct DashboardInput: Sendable {
  /// How the build-out reaches the screen.
  public enum Mode: String, Sendable {
    case live = "LIVE"
    case demo = "DEMO"
    case snapshot = "SNAPSHOT"
    case replay = "REPLAY"
  }

  public var state: BuildoutState
  public var summary: Summary
  public var view: ViewState
  public var mode: Mode
  public var feeds: [FeedStatus]
  /// Wall-clock time (Unix seconds) for feed ages; nil in headless output (ages not shown).
  public var wallClock: Double?
  /// Seconds after which a feed is marked stale.
  public var staleAfter: Double
  public var theme: Theme
  public var glyphs: Glyphs
  /// A one-line message for the status bar (e.g. "recording stopped: disk full"), if any.
  public var message: String?
  /// An extra label for the mode, e.g. the demo speed "x86400".
  public var modeDetail: String?
  /// The timeline in REPLAY mode (nil otherwise).
  public var replay: ReplayTimeline?

  public init(
    state: BuildoutState, summary: Summary? = nil, view: ViewState = ViewState(), mode: Mode,
    feeds: [FeedStatus], wallClock: Double? = nil, staleAfter: Double = 60, theme: Theme, glyphs: Glyphs,
    message: String? = nil, modeDetail: String? = nil, replay: ReplayTimeline? = nil
  ) {
    self.state = state
    self.summary = summary ?? Summary(state)
    self.view = view
    self.mode = mode
    self.feeds = feeds
    self.wallClock = wallClock
    self.staleAfter = staleAfter
    self.theme = theme
    self.glyphs = glyphs
    self.message = message
    self.modeDetail = modeDetail
    self.replay = replay
  }
}
