import Testing

@testable import GigatopModel

/// A chunk's events come out as they went in, in order, once each, whatever type holds them,
/// through growth, an early stop and reuse.
@Suite struct EventBufferTests {
  static func event(_ i: Int) -> FeedEvent {
    if i % 5 == 0 {
      return .rejected(
        FeedLineError(feed: "f", line: i, reason: "bad line \(i) " + String(repeating: "x", count: i)))
    }
    let message: FeedMessage
    switch i % 5 {
    case 1:
      message = .gpu(
        GPUMessage(
          node: "node-with-a-long-id-\(i)", index: i % 8, state: .some(.ok), tempC: nil, powerW: .some(nil),
          xid: nil, serial: .some("serial-\(i)")))
    case 2:
      message = .node(
        NodeMessage(
          id: "n\(i)", rack: .some("rack-with-a-long-id-\(i)"), slot: .some(i % 8 + 1), u: nil,
          stage: .some(.racked), kw: nil, gpus: nil, gpusOK: nil, reason: .some(nil)))
    case 3:
      message = .rack(
        RackMessage(
          id: "r\(i)", hall: nil, row: nil, slot: nil, pod: nil, stage: .some(nil), kw: .some(Double(i)),
          inletC: nil, linksUp: nil, linksTotal: nil,
          note: .some("a note long enough to be stored apart \(i)")))
    default:
      message = .alert(AlertMessage(severity: .warn, ref: nil, msg: "alert \(i)"))
    }
    return .message(
      Envelope(
        ts: Double(i), src: i % 2 == 0 ? nil : "src-\(i)", seq: i, message: message, unknownFields: i % 3),
      line: i)
  }

  /// Puts an event in as the decoder does: the common messages as their own types.
  static func put(_ event: FeedEvent, into buffer: EventBuffer) {
    guard case .message(let e, let line) = event else {
      buffer.append(event)
      return
    }
    let head = LineHead(ts: e.ts, src: e.src, seq: e.seq, unknownFields: e.unknownFields, line: line)
    switch e.message {
    case .gpu(let m): buffer.append(Decoded(head: head, message: m))
    case .node(let m): buffer.append(Decoded(head: head, message: m))
    case .rack(let m): buffer.append(Decoded(head: head, message: m))
    default: buffer.append(event)
    }
  }

  static func same(_ a: FeedEvent, _ b: FeedEvent) -> Bool {
    switch (a, b) {
    case (.message(let x, let i), .message(let y, let j)): return x == y && i == j
    case (.rejected(let x), .rejected(let y)): return x == y
    default: return false
    }
  }

  @Test func eventsComeOutInOrderOnceThroughGrowthAndReuse() {
    let buffer = EventBuffer()
    for round in 0..<3 {
      let n = 50 + round * 40
      for i in 0..<n { Self.put(Self.event(i), into: buffer) }
      #expect(buffer.count == n)
      // Take some, stop early (the rest are dropped), fill again.
      let stop = round == 2 ? n : n / 2
      for i in 0..<stop {
        guard let entry = buffer.next() else {
          Issue.record("ran out at \(i)")
          break
        }
        #expect(Self.same(entry.event, Self.event(i)), "round \(round), event \(i)")
        #expect(entry.ts == Self.event(i).ts)
      }
      if round == 2 { #expect(buffer.next() == nil) }
      buffer.removeAll()
      #expect(buffer.count == 0)
      #expect(buffer.next() == nil)
    }
  }

  /// Every kind is stored and read back as itself.
  @Test func eachLaneHoldsItsKind() {
    let buffer = EventBuffer()
    for i in 0..<10 { Self.put(Self.event(i), into: buffer) }
    var kinds: [String] = []
    while let entry = buffer.next() {
      switch entry {
      case .event: kinds.append("event")
      case .gpu: kinds.append("gpu")
      case .node: kinds.append("node")
      case .rack: kinds.append("rack")
      }
    }
    #expect(kinds == ["event", "gpu", "node", "rack", "event"] + ["event", "gpu", "node", "rack", "event"])
  }
}
