import Foundation
import Testing

@testable import GigatopModel

/// SplitMix64: small, fast, and the same sequence on every machine for a given seed.
struct FuzzRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<bound` (`bound` > 0).
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  /// True with probability `numerator / denominator`.
  mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A JSON tree that can hold what a `JSONObject` cannot: duplicate keys.
indirect enum FuzzTree {
  case scalar(JSONValue)
  case array([FuzzTree])
  case object([(key: String, value: FuzzTree)])
  /// Bytes written as they are (deep nesting, odd numbers).
  case raw([UInt8])

  init(_ value: JSONValue) {
    switch value {
    case .array(let items): self = .array(items.map(FuzzTree.init))
    case .object(let o): self = .object(zip(o.keys, o.values).map { ($0, FuzzTree($1)) })
    default: self = .scalar(value)
    }
  }

  /// Serializes as compact JSON, escaping what JSON requires in strings.
  func write(into out: inout [UInt8]) {
    switch self {
    case .raw(let bytes): out += bytes
    case .scalar(.null): out += Array("null".utf8)
    case .scalar(.bool(let b)): out += Array((b ? "true" : "false").utf8)
    case .scalar(.number(let n)):
      if n == n.rounded(), abs(n) < 1e15 {
        out += Array(String(Int(n)).utf8)
      } else {
        out += Array("\(n)".utf8)
      }
    case .scalar(.string(let s)): FuzzTree.writeString(s, into: &out)
    case .scalar(let value): FuzzTree(value).write(into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        item.write(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (i, member) in members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        FuzzTree.writeString(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        member.value.write(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func writeString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
      case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
      case 0..<0x20:
        let hex = String(byte, radix: 16)
        out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// How many nodes the tree has (to pick one at random).
  var size: Int {
    switch self {
    case .array(let items): return 1 + items.reduce(0) { $0 + $1.size }
    case .object(let members): return 1 + members.reduce(0) { $0 + $1.value.size }
    default: return 1
    }
  }

  /// Replaces the node at preorder position `target` with what `change` makes of it.
  func replacing(at target: Int, _ change: (FuzzTree) -> FuzzTree) -> FuzzTree {
    var position = 0
    return replacing(at: target, position: &position, change)
  }

  private func replacing(at target: Int, position: inout Int, _ change: (FuzzTree) -> FuzzTree) -> FuzzTree {
    if position == target {
      position += size
      return change(self)
    }
    position += 1
    switch self {
    case .array(let items):
      return .array(items.map { $0.replacing(at: target, position: &position, change) })
    case .object(let members):
      return .object(members.map { ($0.key, $0.value.replacing(at: target, position: &position, change)) })
    default:
      return self
    }
  }
}

/// Makes broken (and sometimes still valid) variants of valid feed lines.
struct Mutator {
  var random: FuzzRandom

  /// Bytes worth inserting: JSON syntax, controls, C1, bidi overrides, invalid UTF-8.
  static let interesting: [[UInt8]] = [
    [0x22], [0x5C], [0x7B], [0x7D], [0x5B], [0x5D], [0x2C], [0x3A], [0x30], [0x2D], [0x65], [0x2E], [0x20],
    [0x00], [0x09], [0x0A], [0x0D], [0x1B], [0x7F], [0xC2, 0x9B], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6],
    [0xFF], [0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xC3],
    [0xEF, 0xBB, 0xBF], Array(#"\u0000"#.utf8), Array(#"\ud800"#.utf8), Array(#"\udc00"#.utf8),
    Array(#"\ud83d\ude00"#.utf8), Array(#"\u001b]52;c;eA==\u0007"#.utf8), Array(#"\u202e"#.utf8),
    Array(#"\z"#.utf8), Array(#"\u12"#.utf8), Array("\u{1B}[2J".utf8), Array("NaN".utf8), Array("1e400".utf8),
    Array("null".utf8), Array("true".utf8), Array(#""":"#.utf8), Array(#","a":1"#.utf8),
    Array(#""type""#.utf8),
  ]

  /// Replacements for a run of digits.
  static let numbers: [String] = [
    "1e400", "-1e400", "1e-400", "-0", "01", "1.", ".5", "1e", "1e+", "-", "NaN", "Infinity", "-Infinity",
    "-1",
    "1.5", "0", "1e15", "9007199254740993", "123456789012345678901234567890", "2e-324", "0x10", "+1", "1_000",
    "4294967296", "9223372036854775807", "1E2", "1e-2",
  ]

  /// Values to put where another value was.
  static let values: [JSONValue] = [
    .null, .bool(true), .bool(false), .number(0), .number(-1), .number(-0.0), .number(0.5), .number(1.5),
    .number(65), .number(1e15), .number(9e15), .number(9_007_199_254_740_993), .number(1e22), .number(1e-300),
    .number(5e-324), .number(1.7976931348623157e308), .number(-1.7976931348623157e308),
    .number(1_717_200_000),
    .string(""), .string("x"), .string("\u{1B}[2J"), .string("\u{202E}evil"), .string("\u{9B}31m"),
    .string(String(repeating: "long ", count: 2000)), .string("2024-02-30T00:00:00Z"),
    .string("2024-07-22T04:20:00+25:00"), .string("9999-12-31T23:59:60Z"), .string("0000-01-01T00:00:00Z"),
    .string("2024-07-22T04:20:00.123456789Z"), .string("planned"), .string("in_pool"), .string("failed"),
    .string("online"), .string("rack"), .string("node"), .string("gpu"), .string("site"), .string("snapshot"),
    .string("alert"), .string("A"), .string("A-R01-K01"), .array([]), .array([.number(1)]),
    .object(JSONObject()),
  ]

  static let keys: [String] = [
    "type", "ts", "id", "stage", "links_up", "links_total", "gpus", "gpus_ok", "slot", "rack", "node",
    "index",
    "halls", "nodes_per_rack", "gpus_per_node", "racks", "nodes", "site", "", "\u{0}", "v", "seq",
  ]

  /// One to three mutations of `line`; `other` is another valid line for splicing.
  mutating func mutate(_ line: [UInt8], other: [UInt8]) -> [UInt8] {
    var bytes = line
    let roll = random.below(20)
    for _ in 0..<(roll < 12 ? 1 : roll < 17 ? 2 : 3) {
      bytes = mutateOnce(bytes, other: other)
      if bytes.count > 2 << 20 { bytes.removeLast(bytes.count - (2 << 20)) }
    }
    return bytes
  }

  mutating func mutateOnce(_ line: [UInt8], other: [UInt8]) -> [UInt8] {
    var bytes = line
    let position = bytes.isEmpty ? 0 : random.below(bytes.count)
    switch random.below(20) {
    case 0:  // flip a bit
      if !bytes.isEmpty { bytes[position] ^= UInt8(1 << random.below(8)) }
    case 1:  // any byte
      if !bytes.isEmpty { bytes[position] = UInt8(random.below(256)) }
    case 2, 3:  // insert interesting bytes
      bytes.insert(contentsOf: random.pick(Self.interesting), at: random.below(bytes.count + 1))
    case 4:  // delete a range
      if !bytes.isEmpty { bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.below(16))) }
    case 5:  // duplicate a range
      if !bytes.isEmpty {
        let end = min(bytes.count, position + 1 + random.below(64))
        bytes.insert(contentsOf: bytes[position..<end], at: random.below(bytes.count + 1))
      }
    case 6:  // splice with another line
      let cut = random.below(other.count + 1)
      bytes = Array(bytes[..<position]) + Array(other[cut...])
    case 7:  // truncate
      bytes.removeSubrange(position...)
    case 8:  // a control character or invalid UTF-8 just inside a string
      if let quote = bytes.indices.filter({ bytes[$0] == UInt8(ascii: "\"") }).randomElement(using: &random) {
        bytes.insert(contentsOf: random.pick(Self.interesting.filter { $0.count <= 4 }), at: quote + 1)
      }
    case 9, 10:  // replace a number
      bytes = replaceNumber(bytes)
    default:
      bytes = mutateTree(bytes) ?? bytes
    }
    return bytes
  }

  /// Replaces a run of digits with another number-like text.
  mutating func replaceNumber(_ bytes: [UInt8]) -> [UInt8] {
    let digits = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) }
    guard let start = digits.randomElement(using: &random) else { return bytes }
    var end = start
    while end < bytes.count, (0x30...0x39).contains(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
      end += 1
    }
    var out = bytes
    out.replaceSubrange(start..<end, with: Array(random.pick(Self.numbers).utf8))
    return out
  }

  /// A change made on the parsed line: types swapped, members dropped, added or doubled, deep nesting.
  mutating func mutateTree(_ bytes: [UInt8]) -> [UInt8]? {
    guard let value = bytes.withUnsafeBytes({ try? JSONParser.parse($0) }) else { return nil }
    let tree = FuzzTree(value)
    let target = random.below(tree.size)
    let choice = random.below(6)
    var random = self.random
    let changed = tree.replacing(at: target) { node in
      switch (choice, node) {
      case (0, .object(var members)) where !members.isEmpty:  // duplicate a key
        let member = members[random.below(members.count)]
        let value = random.chance(1, in: 2) ? member.value : .scalar(random.pick(Mutator.values))
        members.insert((member.key, value), at: random.below(members.count + 1))
        return .object(members)
      case (1, .object(var members)) where !members.isEmpty:  // drop a member (type, ts, id...)
        members.remove(at: random.below(members.count))
        return .object(members)
      case (2, .object(var members)):  // add a member
        members.insert(
          (random.pick(Mutator.keys), .scalar(random.pick(Mutator.values))),
          at: random.below(members.count + 1))
        return .object(members)
      case (3, _):  // deep nesting in place of the value
        let depth = random.pick([2, 100, 511, 512, 513, 600, 5000, 200_000])
        let open = random.chance(1, in: 2) ? [UInt8(ascii: "[")] : Array(#"{"a":"#.utf8)
        let close = open.count == 1 ? UInt8(ascii: "]") : UInt8(ascii: "}")
        var raw: [UInt8] = []
        raw.reserveCapacity(depth * (open.count + 1) + 1)
        for _ in 0..<depth { raw += open }
        raw.append(UInt8(ascii: "1"))
        raw += [UInt8](repeating: close, count: depth)
        return .raw(raw)
      default:  // another value, often of another type
        return .scalar(random.pick(Mutator.values))
      }
    }
    self.random = random
    var out: [UInt8] = []
    changed.write(into: &out)
    return out
  }
}

extension FuzzRandom: RandomNumberGenerator {}

/// What happened to the mutants.
struct FuzzTally: CustomStringConvertible {
  var mutants = 0
  var blank = 0
  var applied = 0
  var ignored = 0
  var rejectedByDecoder = 0
  var rejectedByReducer = 0
  var streamLines = 0
  var jsonCompared = 0
  var jsonAgreed = 0
  var differences: [String: Int] = [:]

  var description: String {
    let diffs = differences.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    return
      "\(mutants) mutants: \(applied) applied, \(ignored) ignored, \(rejectedByDecoder) rejected by the decoder, "
      + "\(rejectedByReducer) by the reducer, \(blank) blank; "
      + "\(streamLines) lines through the splitter; JSON vs Foundation: \(jsonAgreed) of \(jsonCompared) agree"
      + (diffs.isEmpty ? "" : "; documented differences: \(diffs)")
  }
}

/// Deterministic mutation fuzzing of valid feed lines through the real decode-and-apply path, and a
/// differential check of `JSONParser` against Foundation's `JSONSerialization` on the same mutants.
///
/// 5,000 mutants by default. `GIGATOP_FUZZ_ITERATIONS=N` runs N (the long run; see
/// docs/reliability.md), `GIGATOP_FUZZ_SEED=S` another sequence.
@Suite struct MutationFuzzTests {
  static let environment = ProcessInfo.processInfo.environment
  static let iterations = environment["GIGATOP_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 5000
  static let seed = environment["GIGATOP_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x6769_6761_746F_70

  /// Hand-written valid lines: every type, numeric and offset times, escapes, non-ASCII, partial updates.
  static let handWritten: [String] = [
    siteLine,
    rackLine("R1", "racked", extra: #","pod":"P1","kw":52.1,"inlet_c":31.2,"links_up":70,"links_total":72"#),
    rackLine("R2", "burnin", slot: 2, extra: #","note":"pump \"2\" swapped\n\u00e9\ud83d\ude00""#),
    #"{"type":"rack","ts":1717300000.5,"id":"R1","stage":"cabled","kw":null}"#,
    #"{"type":"node","ts":"2024-06-01T00:00:00+02:00","id":"R1-N1","rack":"R1","slot":1,"u":21,"stage":"burnin","kw":8.1,"gpus":8,"gpus_ok":7,"reason":"XID 79"}"#,
    #"{"type":"node","ts":"2024-06-01T01:00:00Z","id":"R2-N4","rack":"R2","slot":4}"#,
    #"{"type":"gpu","ts":"2024-06-01T00:00:00.25Z","node":"R1-N1","index":3,"state":"failed","temp_c":61,"power_w":640,"xid":79,"serial":"1654922031337"}"#,
    #"{"type":"gpu","ts":"2024-06-01T00:00:00Z","node":"later-node","index":1,"state":"degraded"}"#,
    #"{"type":"shipment","ts":"2024-06-01T00:00:00Z","id":"SH-1","po":"PO-1","vendor":"Supermicro","sku":"H100-SXM","gpus":512,"status":"in_transit","eta":"2024-07-10T00:00:00Z"}"#,
    #"{"type":"supply","ts":"2024-06-01T00:00:00Z","sku":"H100-SXM","needed":102400,"lead_time_days":56}"#,
    #"{"type":"power","ts":"2024-06-01T00:00:00Z","facility_mw":39.8,"it_mw":32.1,"halls":{"A":18.2,"B":14.0}}"#,
    #"{"type":"power_source","ts":"2024-06-01T00:00:00Z","id":"bat-1","kind":"battery","cap_mw":8,"mwh":32,"status":"online","eta":"2024-08-01T00:00:00Z"}"#,
    #"{"type":"fabric","ts":"2024-06-01T00:00:00Z","links_total":115200,"links_up":114980,"busbw_gbps":318}"#,
    #"{"type":"gate","ts":"2024-06-01T00:00:00Z","id":"nccl-full","name":"Full-fabric all-reduce","status":"running","detail":"busbw 318 of 380 GB/s"}"#,
    #"{"type":"job","ts":"2024-06-01T00:00:00Z","id":"pretrain-1","state":"running","gpus":30720}"#,
    #"{"type":"alert","ts":"2024-06-01T00:00:00Z","severity":"crit","ref":"R1","msg":"CDU pump 2 fault","v":1,"src":"bms","seq":7}"#,
    #"{"type":"cooling_loop","ts":"2024-06-01T00:00:00Z","id":"L1","extra":{"nested":[1,2,{"x":null}]}}"#,
    #"{"type":"snapshot","ts":"2024-06-02T00:00:00Z","site":{"id":"X","nodes_per_rack":4,"halls":[{"id":"A","rows":2,"racks_per_row":4}]},"racks":[{"id":"R1","hall":"A","row":1,"slot":1,"stage":"racked","links_up":1,"links_total":2}],"nodes":[{"id":"R1-N1","rack":"R1","slot":1}],"gpus":[{"node":"R1-N1","index":0,"state":"ok"}],"shipments":[{"id":"S","gpus":8,"status":"delivered"}],"supply":[{"sku":"H","needed":64}],"power":{"facility_mw":1,"halls":{"A":0.5}},"power_sources":[{"id":"g","kind":"grid","cap_mw":2,"status":"online"}],"fabric":{"links_total":10,"links_up":5},"gates":[{"id":"g1","status":"passed"}],"job":{"state":"queued","gpus":8}}"#,
    "  {\"type\" : \"job\" ,\t\"ts\" : 1717200000 , \"state\" : \"queued\" }  ",
  ]

  /// The built-in scenario's lines, made once.
  static let scenarioLines: [[UInt8]] = ScenarioGenerator(options: ScenarioOptions()).lines().map {
    Array($0.utf8)
  }

  /// A fresh intake holding the hand-written lines, so mutants meet existing racks, nodes and GPUs.
  static func baseIntake() -> FeedIntake {
    var intake = FeedIntake(feedNames: ["fuzz"])
    for (i, line) in handWritten.enumerated() {
      var text = line
      text.withUTF8 { raw in
        if let event = FeedEvent.decode(.bytes(UnsafeRawBufferPointer(raw)), feed: "fuzz", line: i + 1) {
          intake.apply(event, feed: 0)
        }
      }
    }
    return intake
  }

  static func isBlank(_ bytes: [UInt8]) -> Bool {
    bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  /// Runs `count` mutants; records issues for any rule broken; returns the tally.
  static func run(count: Int, seed: UInt64, compareWithFoundation: Bool) -> FuzzTally {
    var mutator = Mutator(random: FuzzRandom(seed: seed))
    let seeds = handWritten.map { Array($0.utf8) }
    var tally = FuzzTally()
    var intake = baseIntake()
    var round: [[UInt8]] = []
    for index in 0..<count {
      let pickHand = mutator.random.chance(3, in: 10) || scenarioLines.isEmpty
      let line = pickHand ? mutator.random.pick(seeds) : mutator.random.pick(scenarioLines)
      let other =
        mutator.random.chance(1, in: 2) ? mutator.random.pick(seeds) : mutator.random.pick(scenarioLines)
      let mutant = mutator.mutate(line, other: other)
      tally.mutants += 1
      check(mutant, number: index + 1, intake: &intake, tally: &tally)
      if compareWithFoundation { compare(mutant, tally: &tally) }
      round.append(mutant)
      if round.count == 250 {
        stream(round, random: &mutator.random, tally: &tally)
        round.removeAll(keepingCapacity: true)
        let c = intake.state.counters
        if c.lines != c.applied + c.ignored + c.rejected {
          Issue.record("counters do not add up: \(c)")
        }
        intake = baseIntake()
      }
    }
    return tally
  }

  /// Decodes and applies one mutant the way the live loop does: applied, ignored or rejected with a reason.
  static func check(_ mutant: [UInt8], number: Int, intake: inout FeedIntake, tally: inout FuzzTally) {
    let event = mutant.withUnsafeBytes { FeedEvent.decode(.bytes($0), feed: "fuzz", line: number) }
    guard let event else {
      tally.blank += 1
      if !isBlank(mutant) { Issue.record("a non-blank line produced no event: \(show(mutant))") }
      return
    }
    switch event {
    case .rejected(let error):
      tally.rejectedByDecoder += 1
      if error.reason.isEmpty || error.line != number {
        Issue.record("bad rejection \(error) for \(show(mutant))")
      }
      intake.apply(event, feed: 0)
    case .message(let envelope, _):
      let before = intake.state
      let counters = intake.feeds[0].counters
      if let error = intake.apply(event, feed: 0) {
        tally.rejectedByReducer += 1
        if error.reason.isEmpty { Issue.record("empty reason for \(show(mutant))") }
        var unchanged = before
        unchanged.counters = intake.state.counters
        if intake.state != unchanged { Issue.record("a rejected line changed the state: \(show(mutant))") }
        if intake.feeds[0].counters.rejected != counters.rejected + 1 {
          Issue.record("rejection not counted")
        }
      } else if case .unknown = envelope.message {
        tally.ignored += 1
        if intake.feeds[0].counters.ignored != counters.ignored + 1 {
          Issue.record("ignored line not counted")
        }
      } else {
        tally.applied += 1
        if intake.feeds[0].counters.applied != counters.applied + 1 {
          Issue.record("applied line not counted")
        }
      }
    }
  }

  /// Sends a round of mutants through the line splitter in random pieces; line numbers must run 1, 2, 3...
  static func stream(_ mutants: [[UInt8]], random: inout FuzzRandom, tally: inout FuzzTally) {
    var buffer: [UInt8] = []
    for mutant in mutants { buffer += mutant + [0x0A] }
    var splitter = LineSplitter(maxLine: random.chance(1, in: 3) ? 128 : 1 << 20)
    var expected = 1
    var start = 0
    let body: (Int, LineSplitter.Content) -> Void = { number, content in
      if number != expected { Issue.record("line \(number) handed out, expected \(expected)") }
      expected += 1
      if let event = FeedEvent.decode(content, feed: "stream", line: number), case .rejected(let e) = event,
        e.reason.isEmpty
      {
        Issue.record("empty reason in the stream")
      }
    }
    while start < buffer.count {
      let end = min(buffer.count, start + 1 + random.below(random.chance(1, in: 4) ? 8 : 4096))
      buffer[start..<end].withUnsafeBytes { splitter.push($0, body) }
      start = end
    }
    splitter.finish(body)
    let newlines = buffer.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    if expected - 1 != newlines { Issue.record("\(expected - 1) lines handed out for \(newlines) newlines") }
    tally.streamLines += expected - 1
  }

  /// Our parser against Foundation's on the same bytes: accept/reject must agree, except where documented.
  static func compare(_ mutant: [UInt8], tally: inout FuzzTally) {
    let (ours, failure) = parse(mutant)
    let theirs = try? JSONSerialization.jsonObject(with: Data(mutant), options: [.fragmentsAllowed])
    tally.jsonCompared += 1
    switch (ours, theirs) {
    case (let value?, let object?):
      if agree(value, object) {
        tally.jsonAgreed += 1
      } else if agree(value, object, ignoringBOM: true) {
        tally.differences["U+FEFF in a string, dropped by Foundation", default: 0] += 1
      } else {
        Issue.record("both accept but read different values: \(show(mutant))")
      }
    case (nil, nil):
      tally.jsonAgreed += 1
    case (nil, _?):
      guard let kind = documentedDifference(mutant, failure) else {
        Issue.record("only Foundation accepts (\(failure?.description ?? "?")): \(show(mutant))")
        return
      }
      tally.differences[kind, default: 0] += 1
    case (_?, nil):
      Issue.record("only JSONParser accepts: \(show(mutant))")
    }
  }

  /// Our parser's value, or why it rejects the bytes.
  static func parse(_ bytes: [UInt8]) -> (JSONValue?, JSONParser.Failure?) {
    bytes.withUnsafeBytes { raw in
      do throws(JSONParser.Failure) {
        return (try JSONParser.parse(raw), nil)
      } catch {
        return (nil, error)
      }
    }
  }

  /// Why Foundation accepts a text our parser rejects, when that is a known, deliberate difference.
  static func documentedDifference(_ bytes: [UInt8], _ failure: JSONParser.Failure?) -> String? {
    guard let failure else { return nil }
    // Duplicate keys: Foundation keeps the last; v1 rejects the line.
    if failure.message.hasPrefix("duplicate key") { return "duplicate keys" }
    // An overflowing number that a duplicate key shadows: Foundation never converts it.
    if failure.message.contains("is out of range") {
      var end = failure.offset
      while end < bytes.count, !",}] \t\r\n".utf8.contains(bytes[end]) { end += 1 }
      var patched = bytes
      patched.replaceSubrange(failure.offset..<end, with: [UInt8(ascii: "0")])
      if parse(patched).1?.message.hasPrefix("duplicate key") == true {
        return "overflowing number under a duplicate key"
      }
    }
    // Foundation guesses UTF-16/UTF-32 from NUL bytes in the first four, and skips a byte order mark.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "byte order mark" }
    if bytes.prefix(4).contains(0) { return "UTF-16/32 guessed by Foundation" }
    // Foundation accepts a trailing comma before `]` or `}`; RFC 8259 does not.
    var at = failure.offset
    while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    if at < bytes.count, bytes[at] == UInt8(ascii: "]") || bytes[at] == UInt8(ascii: "}") {
      var before = failure.offset - 1
      while before >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[before]) { before -= 1 }
      if before >= 0, bytes[before] == UInt8(ascii: ",") { return "trailing comma" }
    }
    return nil
  }

  /// Whether our value and Foundation's hold the same data; with `ignoringBOM`, U+FEFF in strings
  /// and keys does not count (Foundation drops a raw U+FEFF that starts a string or follows an escape).
  static func agree(_ ours: JSONValue, _ theirs: Any, ignoringBOM: Bool = false) -> Bool {
    func text(_ s: String) -> String {
      ignoringBOM ? String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\u{FEFF}" })) : s
    }
    switch ours {
    case .null: return theirs is NSNull
    case .bool(let b): return boolean(theirs) == b
    case .number(let d):
      guard boolean(theirs) == nil, let other = number(theirs) else { return false }
      return d == other || abs(d - other) <= abs(d) * 1e-15
    case .string(let s):
      guard let t = theirs as? String else { return false }
      return text(s) == text(t)
    case .array(let items):
      guard let list = theirs as? [Any], list.count == items.count else { return false }
      return zip(items, list).allSatisfy { agree($0, $1, ignoringBOM: ignoringBOM) }
    case .object(let o):
      guard let dict = theirs as? [String: Any] else { return false }
      var byKey: [String: Any] = [:]
      for (key, value) in dict { byKey[text(key)] = value }
      // Keys that differ only by U+FEFF are one key to Foundation: the last one wins.
      var ourByKey: [String: JSONValue] = [:]
      for (key, value) in zip(o.keys, o.values) { ourByKey[text(key)] = value }
      guard byKey.count == ourByKey.count, ignoringBOM || ourByKey.count == o.count else { return false }
      return ourByKey.allSatisfy { key, value in
        byKey[key].map { agree(value, $0, ignoringBOM: ignoringBOM) } ?? false
      }
    }
  }

  /// Foundation's boolean, however it is boxed.
  static func boolean(_ value: Any) -> Bool? {
    if let b = value as? Bool, type(of: value) == Bool.self { return b }
    // On Linux a JSON boolean is an NSNumber of objCType "c" (a number is never a char).
    guard let n = value as? NSNumber, String(cString: n.objCType) == "c" else { return nil }
    return n.boolValue
  }

  /// Foundation's number, however it is boxed.
  static func number(_ value: Any) -> Double? {
    switch value {
    case let i as Int: return Double(i)
    case let d as Double: return d
    case let d as Decimal: return NSDecimalNumber(decimal: d).doubleValue
    case let n as NSNumber: return n.doubleValue
    default: return nil
    }
  }

  static func show(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    return bytes.count > 300 ? text + "… (\(bytes.count) bytes)" : text
  }

  @Test func mutantsAreAppliedOrRejectedWithAReason() {
    let tally = Self.run(count: Self.iterations, seed: Self.seed, compareWithFoundation: true)
    print("MutationFuzz seed \(Self.seed): \(tally)")
    #expect(tally.mutants == Self.iterations)
    // The mutants must exercise every outcome, or the fuzzer has gone blind.
    #expect(tally.applied > 0 && tally.rejectedByDecoder > 0 && tally.rejectedByReducer > 0)
    #expect(tally.jsonAgreed > tally.jsonCompared / 2)
  }

  @Test func theSameSeedMakesTheSameMutants() {
    var a = Mutator(random: FuzzRandom(seed: 42))
    var b = Mutator(random: FuzzRandom(seed: 42))
    let line = Array(siteLine.utf8)
    for _ in 0..<200 { #expect(a.mutate(line, other: line) == b.mutate(line, other: line)) }
  }

  /// The documented differences from Foundation, one example each, so the list stays true.
  @Test func documentedDifferencesFromFoundation() throws {
    let examples: [(String, String)] = [
      (#"{"a":1,"a":2}"#, "duplicate keys"), ("[1,]", "trailing comma"), (#"{"a":1 , }"#, "trailing comma"),
      ("\u{FEFF}{}", "byte order mark"), ("\u{0}{\u{0}}", "UTF-16/32 guessed by Foundation"),
      (#"{"ts":1e400,"ts":1}"#, "overflowing number under a duplicate key"),
    ]
    for (text, kind) in examples {
      let bytes = Array(text.utf8)
      let failure = Self.parse(bytes).1
      #expect(failure != nil, "JSONParser accepts \(text.debugDescription)")
      #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil)
      #expect(Self.documentedDifference(bytes, failure) == kind, "\(text.debugDescription)")
    }
    // A raw U+FEFF starting a string or following an escape: Foundation drops it, JSONParser keeps it.
    let bom = Array("{\"\u{FEFF}k\":\"\u{FEFF}v\\n\u{FEFF}w\"}".utf8)
    let ours = try #require(Self.parse(bom).0)
    #expect(ours == (try JSONParser.parse(#"{"\ufeffk":"\ufeffv\n\ufeffw"}"#)))
    let theirs = try #require(
      try? JSONSerialization.jsonObject(with: Data(bom), options: [.fragmentsAllowed]))
    #expect(!Self.agree(ours, theirs))
    #expect(Self.agree(ours, theirs, ignoringBOM: true))
    // Keys that differ only by a leading U+FEFF are one key to Foundation (the last wins).
    let twin = Array("{\"\u{FEFF}id\":1,\"id\":2}".utf8)
    let ourTwin = try #require(Self.parse(twin).0)
    let theirTwin = try #require(
      try? JSONSerialization.jsonObject(with: Data(twin), options: [.fragmentsAllowed]))
    #expect(!Self.agree(ourTwin, theirTwin))
    #expect(Self.agree(ourTwin, theirTwin, ignoringBOM: true))
    // Where both reject: overflowing numbers, nesting past 512, lone surrogates, NaN.
    for text in [
      "1e400", String(repeating: "[", count: 513) + String(repeating: "]", count: 513), #""\ud800""#, "NaN",
    ] {
      #expect((try? JSONParser.parse(text)) == nil)
      #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil)
    }
  }
}
