import GigatopModel
import GigatopTerminal
import GigatopView
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The index of a replay as the background indexer last published it.
final class SharedReplayIndex: Sendable {
  let latest: Mutex<ReplayIndex?> = Mutex(nil)
  let stop = Atomic<Bool>(false)

  /// Indexes `paths` on a background task, publishing the index after every slice.
  func start(paths: [String]) {
    Task.detached { [self] in
      let indexer = ReplayIndexer(paths: paths)
      while !stop.load(ordering: .relaxed) {
        let done = indexer.step(budget: 20_000)
        let index = indexer.index
        latest.withLock { $0 = index }
        if done { break }
      }
    }
  }
}

/// The REPLAY run loop: plays recordings with their own timing, and answers the replay keys.
///
/// The first frame is drawn at once; the recordings are indexed in the background (keyframes,
/// markers, the end time), and a seek past what is indexed waits for the index to get there.
struct ReplayApp {
  let terminal: NcursesTerminal
  var appearance: Appearance
  let paths: [String]
  let rate: Double
  let player: ReplayPlayer
  let shared = SharedReplayIndex()
  var view = ViewState()
  let startTime: Double?
  var endEstimate: Double?
  var fittingSpeed: Double
  var pendingSeek: Double?
  var prompt: String?
  var changesWindow = 86_400.0
  var changes: StateChanges?
  var changesAt: Double?
  var notice: String?

  init(
    terminal: NcursesTerminal, appearance: Appearance, paths: [String], rate: Double, speed: Double?,
    paused: Bool, idleLimit: Double?
  ) {
    self.terminal = terminal
    self.appearance = appearance
    self.paths = paths
    self.rate = rate
    let probe = ReplayStream(paths: paths)
    let first = probe.peek()?.time
    let last = paths.compactMap { RecordingReader(path: $0).lastTimestamp() }.max()
    startTime = first
    endEstimate = last ?? first
    fittingSpeed = ReplayScheduler.fitting(span: (last ?? 0) - (first ?? 0))
    let scheduler = ReplayScheduler(speed: speed ?? fittingSpeed, paused: paused, idleLimit: idleLimit)
    player = ReplayPlayer(
      paths: paths, index: ReplayIndexer(paths: paths).index, scheduler: scheduler)
    notice = probe.failures.first
  }

  /// The recording's span as known now (the index's once it is done).
  var span: (start: Double, end: Double)? {
    let index = player.index
    guard let start = index.startTime ?? startTime else { return nil }
    let end = index.finished ? (index.endTime ?? start) : max(endEstimate ?? start, index.endTime ?? start)
    return (start, max(start, end))
  }

  var seekStep: Double {
    guard let span else { return 60 }
    return max(1, (span.end - span.start) / 100)
  }

  /// Runs until the user quits.
  mutating func run(from: Double?) {
    shared.start(paths: paths)
    defer { shared.stop.store(true, ordering: .relaxed) }
    if let from {
      seek(toTime: from)
    } else if let start = startTime {
      player.seek(toTime: start)
    }
    var lastTick = Clock.monotonic()
    var lastDraw = -Double.infinity
    var dirty = true
    while !view.quitRequested {
      var keyPressed = false
      while let key = terminal.readKey() {
        keyPressed = true
        handle(key)
      }
      if view.quitRequested { break }
      let indexing = refreshIndex()
      if indexing { dirty = true }
      if let target = pendingSeek, player.index.covers(time: target) {
        pendingSeek = nil
        player.seek(toTime: target)
        dirty = true
      }
      let now = Clock.monotonic()
      let elapsed = now - lastTick
      lastTick = now
      if player.tick(wallSeconds: pendingSeek == nil ? elapsed : 0) > 0 { dirty = true }
      let playing = !player.scheduler.isPaused && !player.atEnd
      if playing { dirty = true }
      let minGap = 1 / rate
      if keyPressed || (dirty && now - lastDraw >= minGap) {
        draw()
        lastDraw = Clock.monotonic()
        dirty = false
      }
      var wake = Double.infinity
      if dirty || playing { wake = lastDraw + minGap }
      if let due = player.wallSecondsUntilNext { wake = min(wake, max(now + due, lastDraw + minGap)) }
      if !player.index.finished { wake = min(wake, now + 0.1) }
      waitForInput(until: wake)
    }
  }

  /// Takes the latest index from the background indexer; true while it is still working or just finished.
  mutating func refreshIndex() -> Bool {
    guard !player.index.finished else { return false }
    if let latest = shared.latest.withLock({ $0 }), latest.count != player.index.count || latest.finished {
      player.index = latest
      return true
    }
    return false
  }

  /// Seeks now if the index reaches `time`, else once it does.
  mutating func seek(toTime time: Double) {
    if player.index.covers(time: time) {
      pendingSeek = nil
      player.seek(toTime: time)
    } else {
      pendingSeek = time
    }
    if changes != nil { updateChanges() }
  }

  /// Turns a key into an action and carries it out.
  mutating func handle(_ key: Key) {
    if key == .resize {
      terminal.invalidate()
      return
    }
    if prompt != nil {
      handlePrompt(key)
      return
    }
    if view.helpVisible, key != .character("?"), key != .function(1), key != .character("q"),
      key != .control("c")
    {
      view.reduce(.closeOverlay)
      return
    }
    if changes != nil, key == .escape {
      changes = nil
      return
    }
    // An open drill-down view, or its `/` or `:` line, takes the keys, as in live mode.
    if view.drill.top != nil || view.drill.prompt != nil {
      for action in DrillInput.actions(for: key, view: view, state: player.intake.state, mode: .replay) {
        perform(action)
      }
      return
    }
    // `:` opens the one command line (`:goto TIME`, `:rack ID`, `:theme NAME`, …), as in live mode.
    if key == .character(":") {
      perform(.drill(.beginPrompt(.command)))
      return
    }
    guard let action = KeyRegistry.action(for: key, mode: .replay) else { return }
    perform(action)
  }

  /// Carries out any action: replay actions move the player, `:goto` seeks, themes change the
  /// look, and everything else (focus, help, drill-down) reduces into the view state.
  mutating func perform(_ action: Action) {
    switch action {
    case .replay(let replayAction):
      perform(replayAction)
    case .goto(let time):
      notice = nil
      seek(toTime: time)
    case .cycleTheme:
      notice = appearance.cycleTheme().last ?? "theme \(appearance.themeName)"
      terminal.invalidate()
    case .setTheme(let name):
      notice = appearance.select(name).last ?? "theme \(appearance.themeName)"
      terminal.invalidate()
    default:
      let size = terminal.size
      view.reduce(
        action, in: DrillContext(state: player.intake.state, width: size.width, height: size.height))
    }
    if view.redrawRequested {
      terminal.invalidate()
      view.redrawRequested = false
    }
  }

  mutating func handlePrompt(_ key: Key) {
    switch key {
    case .escape: prompt = nil
    case .backspace, .delete: if prompt?.isEmpty == false { prompt?.removeLast() }
    case .enter:
      let text = prompt ?? ""
      prompt = nil
      let words = text.split(separator: " ").map(String.init)
      let argument = words.first == "goto" ? words.dropFirst().joined(separator: " ") : text
      if let time = Timestamp.parseArgument(argument.trimmingSpaces) {
        notice = nil
        seek(toTime: time)
      } else {
        notice = "goto \(argument): not a time (use 2024-07-25, 2024-07-25T12:00:00Z or Unix seconds)"
      }
    case .character(let c): if (prompt?.count ?? 0) < 60 { prompt?.unicodeScalars.append(c) }
    case .control("c"): view.reduce(.quit)
    default: break
    }
  }

  mutating func perform(_ action: ReplayAction) {
    let clock = player.clock ?? startTime ?? 0
    switch action {
    case .togglePause:
      if player.atEnd, let span {
        player.seek(toTime: span.start)
        player.scheduler.isPaused = false
      } else {
        player.scheduler.isPaused.toggle()
      }
    case .slower: player.scheduler.speed /= 2
    case .faster: player.scheduler.speed *= 2
    case .stepForward:
      player.scheduler.isPaused = true
      player.stepForward()
    case .stepBack:
      player.scheduler.isPaused = true
      player.stepBack()
    case .seekForward: seek(toTime: clock + seekStep)
    case .seekBack: seek(toTime: clock - seekStep)
    case .jumpToTenth(let tenth):
      if let span { seek(toTime: span.start + (span.end - span.start) * Double(tenth) / 10) }
    case .home: if let span { seek(toTime: span.start) }
    case .end: if let span { seek(toTime: player.index.finished ? span.end : .infinity) }
    case .gotoPrompt: prompt = ""
    case .toggleChanges:
      if changes == nil { updateChanges() } else { changes = nil }
    case .widenChanges:
      changesWindow = min(changesWindow * 2, 400 * 86_400)
      updateChanges()
    case .narrowChanges:
      changesWindow = max(changesWindow / 2, 3600)
      updateChanges()
    }
  }

  /// Works out what changed over the window that ends at the current position.
  mutating func updateChanges() {
    let to = player.intake.state
    guard let now = to.now else {
      changes = nil
      return
    }
    let earlier = ReplayPlayer(paths: paths, index: player.index, scheduler: player.scheduler)
    earlier.seek(toTime: now - changesWindow)
    changes = StateChanges(from: earlier.intake.state, to: to)
    changesAt = player.time
  }

  func draw() {
    let size = terminal.size
    let index = player.index
    let timeline = ReplayTimeline(
      start: span?.start, end: span?.end, position: player.clock, markers: index.markers,
      speed: player.scheduler.speed, fittingSpeed: fittingSpeed, paused: player.scheduler.isPaused,
      atEnd: player.atEnd && pendingSeek == nil, seekStep: seekStep, indexProgress: index.progress,
      prompt: prompt,
      changes: changes)
    var message = notice
    if pendingSeek != nil { message = "seeking: waiting for the index to get there" }
    if message == nil { message = (index.warnings + player.warnings).first }
    if message == nil { message = player.intake.lastError.map { "rejected " + $0.description } }
    let input = DashboardInput(
      state: player.intake.state, view: view, mode: .replay, feeds: player.intake.feeds, wallClock: nil,
      theme: appearance.theme, glyphs: appearance.glyphs, message: message, replay: timeline)
    terminal.draw(Dashboard.render(input, width: size.width, height: size.height))
  }

  /// Waits in `poll` for a key until a monotonic time.
  func waitForInput(until wake: Double) {
    var descriptor = pollfd(fd: terminal.inputFileDescriptor, events: Int16(POLLIN), revents: 0)
    let timeout: Int32
    if wake.isInfinite {
      timeout = -1
    } else {
      timeout = Int32(max(0, min(60_000, ((wake - Clock.monotonic()) * 1000).rounded(.up))))
    }
    _ = poll(&descriptor, 1, timeout)
  }
}

extension String {
  /// The string without spaces at either end.
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
