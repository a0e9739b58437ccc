import Testing

@testable import GigatopModel

/// A chunk's events come out as they went in, once each, through growth, an early stop and reuse.
@Suite struct EventBufferTests {
  static func event(_ i: Int) -> FeedEvent {
    if i % 3 == 0 {
      return .rejected(
        FeedLineError(feed: "f", line: i, reason: "bad line \(i) " + String(repeating: "x", count: i)))
    }
    let m = GPUMessage(
      node: "node-with-a-long-id-\(i)", index: i % 8, state: .some(.ok), tempC: nil, powerW: nil, xid: nil,
      serial: .some("serial-\(i)"))
    return .message(Envelope(ts: Double(i), src: "src-\(i)", message: .gpu(m)), line: i)
  }

  static func same(_ a: FeedEvent, _ b: FeedEvent) -> Bool {
    switch (a, b) {
    case (.message(let x, let i), .message(let y, let j)): return x == y && i == j
    case (.rejected(let x), .rejected(let y)): return x == y
    default: return false
    }
  }

  @Test func eventsComeOutInOrderOnceThroughGrowthAndReuse() {
    let buffer = EventBuffer(capacity: 1)
    for round in 0..<3 {
      let n = 50 + round * 40
      for i in 0..<n { buffer.append(Self.event(i)) }
      #expect(buffer.count == n)
      // Take some, stop early (the rest are dropped), fill again.
      let stop = round == 2 ? n : n / 2
      for i in 0..<stop {
        guard let e = buffer.takeNext() else {
          Issue.record("ran out at \(i)")
          break
        }
        #expect(Self.same(e, Self.event(i)), "round \(round), event \(i)")
      }
      if round == 2 { #expect(buffer.takeNext() == nil) }
      buffer.removeAll()
      #expect(buffer.count == 0)
      #expect(buffer.takeNext() == nil)
    }
  }
}
