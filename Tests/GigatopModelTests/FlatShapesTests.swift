import Testing

@testable import GigatopModel

/// Lines read through a learned layout (`FlatShapes`), the direct GPU, node and rack readers
/// (`FlatLine`) and the memos of the last date and hall names read decode exactly as the full
/// decoder decodes them, line after line, through mutants that keep a layout and change a value.
@Suite struct FlatShapesTests {
  /// A line decoded with a thread's memory: the envelope, or nil when the fast path stepped aside.
  static func decoded(_ bytes: [UInt8], memory: FlatMemory, into events: EventBuffer) -> Envelope? {
    events.removeAll()
    let took = bytes.withUnsafeBytes { FlatDecoder.decode($0, memory: memory, line: 1, into: events) }
    guard took, let entry = events.next(), case .message(let envelope, _) = entry.event else { return nil }
    return envelope
  }

  /// The full decoder's envelope for a line, or nil if it rejects it.
  static func full(_ bytes: [UInt8]) -> Envelope? {
    bytes.withUnsafeBytes { raw in
      if case .success(let envelope) = MessageDecoder.decodeTree(line: raw) { return envelope }
      return nil
    }
  }

  /// The lines the fast path took, and those of them that differ from the full decoder (the
  /// first five are recorded as issues).
  struct Tally {
    var taken = 0
    var differ = 0

    /// Decodes `line` with `memory` and compares it; true if the fast path took it.
    @discardableResult
    mutating func check(_ line: [UInt8], memory: FlatMemory, events: EventBuffer) -> Bool {
      guard let envelope = FlatShapesTests.decoded(line, memory: memory, into: events) else { return false }
      taken += 1
      if envelope != FlatShapesTests.full(line) {
        differ += 1
        if differ <= 5 {
          Issue.record("differs from the full decoder: \(String(decoding: line, as: UTF8.self))")
        }
      }
      return true
    }
  }

  /// Whether a layout of the memory matches the line now (without decoding it).
  static func matchesLayout(_ bytes: [UInt8], memory: FlatMemory) -> Bool {
    bytes.withUnsafeBytes { raw in
      memory.shapes.match(raw, row: FlatShapes.row(raw), into: memory.scratch) != nil
    }
  }

  /// A value of the kinds a mutant puts where a value was: near misses of what the checks allow.
  static let values: [String] = [
    "null", "true", "false", "0", "-0", "-1", "1023", "1024", "7.0", "7.5", "1e2", "01", "1.", "-",
    "123456789012345", "1234567890123456", "9007199254740993", "0.000001", "-273.15", "-273.16",
    "10000", "10000.5", "1000000000", "1000000001", #""""#, #""x""#, #""ok""#, #""failed""#,
    #""degraded""#, #""OK""#, #""ok ""#, #""o\u006b""#, #""\u00e9""#, "\"\u{1}\"", #""planned""#,
    #""racked""#, #""gpu""#, #""node""#, #""rack""#, #""power""#, #""2024-09-05T02:39:04Z""#,
    #""2024-02-30T00:00:00Z""#, #""2024-09-05T24:00:00Z""#, #""2024-09-05T02:39:04.5Z""#,
    #""2024-09-05T02:39:04+01:00""#, #""abcdefghijklmnopq""#, "{}", #"{"A":1}"#, #"{"A":1,"A":2}"#, "[]",
  ]

  /// Replaces the value of one member (the bytes after a `":` up to the next `,` or `}` outside
  /// a string) with `value`; nil if the line has no such member.
  static func replacingValue(_ line: [UInt8], member: Int, with value: String) -> [UInt8]? {
    var seen = 0
    var i = 0
    while i + 1 < line.count {
      if line[i] == UInt8(ascii: "\""), line[i + 1] == UInt8(ascii: ":") {
        if seen == member {
          var end = i + 2
          var inString = false
          while end < line.count {
            let b = line[end]
            if inString {
              if b == UInt8(ascii: "\\") {
                end += 1
              } else if b == UInt8(ascii: "\"") {
                inString = false
              }
            } else if b == UInt8(ascii: "\"") {
              inString = true
            } else if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") {
              break
            }
            end += 1
          }
          return Array(line[..<(i + 2)]) + Array(value.utf8) + Array(line[end...])
        }
        seen += 1
      }
      i += 1
    }
    return nil
  }

  @Test func linesReadThroughLayoutsDecodeAsTheFullDecoder() {
    let memory = FlatMemory()
    let events = EventBuffer()
    let scenario = MutationFuzzTests.scenarioLines
    var mutator = Mutator(random: FuzzRandom(seed: 0x7368_6170))
    var tally = Tally()
    var throughLayouts = 0
    func check(_ line: [UInt8]) {
      let layout = Self.matchesLayout(line, memory: memory)
      if tally.check(line, memory: memory, events: events), layout { throughLayouts += 1 }
    }
    for _ in 0..<MutationFuzzTests.iterations {
      let line = mutator.random.pick(scenario)
      check(line)
      // The same layout with one value changed, then with bytes changed anywhere.
      let members = line.filter { $0 == UInt8(ascii: ":") }.count
      if members > 0,
        let changed = Self.replacingValue(
          line, member: mutator.random.below(members), with: mutator.random.pick(Self.values))
      {
        check(changed)
      }
      check(mutator.mutate(line, other: mutator.random.pick(scenario)))
    }
    print(
      "FlatShapes: \(tally.taken) lines taken by the fast path, \(throughLayouts) of them through a layout;"
        + " \(tally.differ) differ from the full decoder")
    #expect(tally.differ == 0)
    // The layouts did the reading for most lines, mutants included.
    #expect(throughLayouts > tally.taken / 2)
    #expect(tally.taken > MutationFuzzTests.iterations)
  }

  /// GPU, node, rack, power and unknown-type lines with members of every kind the fast path reads.
  static let sampleLines: [[UInt8]] = [
    #"{"type":"gpu","ts":"2024-09-05T02:39:04Z","node":"F-R16-K06-S8","index":7,"state":"ok","temp_c":72.5,"power_w":672}"#,
    #"{"type":"gpu","ts":1,"src":"dcim","seq":4,"node":"n1","index":3,"state":"failed","xid":79,"serial":"S1"}"#,
    #"{"type":"gpu","ts":1,"node":"n1","index":3,"extra":1}"#,
    #"{"type":"gpu","ts":1,"v":1,"node":"n1","index":3}"#,
    #"{"type":"unheard_of","ts":1,"extra":1}"#,
    #"{"type":"node","ts":"2024-09-02T19:05:44Z","id":"V-R13-K01-S8","rack":"V-R13-K01","slot":8,"u":32,"gpus":8,"kw":10.2}"#,
    #"{"type":"node","ts":1,"src":"dcim","id":"n","rack":"r","slot":1,"u":3,"stage":"burnin","gpus":8,"gpus_ok":7,"reason":null}"#,
    #"{"type":"rack","ts":"2024-07-19T09:23:54Z","src":"dcim","id":"N-R22-K06","hall":"N","row":22,"slot":6,"pod":"N-P1","stage":"delivered","links_total":72,"links_up":0}"#,
    #"{"type":"rack","ts":1,"id":"r","stage":"racked","kw":12.5,"inlet_c":24.5,"note":"x"}"#,
    #"{"type":"power","ts":1,"src":"bms","facility_mw":5.86,"it_mw":0,"halls":{"A":0,"B":1.5}}"#,
  ].map { Array($0.utf8) }

  /// Every value of `values` in every member of a GPU, node, rack and power line, each read
  /// right after the line itself (so through its layout when the bytes around the value allow).
  @Test func everyMemberWithEveryValue() {
    let memory = FlatMemory()
    let events = EventBuffer()
    let lines = Self.sampleLines
    var tally = Tally()
    for line in lines {
      let members = line.filter { $0 == UInt8(ascii: ":") }.count
      for member in 0..<members {
        for value in Self.values {
          guard let changed = Self.replacingValue(line, member: member, with: value) else { continue }
          _ = Self.decoded(line, memory: memory, into: events)
          tally.check(changed, memory: memory, events: events)
        }
      }
    }
    #expect(tally.differ == 0)
    #expect(tally.taken > 500)
  }

  @Test func hallsReadAgainMatchTheFullDecoder() {
    let memory = FlatMemory()
    let events = EventBuffer()
    var random = FuzzRandom(seed: 0x6861_6C6C)
    let names = ["A", "B", "C", "D", "AA", "AB"]
    let numbers = ["0", "1.5", "12.25", "1000000000", "3"]
    let odd = ["-1", "-0", "2e1", "01", "1000000001", "null", #""1""#]
    var tally = Tally()
    for n in 0..<4000 {
      var hallNames = names
      switch random.below(12) {
      case 0: hallNames.swapAt(0, 1)
      case 1: hallNames[2] = "A"
      case 2: hallNames.removeLast()
      case 3: hallNames.append("AC")
      default: break
      }
      let space = random.chance(1, in: 20) ? " " : ""
      let halls = hallNames.map { name in
        let number = random.chance(1, in: 40) ? random.pick(odd) : random.pick(numbers)
        return "\"\(name)\":\(space)\(number)"
      }.joined(separator: ",")
      let line = Array(#"{"type":"power","ts":\#(n),"facility_mw":1,"halls":{\#(halls)}}"#.utf8)
      tally.check(line, memory: memory, events: events)
    }
    #expect(tally.differ == 0)
    #expect(tally.taken > 500)
  }

  /// Numbers an object's memo read while a line was split (`NumberPairsMemo.match`) belong to
  /// that line only: a line that stepped aside after its object was read, then another line in
  /// the same bytes with its object at the same place, read the long way (no layout), gets its
  /// own numbers.
  @Test func numbersReadForOneLineAreNotHandedToTheNext() {
    let memory = FlatMemory()
    let events = EventBuffer()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 16)
    defer { buffer.deallocate() }
    func decode(_ text: String) -> Envelope? {
      let bytes = Array(text.utf8)
      buffer.copyBytes(from: bytes)
      events.removeAll()
      let line = UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count])
      guard FlatDecoder.decode(line, memory: memory, line: 1, into: events), let entry = events.next(),
        case .message(let envelope, _) = entry.event
      else { return nil }
      return envelope
    }
    func halls(_ envelope: Envelope?) -> [Double]? {
      guard case .power(let m)? = envelope?.message, case .some(.some(let draws)) = m.halls else {
        return nil
      }
      return draws.mw
    }
    // Learn the layout and the names.
    let learn = #"{"type":"power","ts":"2024-02-28T00:00:00Z","src":"x","halls":{"A":1,"B":2}}"#
    #expect(halls(decode(learn)) == [1, 2])
    // Its layout and object match, then its time (no such day) sends it the long way.
    let steppedAside = #"{"type":"power","ts":"2024-02-30T00:00:00Z","src":"x","halls":{"A":3,"B":4}}"#
    #expect(decode(steppedAside) == nil)
    // Another key of the same length: no layout, the object at the same place.
    let unlaidOut = #"{"type":"power","ts":"2024-02-28T00:00:00Z","srd":"x","halls":{"A":5,"B":6}}"#
    let envelope = decode(unlaidOut)
    #expect(halls(envelope) == [5, 6])
    #expect(envelope == Self.full(Array(unlaidOut.utf8)))
  }

  /// Whole-second UTC times read with the memo of the last date read as without it, through
  /// runs of one date, dates that differ in one byte, and times of day out of range.
  @Test func timesReadWithTheDayMemoAsWithout() {
    let memo = UnsafeMutablePointer<Timestamp.DayMemo>.allocate(capacity: 1)
    memo.initialize(to: Timestamp.DayMemo())
    defer { memo.deallocate() }
    var random = FuzzRandom(seed: 0x6461_7973)
    let dates = [
      "2024-02-29", "2023-02-29", "2024-02-30", "2024-12-31", "2024-13-01", "1999-01-01", "2024-04-31",
    ]
    var differ = 0
    var hits = 0
    for _ in 0..<20_000 {
      var date = Array(random.pick(dates).utf8)
      if random.chance(1, in: 8) { date[random.below(date.count)] = UInt8(0x2F + random.below(12)) }
      let time =
        String(format2(random.below(26))) + ":" + format2(random.below(61)) + ":" + format2(random.below(62))
      let text = date + Array("T\(time)Z".utf8)
      let before = memo.pointee.day
      let (with, without) = text.withUnsafeBytes {
        (Timestamp.parse(bytes: $0, memo: memo), Timestamp.parseGeneral(bytes: $0))
      }
      if before != 0, before == memo.pointee.day { hits += 1 }
      if with != without {
        differ += 1
        if differ <= 5 {
          Issue.record("\(String(decoding: text, as: UTF8.self)): \(String(describing: with))")
        }
      }
    }
    #expect(differ == 0)
    #expect(hits > 1000)
  }

  func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
