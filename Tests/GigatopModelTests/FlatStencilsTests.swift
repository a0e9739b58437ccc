import Testing

@testable import GigatopModel

/// Lines read through a stencil (`FlatStencils`: a recent line of the same length, its values cut
/// out) decode exactly as the full decoder decodes them, and the stencil's two checks (plain
/// strings, numbers of a known span) agree with the readers `FlatDecoder` uses.
@Suite struct FlatStencilsTests {
  /// Whether a stencil of the memory matches the line now (without decoding it).
  static func matchesStencil(_ bytes: [UInt8], memory: FlatMemory) -> Bool {
    bytes.withUnsafeBytes { raw in memory.stencils.match(raw, row: FlatShapes.row(raw)) != nil }
  }

  /// Bytes a mutant puts in place of one byte: each kind the checks tell apart.
  static let swaps: [UInt8] = Array(#""\{}[],:.-+eE019 az"#.utf8) + [0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]

  /// Every byte of every scenario line (and of hand-written ones) replaced by each of `swaps`,
  /// each mutant read right after its line (so through the line's stencil when it matches).
  @Test func sameLengthMutantsReadAsTheFullDecoder() {
    let memory = FlatMemory()
    let events = EventBuffer()
    var lines = FlatShapesTests.sampleLines
    lines += [
      #"{"type":"node","ts":"2024-09-02T19:05:44Z","id":"V-R13-K01-S8","rack":"V-R13-K01","slot":8,"u":32,"gpus":8,"kw":10.2}"#,
      #"{"type":"rack","ts":"2024-07-19T09:23:54Z","src":"dcim","id":"N-R22-K06","stage":"burnin","kw":-0.5,"inlet_c":0,"links_up":72}"#,
      #"{"type":"rack","ts":1,"id":"r","stage":null,"kw":100.25,"inlet_c":24.5,"note":"","links_up":true}"#,
      #"{ "type" : "job", "ts" : 1.5, "id" : "j", "state" : "running", "gpus" : 10 }"#,
    ].map { Array($0.utf8) }
    var random = FuzzRandom(seed: 0x7374_656E)
    let scenario = MutationFuzzTests.scenarioLines
    for _ in 0..<10 { lines.append(random.pick(scenario)) }
    var tally = FlatShapesTests.Tally()
    var throughStencils = 0
    for line in lines where line.count <= FlatStencils.capacity {
      for position in line.indices {
        for swap in Self.swaps where swap != line[position] {
          // The line twice: its layout is learned, then its stencil.
          _ = FlatShapesTests.decoded(line, memory: memory, into: events)
          _ = FlatShapesTests.decoded(line, memory: memory, into: events)
          var mutant = line
          mutant[position] = swap
          let stencil = Self.matchesStencil(mutant, memory: memory)
          if tally.check(mutant, memory: memory, events: events), stencil { throughStencils += 1 }
        }
      }
    }
    print("FlatStencils: \(tally.taken) mutants taken, \(throughStencils) through a stencil")
    #expect(tally.differ == 0)
    #expect(throughStencils > 1000)
  }

  /// A span of number-like bytes reads to the value `FlatDecoder.number` reads, to the bit, when
  /// that reader ends exactly at the span's end; when the span reader says nil, the decoder's
  /// reader either stops elsewhere or steps aside too, or the number has more than 15 digits.
  @Test func spansReadAsTheDecoderReadsThem() {
    var random = FuzzRandom(seed: 0x6E75_6D62)
    let alphabet = Array("0123456789.-e".utf8)
    var agreed = 0
    for _ in 0..<200_000 {
      let count = 1 + random.below(17)
      var bytes = (0..<count).map { _ in
        random.below(4) == 0 ? random.pick(alphabet) : UInt8(0x30 + random.below(10))
      }
      // A terminator the decoder stops at, and room after it.
      bytes += Array(",\"x\":1}".utf8)
      bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        let span = FlatStencils.number(base, from: 0, count: count)
        let read = FlatDecoder.number(raw, from: 0)
        if let span {
          guard let (value, end) = read else {
            Issue.record(
              "span read \(span) where the decoder steps aside: \(String(decoding: bytes, as: UTF8.self))")
            return
          }
          #expect(end == count)
          #expect(value.bitPattern == span.bitPattern)
          agreed += 1
        } else if let (_, end) = read, end == count {
          // Only numbers beyond 15 digits are the decoder's alone.
          let digits = bytes[0..<count].filter { $0 >= 0x30 && $0 <= 0x39 }.count
          #expect(digits > 15, "span reader refused \(String(decoding: bytes, as: UTF8.self))")
        }
      }
    }
    #expect(agreed > 10_000)
  }

  /// `marks` flags exactly the bytes `FlatDecoder.plainString` stops at: a string made of the
  /// sixteen bytes and a closing quote runs to that quote just when no byte is flagged, and each
  /// byte is flagged just when a string of that one byte does not.
  @Test func marksFlagTheBytesTheStringScanStopsAt() {
    var random = FuzzRandom(seed: 0x6D61_726B)
    let specials: [UInt8] = [
      0x22, 0x5C, 0x00, 0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF,
    ]
    for byte in 0...255 {
      let one = [UInt8(byte), UInt8(ascii: "\""), 0, 0, 0, 0, 0, 0, 0, 0]
      let scanned = one.withUnsafeBytes { FlatDecoder.plainString($0, from: 0) == 1 }
      let flagged = FlatStencils.marks(SIMD16<UInt8>(repeating: UInt8(byte)))
      #expect(flagged == (scanned ? .zero : SIMD16(repeating: 0xFF)), "byte \(byte)")
    }
    for _ in 0..<50_000 {
      var bytes = (0..<16).map { _ in UInt8(0x41 + random.below(26)) }
      for _ in 0..<random.below(3) { bytes[random.below(16)] = random.pick(specials) }
      let flagged = bytes.withUnsafeBytes { FlatStencils.marks($0.loadUnaligned(as: SIMD16<UInt8>.self)) }
      let scanned = (bytes + [UInt8(ascii: "\"")]).withUnsafeBytes {
        FlatDecoder.plainString($0, from: 0) == 16
      }
      #expect((flagged == .zero) == scanned, "\(bytes)")
    }
  }

  /// A stencil holds the layout's members for lines of its length only, and gives them back
  /// with the new line's numbers.
  @Test func aStencilGivesTheMembersWithTheNewNumbers() throws {
    let memory = FlatMemory()
    let events = EventBuffer()
    let first = Array(#"{"type":"gpu","ts":1,"node":"n1","index":3,"temp_c":61.5}"#.utf8)
    let second = Array(#"{"type":"gpu","ts":2,"node":"n2","index":4,"temp_c":-1.5}"#.utf8)
    let longer = Array(#"{"type":"gpu","ts":2,"node":"n22","index":4,"temp_c":-1.25}"#.utf8)
    _ = FlatShapesTests.decoded(first, memory: memory, into: events)
    #expect(!Self.matchesStencil(second, memory: memory))
    _ = FlatShapesTests.decoded(first, memory: memory, into: events)
    let found = second.withUnsafeBytes { raw in
      memory.stencils.match(raw, row: FlatShapes.row(raw)).map { Array($0.0) }
    }
    let members = try #require(found)
    #expect(members.map(\.key) == [.type, .ts, .node, .index, .tempC])
    #expect(members.map(\.number) == [0, 2, 0, 4, -1.5])
    #expect(!Self.matchesStencil(longer, memory: memory))
    let envelope = FlatShapesTests.decoded(second, memory: memory, into: events)
    #expect(envelope == FlatShapesTests.full(second))
  }
}
