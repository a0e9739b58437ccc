import Foundation
import Testing

@testable import GigatopModel

/// A temporary folder for real feed files; removed when the value goes away.
final class HardeningScratch {
  let folder: URL

  init(_ label: String) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  deinit {
    // A test may have taken permissions away; give them back so the folder can go.
    _ = chmod(folder.path, 0o755)
    try? FileManager.default.removeItem(at: folder)
  }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  /// Writes bytes to a new file (replacing one of that name) and returns its path.
  @discardableResult
  func write(_ bytes: [UInt8], to name: String) throws -> String {
    let file = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  /// Appends bytes to a file, creating it when missing, through a separate descriptor (as a writer would).
  func append(_ bytes: [UInt8], to name: String) throws {
    let file = path(name)
    if !FileManager.default.fileExists(atPath: file) {
      _ = FileManager.default.createFile(atPath: file, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
  }
}

/// One bad line and the words its rejection must mention.
struct BadLine: Sendable, CustomTestStringConvertible {
  let label: String
  let bytes: [UInt8]
  let mentions: [String]

  init(_ label: String, _ text: String, _ mentions: String...) {
    self.label = label
    bytes = Array(text.utf8)
    self.mentions = mentions
  }

  init(_ label: String, bytes: [UInt8], _ mentions: String...) {
    self.label = label
    self.bytes = bytes
    self.mentions = mentions
  }

  var testDescription: String { label }
}

/// Every rule of format v1's "Bad input", through the real path: a bad line between two good
/// lines in a real file, read by `FeedIntake.load` (headless) and by `FeedSource.poll` (live).
@Suite struct BadInputTests {
  let scratch: HardeningScratch

  init() throws { scratch = try HardeningScratch("bad-input") }

  static let ts = #""ts":"2024-06-01T00:00:00Z""#
  /// The good line after the bad one: a new rack, so that it is easy to see it was applied.
  static let after = rackLine("AFTER", "racked", ts: "2024-06-02T00:00:00Z", slot: 2)

  static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// A rack line whose `note` string holds raw bytes (for invalid UTF-8).
  static func noteWithBytes(_ bytes: [UInt8]) -> [UInt8] {
    utf8(#"{"type":"rack",\#(ts),"id":"R9","hall":"A","row":1,"slot":3,"note":""#) + bytes + utf8(#""}"#)
  }

  static let cases: [BadLine] = [
    // Not JSON at all, or broken JSON.
    BadLine("prose", "this is not json", "invalid JSON", "invalid literal"),
    BadLine("shell prompt", "$ tail -f feed", "invalid JSON", "unexpected character '$'"),
    BadLine("cut short", #"{"type":"rack","ts":"2024-06-01T"#, "invalid JSON", "unterminated string"),
    BadLine("open brace", "{", "invalid JSON", "end of input"),
    BadLine(
      "trailing comma", #"{"type":"job",\#(ts),"state":"queued",}"#, "invalid JSON", "expected a string key"),
    BadLine("single quotes", #"{'type':'job'}"#, "invalid JSON", "expected a string key"),
    BadLine("comment", #"// {"type":"job"}"#, "invalid JSON", "unexpected character '/'"),
    BadLine("missing colon", #"{"type" "job"}"#, "invalid JSON", "expected ':'"),
    BadLine("raw tab in a string", "{\"type\":\"job\",\(ts),\"id\":\"a\tb\"}", "control character"),
    BadLine("raw NUL in a string", "{\"type\":\"job\",\(ts),\"id\":\"a\u{0}b\"}", "control character"),
    BadLine("bad escape", #"{"type":"job",\#(ts),"id":"\x41"}"#, "invalid escape"),
    BadLine("lone surrogate", #"{"type":"job",\#(ts),"id":"\ud800"}"#, "lone surrogate"),
    BadLine("leading zero", #"{"type":"job",\#(ts),"gpus":012}"#, "leading zero"),
    BadLine("byte order mark", "\u{FEFF}{\"type\":\"job\",\(ts)}", "invalid JSON", "byte 0xEF"),
    // Numbers JSON does not have, or a double cannot hold.
    BadLine("NaN", #"{"type":"power",\#(ts),"facility_mw":NaN}"#, "NaN and Infinity"),
    BadLine("Infinity", #"{"type":"power",\#(ts),"facility_mw":Infinity}"#, "NaN and Infinity"),
    BadLine("-Infinity", #"{"type":"power",\#(ts),"facility_mw":-Infinity}"#, "invalid number"),
    BadLine("1e400", #"{"type":"power",\#(ts),"facility_mw":1e400}"#, "1e400 is out of range"),
    BadLine("-1e400", #"{"type":"power",\#(ts),"it_mw":-1e400}"#, "out of range"),
    BadLine("ts 1e400", #"{"type":"job","ts":1e400,"state":"queued"}"#, "out of range"),
    // Finite but absurd numbers: once they crashed the summary and the screen (Int conversions,
    // overflowing products, terabyte slot tables); now they are out of their field's domain.
    BadLine("ts 1e300", #"{"type":"job","ts":1e300,"state":"queued"}"#, "field ts", "between 1970 and 9999"),
    BadLine(
      "negative ts", #"{"type":"job","ts":-1e300,"state":"queued"}"#, "field ts", "between 1970 and 9999"),
    BadLine("eta 1e300", #"{"type":"shipment",\#(ts),"id":"S","eta":1e300}"#, "field eta", "between 1970"),
    BadLine(
      "nodes_per_rack 1e12", #"{"type":"site",\#(ts),"nodes_per_rack":1000000000000}"#,
      "field nodes_per_rack", "above"),
    BadLine(
      "gpus_per_node 8e15", #"{"type":"site",\#(ts),"gpus_per_node":8000000000000000}"#,
      "field gpus_per_node", "above"),
    BadLine(
      "hall rows 8e15", #"{"type":"site",\#(ts),"halls":[{"id":"A","rows":8000000000000000}]}"#,
      "halls[0].rows", "above"),
    BadLine(
      "facility_mw 1e300", #"{"type":"power",\#(ts),"facility_mw":1e300}"#, "field facility_mw", "above"),
    BadLine(
      "cap_mw 1e300", #"{"type":"power_source",\#(ts),"id":"g","cap_mw":1e300}"#, "field cap_mw", "above"),
    // Something after the value.
    BadLine("trailing garbage", #"{"type":"job",\#(ts),"state":"queued"} x"#, "after the JSON value"),
    BadLine("two objects", #"{"type":"job",\#(ts)}{"type":"job",\#(ts)}"#, "after the JSON value"),
    BadLine("trailing comma after value", #"{"type":"job",\#(ts)},"#, "after the JSON value"),
    // A JSON text that is not an object.
    BadLine("top-level array", #"[{"type":"job",\#(ts)}]"#, "must be a JSON object", "an array"),
    BadLine("top-level string", #""rack""#, "must be a JSON object", "a string"),
    BadLine("top-level number", "42", "must be a JSON object", "a number"),
    BadLine("top-level true", "true", "must be a JSON object", "a boolean"),
    BadLine("top-level null", "null", "must be a JSON object", "null"),
    // Duplicate keys.
    BadLine("duplicate type", #"{"type":"rack","type":"job",\#(ts)}"#, #"duplicate key "type""#),
    BadLine("duplicate ts", #"{"type":"job",\#(ts),"ts":1}"#, #"duplicate key "ts""#),
    BadLine("duplicate nested key", #"{"type":"power",\#(ts),"halls":{"A":1,"A":2}}"#, #"duplicate key "A""#),
    // Envelope.
    BadLine("empty object", "{}", "missing field type"),
    BadLine("missing type", #"{\#(ts),"id":"x"}"#, "missing field type"),
    BadLine("missing ts", #"{"type":"job","state":"queued"}"#, "missing field ts"),
    BadLine("null type", #"{"type":null,\#(ts)}"#, "field type must not be null"),
    BadLine("empty type", #"{"type":"",\#(ts)}"#, "field type must not be empty"),
    BadLine("null ts", #"{"type":"job","ts":null}"#, "field ts must not be null"),
    BadLine("ts not RFC 3339", #"{"type":"job","ts":"yesterday"}"#, "RFC 3339"),
    BadLine("ts February 30", #"{"type":"job","ts":"2024-02-30T00:00:00Z"}"#, "RFC 3339"),
    // Wrong JSON types.
    BadLine("type is a number", #"{"type":7,\#(ts)}"#, "field type: expected a string, got a number"),
    BadLine("ts is a boolean", #"{"type":"job","ts":true}"#, "field ts: expected a time", "got a boolean"),
    BadLine(
      "row is a string", #"{"type":"rack",\#(ts),"id":"x","hall":"A","row":"1","slot":1}"#,
      "field row: expected a whole number, got a string"),
    BadLine(
      "stage is a number", #"{"type":"rack",\#(ts),"id":"x","hall":"A","row":1,"slot":1,"stage":5}"#,
      "field stage: expected a string, got a number"),
    BadLine(
      "kw is a string", #"{"type":"rack",\#(ts),"id":"x","kw":"hot"}"#,
      "field kw: expected a number, got a string"),
    BadLine(
      "note is an object", #"{"type":"rack",\#(ts),"id":"x","note":{}}"#, "field note: expected a string"),
    BadLine("halls is an object", #"{"type":"site",\#(ts),"halls":{}}"#, "field halls: expected an array"),
    BadLine(
      "hall item is a string", #"{"type":"site",\#(ts),"halls":["A"]}"#, "halls[0]: expected an object"),
    BadLine(
      "snapshot racks item", #"{"type":"snapshot",\#(ts),"racks":[1]}"#, "racks[0]: expected an object"),
    BadLine(
      "power hall is a string", #"{"type":"power",\#(ts),"halls":{"A":"many"}}"#, "halls.A: expected a number"
    ),
    BadLine("alert without msg", #"{"type":"alert",\#(ts),"severity":"warn"}"#, "missing field msg"),
    // Values outside their domain.
    BadLine(
      "negative count", #"{"type":"shipment",\#(ts),"id":"S1","gpus":-512}"#, "field gpus: -512 is below 0"),
    BadLine("negative kw", #"{"type":"rack",\#(ts),"id":"x","kw":-1}"#, "field kw: -1 is below 0"),
    BadLine("fractional count", #"{"type":"job",\#(ts),"gpus":1.5}"#, "field gpus: expected a whole number"),
    BadLine("slot 0", #"{"type":"node",\#(ts),"id":"n","rack":"R","slot":0}"#, "field slot: 0 is below 1"),
    BadLine(
      "unknown stage", #"{"type":"rack",\#(ts),"id":"x","hall":"A","row":1,"slot":1,"stage":"bogus"}"#,
      #"unknown value "bogus""#),
    BadLine(
      "unknown gpu state", #"{"type":"gpu",\#(ts),"node":"n","index":0,"state":"melted"}"#, "unknown value"),
    BadLine(
      "links_up above links_total",
      #"{"type":"rack",\#(ts),"id":"x","hall":"A","row":1,"slot":1,"links_up":80,"links_total":72}"#,
      "links_up: 80 is above links_total 72"),
    BadLine(
      "fabric links_up above total", #"{"type":"fabric",\#(ts),"links_up":5,"links_total":4}"#,
      "above links_total"),
    BadLine(
      "gpus_ok above gpus", #"{"type":"node",\#(ts),"id":"n","gpus":8,"gpus_ok":9}"#,
      "gpus_ok: 9 is above gpus 8"),
    BadLine(
      "new rack without place", #"{"type":"rack",\#(ts),"id":"new","stage":"racked"}"#,
      "needed the first time"),
    BadLine(
      "slot above nodes_per_rack", #"{"type":"node",\#(ts),"id":"n","rack":"AFTER","slot":9}"#,
      "field slot: 9 is beyond nodes_per_rack 4"),
    // Invalid UTF-8, inside and outside strings.
    BadLine("invalid UTF-8 C3 28", bytes: noteWithBytes([0xC3, 0x28]), "invalid UTF-8"),
    BadLine("invalid UTF-8 FF", bytes: noteWithBytes([0xFF]), "invalid UTF-8"),
    BadLine("overlong encoding", bytes: noteWithBytes([0xC0, 0xAF]), "invalid UTF-8"),
    BadLine("encoded surrogate", bytes: noteWithBytes([0xED, 0xA0, 0x80]), "invalid UTF-8"),
    BadLine("above U+10FFFF", bytes: noteWithBytes([0xF4, 0x90, 0x80, 0x80]), "invalid UTF-8"),
    BadLine("truncated sequence", bytes: noteWithBytes([0x41, 0xE2, 0x82]), "invalid UTF-8"),
    BadLine("invalid UTF-8 after an escape", bytes: noteWithBytes(utf8(#"a\n"#) + [0xFE]), "invalid UTF-8"),
    BadLine(
      "invalid UTF-8 in a key", bytes: utf8(#"{"type":"job",\#(ts),""#) + [0xFF] + utf8(#"":1}"#),
      "invalid UTF-8"),
    BadLine(
      "byte FF as a value", bytes: utf8(#"{"type":"job",\#(ts),"x":"#) + [0xFF] + utf8("}"), "byte 0xFF"),
    BadLine(
      "byte FF between members", bytes: utf8(#"{"type":"job",\#(ts)"#) + [0xFF] + utf8("}"), "expected ','"),
    // Deep nesting, as a field's value and as the whole line.
    BadLine(
      "200,000 arrays deep",
      #"{"type":"job",\#(ts),"x":"# + String(repeating: "[", count: 200_000)
        + String(repeating: "]", count: 200_000)
        + "}", "nesting deeper than 512"),
    BadLine(
      "200,000 objects deep",
      String(repeating: #"{"":"#, count: 200_000) + "1" + String(repeating: "}", count: 200_000),
      "nesting deeper than 512"),
    BadLine("200,000 unclosed", String(repeating: "[", count: 200_000), "nesting deeper than 512"),
  ]

  /// Reads `site, bad, after` from a real file both ways and checks what each rule promises.
  @Test(arguments: cases)
  func aBadLineIsRejectedAndTheNextIsRead(_ bad: BadLine) throws {
    let file = try scratch.write(
      Self.utf8(siteLine) + [0x0A] + bad.bytes + [0x0A] + Self.utf8(Self.after) + [0x0A], to: "feed.ndjson")
    let reference = FeedIntake.load(paths: [
      try scratch.write(Self.utf8(siteLine + "\n" + Self.after + "\n"), to: "ok.ndjson")
    ])

    // Headless: FeedIntake.load.
    let intake = FeedIntake.load(paths: [file])
    #expect(intake.recentErrors.count == 1, "\(intake.recentErrors)")
    let error = try #require(intake.recentErrors.first)
    #expect(error.feed == file)
    #expect(error.line == 2)
    #expect(!error.reason.isEmpty)
    for word in bad.mentions {
      #expect(error.reason.contains(word), "reason «\(error.reason)» should mention «\(word)»")
    }
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
    #expect(intake.state.site == reference.state.site)
    #expect(intake.state.racks == reference.state.racks)
    #expect(intake.state.now == reference.state.now)
    let counters = intake.feeds[0].counters
    #expect(counters.lines == 3 && counters.applied == 2 && counters.rejected == 1, "\(counters)")

    // Live: FeedSource.poll, applied the way the live loop applies it: same line, same reason.
    let source = FeedSource(path: file)
    var live = FeedIntake(feedNames: [source.name])
    for event in source.poll() { live.apply(event, feed: 0) }
    #expect(live.recentErrors == intake.recentErrors)
    #expect(live.state.racks == intake.state.racks)
    #expect(live.feeds[0].counters == counters)
  }

  @Test func aBadFirstLineAndABadLastLineWithoutNewline() throws {
    let file = try scratch.write(
      Self.utf8("nope\n" + siteLine + "\n" + Self.after + "\n" + #"{"type":"job","ts":1,"gpus":-1}"#),
      to: "edges.ndjson")
    let intake = FeedIntake.load(paths: [file])
    #expect(intake.recentErrors.map(\.line) == [1, 4])
    #expect(intake.recentErrors.last?.reason.contains("below 0") == true)
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
    #expect(intake.feeds[0].counters.applied == 2)
  }

  @Test func aLinkCountAboveAnEarlierTotalIsRejectedByTheReducer() throws {
    let file = try scratch.write(
      Self.utf8(
        siteLine + "\n" + rackLine("R1", "racked", extra: #","links_total":72"#) + "\n"
          + #"{"type":"rack","ts":"2024-06-03T00:00:00Z","id":"R1","links_up":73}"# + "\n"
          + #"{"type":"rack","ts":"2024-06-04T00:00:00Z","id":"R1","links_up":72}"# + "\n"),
      to: "links.ndjson")
    let intake = FeedIntake.load(paths: [file])
    let error = try #require(intake.recentErrors.first)
    #expect(error.line == 3)
    #expect(error.reason.contains("above links_total 72"))
    #expect(intake.state.racks.first?.linksUp == 72)
  }

  @Test func blankAndWhitespaceLinesAreSkippedButNumbered() throws {
    let file = try scratch.write(
      Self.utf8(siteLine + "\n\n  \t \n" + "bad\n" + Self.after + "\n"), to: "blank.ndjson")
    let intake = FeedIntake.load(paths: [file])
    #expect(intake.recentErrors.map(\.line) == [4])
    #expect(intake.feeds[0].counters.lines == 3)
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
  }

  @Test func aCRLFFileReadsLikeAnLFFile() throws {
    let crlf =
      siteLine + "\r\n" + "\r\n" + #"{"type":"rack","ts":1}"# + "\r\n" + Self.after + "\r\n"
      + #"{"type":"job","ts":"2024-06-03T00:00:00Z","state":"queued"}"#
    let file = try scratch.write(Self.utf8(crlf), to: "crlf.ndjson")
    let intake = FeedIntake.load(paths: [file])
    let error = try #require(intake.recentErrors.first)
    #expect(intake.recentErrors.count == 1)
    #expect(error.line == 3)
    #expect(error.reason.contains("missing field id"))
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
    #expect(intake.state.job?.state == .queued)
    #expect(intake.feeds[0].counters.applied == 3)
    // A CR inside a line is JSON whitespace; a file of CR-only line ends is one long line.
    let inner = try scratch.write(Self.utf8(#"{"type":"job",\#r"ts":1}"# + "\n"), to: "inner-cr.ndjson")
    #expect(FeedIntake.load(paths: [inner]).feeds[0].counters.applied == 1)
    let classicMac = try scratch.write(Self.utf8(siteLine + "\r" + Self.after + "\r"), to: "cr.ndjson")
    let mac = FeedIntake.load(paths: [classicMac])
    #expect(mac.recentErrors.map(\.line) == [1])
    #expect(mac.recentErrors.first?.reason.contains("after the JSON value") == true)
  }

  @Test func aBadItemInAStatusDocumentIsRejectedAndTheOthersApplied() throws {
    let document =
      "[\n" + siteLine + ",\n" + #"{"type":"rack","ts":1,"id":"x","kw":-5}"# + ",\n" + Self.after + "\n]\n"
    let file = try scratch.write(Self.utf8(document), to: "status.json")
    let intake = FeedIntake.load(paths: [file])
    let error = try #require(intake.recentErrors.first)
    #expect(error.line == 2)
    #expect(error.reason.contains("item 2") && error.reason.contains("below 0"))
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
    let broken = try scratch.write(Self.utf8("[\n" + siteLine + ",\n"), to: "broken.json")
    let whole = FeedIntake.load(paths: [broken])
    #expect(whole.recentErrors.first?.reason.contains("invalid JSON") == true)
    #expect(whole.state.hasSite == false)
  }

  /// A 5 MiB line with `maxLine` 1 MiB: rejected with its length, the lines around it read.
  @Test func aFiveMebibyteLineIsRejected() throws {
    let big =
      #"{"type":"alert","ts":"2024-06-01T00:00:00Z","severity":"info","msg":""#
      + String(repeating: "x", count: 5 << 20) + #""}"#
    let file = try scratch.write(
      Self.utf8(siteLine + "\n" + big + "\n" + Self.after + "\n" + big), to: "big.ndjson")
    let intake = FeedIntake.load(paths: [file], maxLine: 1 << 20)
    #expect(intake.recentErrors.map(\.line) == [2, 4])
    for error in intake.recentErrors {
      #expect(error.reason.contains("\(big.utf8.count) bytes is over the limit"), "\(error.reason)")
    }
    #expect(intake.state.racks.map(\.id) == ["AFTER"])
    #expect(intake.state.alerts.isEmpty)

    let source = FeedSource(path: file, maxLine: 1 << 20)
    let events = source.poll(budget: 64 << 20)
    #expect(events.count == 3)  // the last line has no newline yet: it waits
  }

  /// The splitter never holds more than `maxLine` bytes of a line, however the bytes arrive.
  @Test func theSplitterNeverBuffersMoreThanTheLimit() {
    let maxLine = 1 << 20
    var splitter = LineSplitter(maxLine: maxLine)
    var results: [String] = []
    let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
    var largest = 0
    chunk.withUnsafeBytes { raw in
      for _ in 0..<80 {  // 5 MiB, no newline
        splitter.push(raw) { _, _ in results.append("line") }
        largest = max(largest, splitter.pending.count)
        #expect(splitter.pending.capacity <= 2 * maxLine)
      }
    }
    #expect(largest <= maxLine)
    #expect(results.isEmpty)
    var tail = Array("}\n{}\n".utf8)
    tail.withUnsafeMutableBytes { raw in
      splitter.push(UnsafeRawBufferPointer(raw)) { line, content in
        switch content {
        case .tooLong(let length): results.append("\(line): long \(length)")
        case .bytes(let b): results.append("\(line): " + String(decoding: b, as: UTF8.self))
        }
      }
    }
    #expect(results == ["1: long \(80 * (64 << 10) + 1)", "2: {}"])
    #expect(splitter.pending.isEmpty)
  }

  @Test func aLineOfExactlyTheLimitIsReadAndOneByteMoreIsNot() throws {
    let limit = 400
    func line(padTo length: Int) -> String {
      let head = #"{"type":"job","ts":1,"id":""#
      return head + String(repeating: "j", count: length - head.utf8.count - 2) + #""}"#
    }
    let exact = line(padTo: limit)
    let over = line(padTo: limit + 1)
    #expect(exact.utf8.count == limit && over.utf8.count == limit + 1)
    let file = try scratch.write(Self.utf8(exact + "\n" + over + "\n" + exact + "\r\n"), to: "limit.ndjson")
    let intake = FeedIntake.load(paths: [file], maxLine: limit)
    #expect(intake.recentErrors.map(\.line) == [2])
    #expect(intake.feeds[0].counters.applied == 2)
  }

  /// A line of exactly the limit that ends in CRLF is read however its bytes arrive (the CR was
  /// once counted against the limit when the line spanned two reads).
  @Test func aLineAtTheLimitEndingInCRLFDoesNotDependOnHowItArrives() {
    let limit = 64
    let head = #"{"type":"job","ts":1,"id":""#
    let line = head + String(repeating: "j", count: limit - head.utf8.count - 2) + #""}"# + "\r\n"
    func split(at cut: Int) -> [String] {
      var splitter = LineSplitter(maxLine: limit)
      var out: [String] = []
      let bytes = Array(line.utf8)
      for piece in [bytes[..<cut], bytes[cut...]] {
        Array(piece).withUnsafeBytes { raw in
          splitter.push(raw) { _, content in
            if case .tooLong = content { out.append("long") } else { out.append("ok") }
          }
        }
      }
      return out
    }
    for cut in [1, 10, line.utf8.count - 2, line.utf8.count - 1, line.utf8.count] {
      #expect(split(at: cut) == ["ok"], "cut at \(cut)")
    }
  }
}
