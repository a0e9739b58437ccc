import GigatopModel
import GigatopNet
import GigatopTerminal
import GigatopView

#if canImport(Glibc)
import Glibc
#endif

/// The live run loop: waits for keys and feed data, reduces them into state, and draws.
///
/// It sleeps in `poll` until a key, a pipe's data, the next feed poll, the
/// next demo message, or the next second on screen is due: no busy loop.
/// Data-driven redraws are capped at `rate` a second; a key redraws at once.
struct LiveApp {
  let terminal: NcursesTerminal
  var appearance: Appearance
  /// What the last theme change said (`theme amber`, or a problem with the file), until the next key.
  var themeNotice: String?
  let rate: Double
  let staleAfter: Double
  let maxLine: Int

  var intake = FeedIntake(feedNames: [])
  var view = ViewState()
  var sources: [any FollowedFeed] = []
  var mode: DashboardInput.Mode = .live
  var demo: DemoClock?
  /// The demo's lines as generated, by schedule position (what a recording keeps).
  var demoLines: [String] = []
  /// Where every line read is recorded (`--record`), if anywhere.
  var recorder: RecordingWriter?
  /// How often regular files are checked for growth, in seconds.
  let filePollInterval = 0.25

  init(terminal: NcursesTerminal, appearance: Appearance, rate: Double, staleAfter: Double, maxLine: Int) {
    self.terminal = terminal
    self.appearance = appearance
    self.rate = rate
    self.staleAfter = staleAfter
    self.maxLine = maxLine
  }

  /// Plays the built-in scenario against the wall clock.
  mutating func startDemo(speed: Double?) {
    mode = .demo
    let lines = ScenarioGenerator(options: ScenarioOptions()).lines()
    var events: [FeedEvent] = []
    events.reserveCapacity(lines.count)
    for (i, line) in lines.enumerated() {
      var text = line
      let event = text.withUTF8 {
        FeedEvent.decode(.bytes(UnsafeRawBufferPointer($0)), feed: "demo", line: i + 1)
      }
      if let event {
        events.append(event)
        if recorder != nil { demoLines.append(line) }
      }
    }
    let schedule = FeedSchedule(events: events)
    let start = schedule.startTime ?? 0
    let end = schedule.endTime ?? start
    let chosen = speed ?? max(1, (end - start) / DemoClock.defaultPlaySeconds)
    demo = DemoClock(schedule: schedule, feedStart: start, wallStart: Clock.monotonic(), speed: chosen)
    intake = FeedIntake(feedNames: ["demo"])
  }

  /// Follows feed files (`-` for standard input) and HTTP(S) URLs.
  ///
  /// - Throws: `HTTPFeedSource.SetupError` when a URL's options cannot be used (a bad CA file).
  mutating func follow(paths: [String], http: HTTPFeedOptions = HTTPFeedOptions()) throws {
    mode = .live
    sources = try paths.map { path -> any FollowedFeed in
      if HTTPFeedSource.isURL(path) { return try HTTPFeedSource(url: path, options: http) }
      return FeedSource(path: path, maxLine: maxLine)
    }
    intake = FeedIntake(feedNames: sources.map(\.name))
    if let recorder {
      // Lines are recorded byte for byte as they are read, unknown fields and bad lines included.
      for source in sources { source.lineTap = { recorder.append(line: $0) } }
    }
  }

  /// Starts recording to `path` (call before `startDemo` or `follow`).
  mutating func record(to path: String) {
    recorder = RecordingWriter(path: path, now: Clock.monotonic())
  }

  /// Records events as they are applied, and a keyframe when one is due.
  ///
  /// Lines of NDJSON feeds reach the recorder through `FeedSource.lineTap` as they are read
  /// (`rawRecorded`); a status document's messages are written out here.
  func record(_ events: some Sequence<FeedEvent>, lines: ArraySlice<String>? = nil, rawRecorded: Bool = false)
  {
    guard let recorder, recorder.isRecording else { return }
    if let lines {
      for line in lines { recorder.append(line: line) }
    } else if !rawRecorded {
      for event in events { recorder.append(line: MessageWriter.line(event)) }
    }
    if recorder.keyframeDue { recorder.writeKeyframe(intake.state) }
  }

  /// Runs until the user quits.
  mutating func run() {
    defer { recorder?.flush() }
    var dirty = true
    var lastDraw = -Double.infinity
    var nextFilePoll = 0.0
    var lastSecondShown = -1
    while !view.quitRequested {
      let now = Clock.monotonic()
      var keyPressed = false
      while let key = terminal.readKey() {
        keyPressed = true
        handle(key)
      }
      if view.quitRequested { break }
      if now >= nextFilePoll {
        if pollSources() { dirty = true }
        nextFilePoll = now + filePollInterval
      }
      if advanceDemo(now: now) { dirty = true }
      if let recorder {
        let wasRecording = recorder.isRecording
        recorder.flushIfDue(now: now)
        if wasRecording != recorder.isRecording { dirty = true }
      }
      let second = Int(Clock.wall())
      if !sources.isEmpty && second != lastSecondShown { dirty = true }
      let minGap = 1 / rate
      if keyPressed || (dirty && now - lastDraw >= minGap) {
        draw()
        lastDraw = Clock.monotonic()
        lastSecondShown = second
        dirty = false
      }
      // Sleep until the next thing that is due.
      var wake = Double.infinity
      if dirty { wake = min(wake, lastDraw + minGap) }
      if !sources.filter({ $0.pollableDescriptor == nil && !$0.closed }).isEmpty {
        wake = min(wake, nextFilePoll)
      }
      if let due = demo?.nextDueWall { wake = min(wake, max(due, lastDraw + minGap)) }
      if !sources.isEmpty { wake = min(wake, Double(second + 1) - Clock.wall() + Clock.monotonic()) }
      if let due = recorder?.nextFlush { wake = min(wake, due) }
      waitForInput(until: wake)
    }
  }

  /// Turns a key into an action and reduces it.
  mutating func handle(_ key: Key) {
    if key == .resize {
      terminal.invalidate()
      return
    }
    if view.helpVisible, key != .character("?"), key != .function(1), key != .character("q"),
      key != .control("c")
    {
      view.reduce(.closeOverlay)
      return
    }
    // Keys go to the `/` or `:` line while one is typed, else to the top view's registry.
    for action in DrillInput.actions(for: key, view: view, state: intake.state, mode: mode) {
      perform(action)
    }
  }

  /// Carries out an action: theme changes here, everything else reduced into the view state.
  ///
  /// `:theme NAME` sends `perform(.setTheme(NAME))`; `t` sends `.cycleTheme`. A theme that is
  /// missing or broken leaves the default on screen and its problem on the status bar.
  mutating func perform(_ action: Action) {
    let problems: [String]
    switch action {
    case .cycleTheme:
      problems = appearance.cycleTheme()
    case .setTheme(let name):
      problems = appearance.select(name)
    default:
      themeNotice = nil
      let size = terminal.size
      view.reduce(action, in: DrillContext(state: intake.state, width: size.width, height: size.height))
      if view.redrawRequested {
        terminal.invalidate()
        view.redrawRequested = false
      }
      return
    }
    themeNotice = problems.last ?? "theme \(appearance.themeName)"
    terminal.invalidate()
  }

  /// Reads what the feeds have; true if anything changed.
  mutating func pollSources() -> Bool {
    var changed = false
    let wall = Clock.wall()
    for (i, source) in sources.enumerated() {
      let events = source.poll(budget: 4 << 20)
      for event in events { intake.apply(event, feed: i, wallClock: wall) }
      if !events.isEmpty {
        changed = true
        record(events, rawRecorded: source.layout == .lines)
      }
      if intake.feeds[i].condition != source.condition {
        intake.setCondition(source.condition, feed: i)
        changed = true
      }
    }
    return changed
  }

  /// Applies the demo messages due by now; true if any.
  mutating func advanceDemo(now: Double) -> Bool {
    guard var clock = demo else { return false }
    let due = clock.take(now: now)
    let wall = Clock.wall()
    for event in due { intake.apply(event, feed: 0, wallClock: wall) }
    if !due.isEmpty, recorder != nil, demoLines.count == clock.schedule.events.count {
      record(due, lines: demoLines[due.indices])
    }
    demo = clock
    return !due.isEmpty
  }

  func draw() {
    let size = terminal.size
    var detail: String?
    if let demo {
      detail = "×" + Format.compact(Int(demo.speed)) + (demo.schedule.isFinished ? " done" : "")
    }
    var message = intake.lastError.map { "rejected " + $0.description }
    if let themeNotice { message = themeNotice + (message.map { "; " + $0 } ?? "") }
    if let recorder {
      if let failure = recorder.failure {
        message = failure + (message.map { "; " + $0 } ?? "")
      } else {
        detail = (detail.map { $0 + " " } ?? "") + "REC"
      }
    }
    let input = DashboardInput(
      state: intake.state, view: view, mode: mode, feeds: intake.feeds, wallClock: Clock.wall(),
      staleAfter: staleAfter, theme: appearance.theme, glyphs: appearance.glyphs,
      message: message, modeDetail: detail)
    terminal.draw(Dashboard.render(input, width: size.width, height: size.height))
  }

  /// Waits in `poll` for a key or pipe data until a monotonic time.
  func waitForInput(until wake: Double) {
    var descriptors = [pollfd(fd: terminal.inputFileDescriptor, events: Int16(POLLIN), revents: 0)]
    for source in sources {
      if let fd = source.pollableDescriptor {
        descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
      }
    }
    let timeout: Int32
    if wake.isInfinite {
      timeout = -1
    } else {
      timeout = Int32(max(0, min(60_000, ((wake - Clock.monotonic()) * 1000).rounded(.up))))
    }
    _ = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
  }
}

/// The demo's feed-time clock: feed time runs `speed` times faster than the wall.
struct DemoClock {
  /// The demo's default length on screen, in seconds.
  static let defaultPlaySeconds = 120.0
  var schedule: FeedSchedule
  let feedStart: Double
  let wallStart: Double
  let speed: Double

  /// The messages due by monotonic time `now`.
  mutating func take(now: Double) -> ArraySlice<FeedEvent> {
    schedule.take(through: feedStart + (now - wallStart) * speed)
  }

  /// The monotonic time the next message is due, if any.
  var nextDueWall: Double? {
    schedule.nextTime.map { wallStart + ($0 - feedStart) / speed }
  }
}

/// Wall and monotonic clocks in seconds.
enum Clock {
  static func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  static func wall() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
