import Testing

@testable import GigatopModel

/// The fast path decodes exactly what the full decoder does: the same envelope, or it steps aside.
@Suite struct FlatDecoderTests {
  static func agree(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      MessageDecoder.decode(line: raw) == MessageDecoder.decodeTree(line: raw)
    }
  }

  @Test func handWrittenLines() {
    let lines = [
      #"{"type":"rack","ts":"2024-07-22T04:20:00Z","id":"A-R01-K01","hall":"A","row":1,"slot":1,"stage":"racked","kw":12.5}"#,
      #" { "type" : "node" , "ts" : 1721622000.25 , "id" : "n1" , "rack" : "r1" , "slot" : 3 , "x" : true } "#,
      #"{"type":"gpu","ts":1,"node":"n1","index":7,"state":"failed","temp_c":-0.0,"power_w":0.125,"xid":79}"#,
      #"{"type":"gpu","ts":1,"node":"n1","index":7.0,"temp_c":1e2}"#,
      #"{"type":"gpu","ts":1,"node":"n1","index":1024}"#,
      #"{"type":"rack","ts":1,"id":"r","links_up":5,"links_total":4}"#,
      #"{"type":"rack","ts":1,"id":"r","id":"s"}"#,
      #"{"type":"power","ts":1,"facility_mw":40.123456789012345,"it_mw":0.1}"#,
      #"{"type":"power","ts":1,"facility_mw":1.5,"halls":{"A":1}}"#,
      #"{"type":"power","ts":1,"halls":{ "A" : 1.25 , "B":0,"C":-0.0 },"x":{}}"#,
      #"{"type":"power","ts":1,"halls":{"A":1,"A":2}}"#, #"{"type":"power","ts":1,"halls":{"A":-1}}"#,
      #"{"type":"power","ts":1,"halls":{}}"#, #"{"type":"power","ts":1,"halls":null}"#,
      #"{"type":"power","ts":1,"halls":{"A":"1"}}"#, #"{"type":"power","ts":1,"halls":{"A":1,}}"#,
      #"{"type":"rack","ts":1,"id":"r","kw":{"a":1}}"#,
      #"{"type":"alert","ts":"2024-07-22T04:20:00+02:00","severity":"warn","msg":"x","extra":null}"#,
      #"{"type":"future","ts":5,"anything":[1,2]}"#,
      #"{"type":"job","ts":5,"id":null,"state":"running","gpus":98304,"v":2,"src":"s","seq":9}"#,
      #"{"type":"rack","ts":1,"id":"r","note":"caf\u00e9"}"#,
      #"{"type":"rack","ts":1,"id":"","hall":"A"}"#,
      #"{"type":"fabric","ts":1,"links_total":10,"links_up":10,"busbw_gbps":370.5}"#,
      #"{"type":"shipment","ts":1,"id":"SH-1","status":"in_transit","eta":"2024-08-01T00:00:00Z","gpus":2048}"#,
      #"{"type":"gate","ts":1,"id":"g","status":"passed","detail":"ok"}"#,
      #"{"type":"power_source","ts":1,"id":"p","kind":"grid","cap_mw":150,"status":"online"}"#,
      #"{"type":"node","ts":1,"id":"n","rack":"r","slot":1,"gpus":4,"gpus_ok":5}"#,
      #"{"type":"rack","ts":1e0,"id":"r"}"#, #"{"type":"rack","ts":-1,"id":"r"}"#, "{}", "[]", "{",
      #"{"type":"rack","ts":1,"id":"r",}"#, #"{"type":"rack","ts":1,"id":"r"} x"#,
      #"{"type":"rack","ts":1,"id":"r","kw":01}"#, #"{"type":"rack","ts":1,"id":"r","kw":1.}"#,
      #"{"type":"rack","ts":1,"id":"r","kw":123456789012345.5}"#,
      // Repeated names in an object of numbers that no reader reads.
      #"{"type":"planned","ts":1,"halls":{"C":1,"C":2}}"#,
      #"{"type":"rack","ts":1,"id":"r","x":{"a":1,"a":2}}"#,
      #"{"type":"power","ts":1,"halls":{"A":1},"x":{"a":1,"a":2}}"#,
    ]
    for line in lines {
      #expect(Self.agree(Array(line.utf8)), "\(line)")
    }
  }

  @Test func scenarioAndMutants() {
    let seeds = MutationFuzzTests.handWritten.map { Array($0.utf8) }
    let scenario = MutationFuzzTests.scenarioLines
    for line in scenario { #expect(Self.agree(line)) }
    var mutator = Mutator(random: FuzzRandom(seed: 0x666C_6174))
    var disagreements = 0
    for _ in 0..<20_000 {
      let line = mutator.random.chance(3, in: 10) ? mutator.random.pick(seeds) : mutator.random.pick(scenario)
      let other = mutator.random.pick(scenario)
      let mutant = mutator.mutate(line, other: other)
      if !Self.agree(mutant) {
        disagreements += 1
        if disagreements <= 5 {
          Issue.record("fast path disagrees on \(String(decoding: mutant, as: UTF8.self))")
        }
      }
    }
    #expect(disagreements == 0)
  }

  /// What `scan` found in a line, comparable: each member's key, kind and places, or nil.
  static func scanned(
    _ bytes: [UInt8], guesses: UnsafeMutablePointer<FlatDecoder.KeyGuess>?
  ) -> [String]? {
    bytes.withUnsafeBytes { raw -> [String]? in
      withUnsafeTemporaryAllocation(of: FlatDecoder.Field.self, capacity: FlatDecoder.maxFields) { fields in
        guard let count = FlatDecoder.scan(raw, into: fields, guesses: guesses) else { return nil }
        return fields.prefix(count).map {
          "\($0.key) \($0.kind) \($0.keyStart)+\($0.keyCount) \($0.valueStart)+\($0.valueCount) \($0.number)"
        }
      }
    }
  }

  /// Keys checked against the last line's guesses scan exactly as keys looked up afresh, line
  /// after line, through runs of types, mutants and near misses of the guessed keys.
  @Test func guessedKeysScanAsKeysLookedUp() {
    let guesses = UnsafeMutablePointer<FlatDecoder.KeyGuess>.allocate(capacity: FlatDecoder.KeyGuess.capacity)
    guesses.initialize(repeating: FlatDecoder.KeyGuess(), count: FlatDecoder.KeyGuess.capacity)
    defer { guesses.deallocate() }
    let gpu = #"{"type":"gpu","ts":1,"node":"n1","index":7,"state":"ok","temp_c":61.5,"power_w":650}"#
    var lines = [gpu, gpu]
    // The same places with other keys: a prefix, a longer key, an escape, a key cut short by the
    // end of the line, and a duplicate that only a second look finds.
    for variant in [
      #""stat":"ok""#, #""states":"ok""#, #""st\u0061te":"ok""#, #""state_":"ok""#, #""index":"ok""#,
      #""temp_c":"ok""#, #""STATE":"ok""#,
    ] {
      lines.append(gpu.replacingOccurrences(of: #""state":"ok""#, with: variant))
      lines.append(gpu)
    }
    lines.append(#"{"type":"gpu","ts":1,"node":"n1","index":7,"sta"#)
    lines.append(#"{"type":"gpu","ts":1,"node":"n1","index":7,"state"#)
    lines.append(#"{"type":"gpu","ts":1,"node":"n1","index":7,"state":"ok","index":8}"#)
    var differ = 0
    var mutants = 0
    func check(_ line: [UInt8]) {
      guard Self.scanned(line, guesses: guesses) != Self.scanned(line, guesses: nil) else { return }
      differ += 1
      if differ <= 5 { Issue.record("guesses change the scan of \(String(decoding: line, as: UTF8.self))") }
    }
    for (n, line) in lines.enumerated() {
      check(Array(line.utf8))
      if n == 1 {
        // The guesses are kept: the first key in row 0 (the type is not known before it), the
        // others in the GPU lines' row.
        let row = Array(gpu.utf8).withUnsafeBytes { FlatDecoder.KeyGuess.row($0, typeAt: 9, count: 3) }
        let held = (0..<8).map { guesses[row * FlatDecoder.maxFields + $0].key }
        #expect(guesses[0].key == .type)
        #expect(held == [.unknown, .ts, .node, .index, .state, .tempC, .powerW, .unknown])
      }
    }
    // Runs of lines in the scenario's order, one in four mutated: 6,000 lines, or as many as the
    // long fuzz run asks for (docs/reliability.md).
    var mutator = Mutator(random: FuzzRandom(seed: MutationFuzzTests.seed ^ 0x6775_6573))
    let scenario = MutationFuzzTests.scenarioLines
    let count = max(6_000, MutationFuzzTests.iterations)
    for k in 0..<count {
      let line = scenario[(k * 7 / 8) % scenario.count]
      if mutator.random.chance(1, in: 4) {
        mutants += 1
        check(mutator.mutate(line, other: mutator.random.pick(scenario)))
      } else {
        check(line)
      }
    }
    #expect(differ == 0)
    if count > 6_000 {
      print("key guesses: \(count) lines, \(mutants) mutants, \(differ) scanned differently")
    }
  }

  /// A guess matches its own key followed by a quote, and nothing else, wherever the line ends.
  @Test func aGuessMatchesOnlyItsKey() {
    for name in ["v", "state", "gpus_ok", "links_up", "busbw_gbps", "sixteen_bytes_xy"] {
      let n = name.utf8.count
      let line = Array((#"{""# + name + #"":1234567890123456789}"#).utf8)
      let g = line.withUnsafeBytes {
        FlatDecoder.KeyGuess(packed: FlatKey.pack($0, from: 2, count: n), count: Int32(n), key: .unknown)
      }
      // With room after the key for whole words, and at the very end of a line.
      let short = Array((#"{""# + name + #"":1}"#).utf8)
      for text in [line, short] {
        #expect(text.withUnsafeBytes { FlatDecoder.guessedKey($0, at: 2, g) } != nil, "\(name)")
      }
      for other in [name + "x", String(name.dropLast()), "x" + name, name.uppercased()] where other != name {
        for tail in [#"":1234567890123456789}"#, #"":1}"#] {
          let miss = Array((#"{""# + other + tail).utf8)
          #expect(miss.withUnsafeBytes { FlatDecoder.guessedKey($0, at: 2, g) } == nil, "\(name) / \(other)")
        }
      }
      // Cut off before its closing quote.
      let cut = Array((#"{""# + name).utf8)
      #expect(cut.withUnsafeBytes { FlatDecoder.guessedKey($0, at: 2, g) } == nil, "\(name) cut")
    }
  }

  /// Halls by name: up to the most members, duplicates anywhere (short and long names), all
  /// decided as the full decoder decides.
  @Test func hallObjectsWithManyNames() {
    func line(_ names: [String]) -> [UInt8] {
      let members = names.enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",")
      return Array(#"{"type":"power","ts":1,"halls":{\#(members)}}"#.utf8)
    }
    let many = (0..<FlatDecoder.maxNumberMembers).map { "H\($0)" }
    let long = (0..<10).map { "a-hall-with-a-long-name-\($0)" }
    let cases = [
      many, many.dropLast() + ["H0"], Array(many.dropLast(2)) + ["H30", "H61"], long,
      long + ["a-hall-with-a-long-name-3"],
      ["A", "B", "A"], ["AA", "AAA", "AAAA"], many + ["H64"],
    ]
    for names in cases {
      #expect(Self.agree(line(names)), "\(names.suffix(2))")
    }
    let decoded = line(many).withUnsafeBytes { FlatDecoder.decode($0) }
    guard case .power(let m)? = decoded?.message, case .some(.some(let halls)) = m.halls else {
      Issue.record("64 halls are not on the fast path")
      return
    }
    #expect(halls.names == many)
    #expect(line(many.dropLast() + ["H0"]).withUnsafeBytes { FlatDecoder.decode($0) } == nil)
  }

  /// The closing quote of a plain string, byte by byte: what the word-at-a-time scan must find.
  static func referenceStringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    var i = start
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { return i }
      if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return nil }
      i += 1
    }
    return nil
  }

  /// Numbers read a word at a time read as the byte-by-byte reader reads them: same value (to the
  /// bit, signed zeros included) and same end, over random runs of number-ish bytes with and
  /// without room after them; and the word reader takes most plain numbers.
  @Test func numbersReadByWordsAsByBytes() {
    var random = FuzzRandom(seed: 0x6E75_6D73)
    let alphabet = Array("0123456789012345678901234567890123456789.-eE+,} \"x".utf8)
    var differ = 0
    var taken = 0
    for n in 0..<200_000 {
      var text: [UInt8]
      if n % 2 == 0 {
        text = (0..<(1 + random.below(18))).map { _ in random.pick(alphabet) }
      } else {
        // A plain number: digits, maybe a point and more digits, maybe a sign.
        let whole = String(random.below(10_000_000) / (1 << random.below(20)))
        let fraction = random.chance(1, in: 2) ? "." + String(random.below(10_000_000)) : ""
        text = Array(((random.chance(1, in: 4) ? "-" : "") + whole + fraction).utf8)
      }
      text += (0..<random.below(12)).map { _ in random.pick(alphabet) }
      text.withUnsafeBytes { raw in
        guard let fast = FlatDecoder.numberByWords(raw, from: 0) else { return }
        taken += 1
        let slow = FlatDecoder.numberByBytes(raw, from: 0)
        if slow == nil || slow?.0.bitPattern != fast.0.bitPattern || slow?.1 != fast.1 {
          differ += 1
          if differ <= 5 {
            Issue.record("\(String(decoding: text, as: UTF8.self)): \(fast) vs \(String(describing: slow))")
          }
        }
      }
    }
    #expect(differ == 0)
    #expect(taken > 50_000)
  }

  @Test func plainStringsEndWhereTheByteByByteScanSays() {
    // Every special byte at every position of strings up to three words long, with room after
    // them or none (the scan may read a word only where one lies within the bytes).
    let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x80, 0xFF, 0xC3]
    let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x7F, 0x41]
    var checked = 0
    for length in 0...26 {
      for position in 0...length {
        for special in specials {
          for tail in [0, 1, 9] {
            var bytes = [UInt8](repeating: 0, count: length + 1 + tail)
            for i in 0..<bytes.count { bytes[i] = plain[(i * 5 + length) % plain.count] }
            if position < length { bytes[position] = special }
            bytes[length] = UInt8(ascii: "\"")
            for start in [0, min(3, length)] {
              let fast = bytes.withUnsafeBytes { FlatDecoder.plainString($0, from: start) }
              #expect(fast == Self.referenceStringEnd(bytes, from: start), "\(bytes) from \(start)")
              checked += 1
            }
          }
        }
      }
    }
    #expect(checked > 10_000)
    // No closing quote at all.
    let open = Array("abcdefghijklmnopq".utf8)
    #expect(open.withUnsafeBytes { FlatDecoder.plainString($0, from: 0) } == nil)
  }

  @Test func everyKnownKeyIsFoundAndNearMissesAreNot() {
    for (i, name) in FlatKey.names.enumerated() {
      let bytes = Array(name.utf8)
      // Alone (no room for whole words after it) and inside a line (room).
      for padded in [bytes, [UInt8(ascii: "\"")] + bytes + Array(#"":1234567890123456}"#.utf8)] {
        let start = padded.count == bytes.count ? 0 : 1
        let key = padded.withUnsafeBytes { FlatKey.find($0, from: start, count: bytes.count) }
        #expect(key.rawValue == UInt8(i), "\(name)")
      }
      var misses = [name + "x", String(name.dropLast()), name.uppercased(), "_" + name]
      if name.count > 1 { misses.append(String(name.dropFirst())) }
      for miss in misses where !FlatKey.names.contains(miss) {
        let line = Array((#"""# + miss + #"":1234567890123456}"#).utf8)
        let key = line.withUnsafeBytes { FlatKey.find($0, from: 1, count: miss.utf8.count) }
        #expect(key == .unknown, "\(miss)")
      }
    }
  }

  @Test func timestampsParseOrFailDigitByDigit() {
    let text = "2024-07-22T04:20:09Z"
    #expect(Timestamp.parse(text) == 1_721_622_009)
    #expect(Timestamp.parse("1999-12-31T23:59:60Z") == 946_684_800)
    #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil)
    #expect(Timestamp.parse("2023-02-29T00:00:00Z") == nil)
    #expect(Timestamp.parse("2024-07-22T24:00:00Z") == nil)
    #expect(Timestamp.parse("2024-07-22T04:60:00Z") == nil)
    #expect(Timestamp.parse("2024-13-01T00:00:00Z") == nil)
    #expect(Timestamp.parse("2024-00-01T00:00:00Z") == nil)
    // A digit replaced by anything else, anywhere, fails; so does a separator replaced by a digit.
    let bytes = Array(text.utf8)
    for i in 0..<(bytes.count - 1) {
      for replacement in [UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "a"), UInt8(ascii: "5")]
      where replacement != bytes[i] {
        var changed = bytes
        changed[i] = replacement
        let isDigit = bytes[i] >= 0x30 && bytes[i] <= 0x39
        let parsed = Timestamp.parse(String(decoding: changed, as: UTF8.self))
        if isDigit && replacement == UInt8(ascii: "5") { continue }
        #expect(parsed == nil, "\(String(decoding: changed, as: UTF8.self))")
      }
    }
  }

  /// The word-at-a-time reading of `YYYY-MM-DDTHH:MM:SSZ` gives what the byte-by-byte parser
  /// gives: on dates across four centuries (leap days, leap seconds, month ends), and with every
  /// byte of a few of them replaced by each of the 256 values.
  @Test func wholeUTCTimesParseAsTheGeneralParserDoes() {
    func both(_ bytes: [UInt8]) -> (Double?, Double?) {
      bytes.withUnsafeBytes { (Timestamp.parse(bytes: $0), Timestamp.parseGeneral(bytes: $0)) }
    }
    var random = FuzzRandom(seed: 0x7469_6D65)
    var parsedFast = 0
    for _ in 0..<20_000 {
      let year = 1900 + random.below(400)
      let month = 1 + random.below(13)
      let day = 1 + random.below(31)
      let text =
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T"
        + String(format2: random.below(25)) + ":" + String(format2: random.below(61)) + ":"
        + String(format2: random.below(62)) + "Z"
      let (fast, general) = both(Array(text.utf8))
      #expect(fast == general, "\(text)")
      if Array(text.utf8).withUnsafeBytes({ Timestamp.parseWholeUTC($0) }) != nil { parsedFast += 1 }
    }
    // Most of them are valid, and read by the word-at-a-time path.
    #expect(parsedFast > 10_000)
    for text in [
      "2024-02-29T23:59:60Z", "2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-07-22T04:20:09Z",
    ] {
      let bytes = Array(text.utf8)
      for i in bytes.indices {
        for value in 0...255 {
          var changed = bytes
          changed[i] = UInt8(value)
          let (fast, general) = both(changed)
          #expect(fast == general, "\(text) with byte \(i) = \(value)")
        }
      }
    }
  }

  static func allFound<E: FlatChoice & Equatable>(_: E.Type) -> Bool {
    E.allCases.allSatisfy { value in
      let name = Array(value.rawValue.utf8)
      let line = [UInt8(ascii: "\"")] + name + Array(#"","x":1234567890123}"#.utf8)
      let alone = name.withUnsafeBytes { E.find($0, from: 0, count: name.count) }
      let inLine = line.withUnsafeBytes { E.find($0, from: 1, count: name.count) }
      let longer = line.withUnsafeBytes { E.find($0, from: 1, count: name.count + 1) }
      let shorter = line.withUnsafeBytes { E.find($0, from: 1, count: name.count - 1) }
      return alone == value && inLine == value && longer == nil && shorter != value
    }
  }

  @Test func enumerationValuesAreToldFromTheirBytes() {
    #expect(Self.allFound(Stage.self))
    #expect(Self.allFound(GPUState.self))
    #expect(Self.allFound(ShipmentStatus.self))
    #expect(Self.allFound(PowerKind.self))
    #expect(Self.allFound(PowerStatus.self))
    #expect(Self.allFound(GateStatus.self))
    #expect(Self.allFound(JobState.self))
    #expect(Self.allFound(Severity.self))
    let upper = Array("FAILED".utf8)
    #expect(upper.withUnsafeBytes { GPUState.find($0, from: 0, count: upper.count) } == nil)
    // A line with a value no case is named goes to the full decoder, which says why.
    #expect(Self.agree(Array(#"{"type":"gpu","ts":1,"node":"n","index":1,"state":"Failed"}"#.utf8)))
    #expect(Self.agree(Array(#"{"type":"rack","ts":1,"id":"r","stage":"in_pool_and_then_some_more"}"#.utf8)))
  }
}

extension String {
  /// Two digits, zero-padded.
  fileprivate init(format2 value: Int) {
    self = value < 10 ? "0\(value)" : "\(value)"
  }
}
