import Testing

@testable import GigatopModel

/// The replay scheduler, driven by plain numbers: no clock.
@Suite struct ReplaySchedulerTests {
  @Test func firstItemIsDueAtOnceThenGapsPlayAtSpeed() {
    var s = ReplayScheduler(speed: 10)
    #expect(s.isDue(100))
    s.played(100)
    #expect(!s.isDue(200))
    #expect(s.wallSecondsUntilDue(200) == 10)
    s.advance(wallSeconds: 9.9)
    #expect(!s.isDue(200))
    s.advance(wallSeconds: 0.1)
    #expect(s.isDue(200))
    s.played(200)
    #expect(s.position == 200)
    #expect(s.credit == 0)
  }

  @Test func pauseStopsTimeAndResumeGoesOn() {
    var s = ReplayScheduler(speed: 1, position: 0)
    s.isPaused = true
    s.advance(wallSeconds: 1000)
    #expect(!s.isDue(5))
    #expect(s.wallSecondsUntilDue(5) == nil)
    s.isPaused = false
    s.advance(wallSeconds: 5)
    #expect(s.isDue(5))
  }

  @Test func speedIsClampedAndChangesTheWait() {
    var s = ReplayScheduler(speed: 4, position: 0)
    #expect(s.wallSecondsUntilDue(100) == 25)
    s.speed *= 2
    #expect(s.wallSecondsUntilDue(100) == 12.5)
    s.speed = 1e12
    #expect(s.speed == ReplayScheduler.speeds.upperBound)
    s.speed = 0.001
    #expect(s.speed == 1)
  }

  @Test func idleLimitCapsLongGaps() {
    var s = ReplayScheduler(speed: 1, idleLimit: 2, position: 0)
    #expect(s.gap(to: 3600) == 2)
    s.advance(wallSeconds: 2)
    #expect(s.isDue(3600))
    s.played(3600)
    #expect(s.gap(to: 3601) == 1)
    // The clock runs over the whole gap in proportion while the capped gap is played.
    var t = ReplayScheduler(speed: 1, idleLimit: 10, position: 0)
    t.advance(wallSeconds: 5)
    #expect(t.clock(next: 1000) == 500)
  }

  @Test func stepsAndSeeksResetWhatIsOwed() {
    var s = ReplayScheduler(speed: 100, position: 0)
    s.advance(wallSeconds: 50)
    s.reset(at: 10)
    #expect(s.position == 10)
    #expect(s.credit == 0)
    #expect(!s.isDue(11))
  }

  @Test func fittingSpeedPlaysTheSpanInTwoMinutes() {
    #expect(ReplayScheduler.fitting(span: 122 * 86_400) == 87_840)
    #expect(ReplayScheduler.fitting(span: 10) == 1)
    #expect(ReplayScheduler.fitting(span: 1e12) == 1_000_000)
  }

  @Test func playerPlaysOnlyWhatIsDue() throws {
    let dir = try ReplayFixture.directory()
    let path = try ReplayFixture.write(
      [
        #"{"type":"alert","ts":0,"severity":"info","msg":"a"}"#,
        #"{"type":"alert","ts":10,"severity":"info","msg":"b"}"#,
        #"{"type":"alert","ts":1000,"severity":"info","msg":"c"}"#,
      ], name: "t.ndjson", in: dir)
    let index = ReplayIndexer(paths: [path]).run()
    let player = ReplayPlayer(
      paths: [path], index: index, scheduler: ReplayScheduler(speed: 2, idleLimit: 20))
    #expect(player.tick(wallSeconds: 0) == 1)
    #expect(player.tick(wallSeconds: 4.9) == 0)
    #expect(player.tick(wallSeconds: 0.1) == 1)
    // The 990 s gap is played as 20 s: 10 wall seconds at x2.
    #expect(player.tick(wallSeconds: 9.9) == 0)
    player.scheduler.isPaused = true
    #expect(player.tick(wallSeconds: 100) == 0)
    player.scheduler.isPaused = false
    #expect(player.tick(wallSeconds: 0.1) == 1)
    #expect(player.atEnd)
    player.stepBack()
    #expect(player.ordinal == 2)
    #expect(player.stepForward())
    #expect(player.intake.state.alerts.map(\.msg) == ["a", "b", "c"])
  }
}
