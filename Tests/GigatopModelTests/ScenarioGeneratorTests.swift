import Foundation
import Testing

@testable import GigatopModel

/// Tests of the built-in scenario: determinism, order, layout, realism and the JSON Schema.
@Suite struct ScenarioGeneratorTests {
  /// The default scenario, generated once for all tests.
  static let defaultLines = ScenarioGenerator(options: ScenarioOptions()).lines()

  /// The repository's root, found from this file's path.
  static let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func object(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
  }

  /// The `ts` of a line as written by the generator (`"ts":"…"`, 20 characters).
  static func timestamp(_ line: String) -> Substring? {
    guard let range = line.range(of: "\"ts\":\"") else { return nil }
    return line[range.upperBound...].prefix(20)
  }

  /// Rack ids, and the last stage each rack reached, from `rack` lines.
  static func rackStages(_ lines: [String]) -> [String: String] {
    var stages: [String: String] = [:]
    for line in lines where line.hasPrefix("{\"type\":\"rack\"") {
      guard let m = object(line), let id = m["id"] as? String else { continue }
      if let stage = m["stage"] as? String { stages[id] = stage } else { stages[id] = stages[id] ?? "" }
    }
    return stages
  }

  // MARK: - Determinism and order

  @Test func sameSeedGivesTheSameLines() {
    let again = ScenarioGenerator(options: ScenarioOptions()).lines()
    #expect(again == Self.defaultLines)
  }

  @Test func differentSeedGivesDifferentLines() {
    let other = ScenarioGenerator(options: ScenarioOptions(seed: 2)).lines()
    #expect(other != Self.defaultLines)
    #expect(other.first == Self.defaultLines.first)
  }

  @Test func linesAreInTimestampOrder() throws {
    var previous: Substring = ""
    for (i, line) in Self.defaultLines.enumerated() {
      let ts = try #require(Self.timestamp(line), "line \(i + 1) has no ts")
      #expect(ts.count == 20 && ts.hasSuffix("Z"))
      #expect(ts >= previous, "line \(i + 1) goes back in time: \(ts) < \(previous)")
      previous = ts
    }
    #expect(Self.timestamp(Self.defaultLines[0]) == "2024-05-03T00:00:00Z")
    #expect(previous == "2024-09-02T00:00:00Z")
  }

  @Test func defaultLineCountIsInTheTensOfThousands() {
    #expect((20_000...60_000).contains(Self.defaultLines.count), "\(Self.defaultLines.count) lines")
  }

  @Test func writeToFileDescriptorWritesTheSameLines() throws {
    let generator = ScenarioGenerator(options: ScenarioOptions(gpus: 20_000, days: 30, seed: 7))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-scenario-\(UUID()).ndjson")
    defer { try? FileManager.default.removeItem(at: url) }
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(fd >= 0)
    try generator.write(toFileDescriptor: fd)
    close(fd)
    let written = try String(contentsOf: url, encoding: .utf8)
    #expect(written == generator.lines().map { $0 + "\n" }.joined())
  }

  @Test func writingToABadFileDescriptorThrows() {
    #expect(throws: (any Error).self) {
      try ScenarioGenerator(options: ScenarioOptions(gpus: 64, days: 2)).write(toFileDescriptor: -1)
    }
  }

  // MARK: - Layout

  @Test func siteMessageDescribesTheDemo() throws {
    let site = try #require(Self.object(Self.defaultLines[0]))
    #expect(site["type"] as? String == "site")
    #expect(site["ts"] as? String == "2024-05-03T00:00:00Z")
    #expect(site["src"] as? String == "dcim")
    #expect(site["target_gpus"] as? Int == 102_400)
    #expect(site["deadline"] as? String == "2024-09-02T00:00:00Z")
    #expect(site["gpu_model"] as? String == "H100-SXM")
    #expect(site["gpus_per_node"] as? Int == 8)
    #expect(site["nodes_per_rack"] as? Int == 8)
    let halls = try #require(site["halls"] as? [[String: Any]])
    #expect(halls.compactMap { $0["id"] as? String } == ["A", "B", "C", "D"])
    for hall in halls {
      #expect(hall["rows"] as? Int == 25)
      #expect(hall["racks_per_row"] as? Int == 16)
    }
    let job = try #require(site["job"] as? [String: Any])
    #expect(job["id"] as? String == "pretrain-1")
    #expect(job["gpus"] as? Int == 98_304)
  }

  @Test func defaultSiteHas1600Racks() throws {
    let stages = Self.rackStages(Self.defaultLines)
    #expect(stages.count == 1_600)
    #expect(stages["A-R03-K07"] != nil)
    #expect(stages["D-R25-K16"] != nil)
    #expect(stages["E-R01-K01"] == nil)
    let planned = try #require(Self.defaultLines.first { $0.contains("\"id\":\"A-R03-K07\"") })
    let rack = try #require(Self.object(planned))
    #expect(rack["hall"] as? String == "A")
    #expect(rack["row"] as? Int == 3)
    #expect(rack["slot"] as? Int == 7)
    #expect(rack["pod"] as? String == "A-P05")
    #expect(rack["links_total"] as? Int == 72)
  }

  @Test func aMillionGPUsGive15625Racks() throws {
    let generator = ScenarioGenerator(options: ScenarioOptions(gpus: 1_000_000))
    var racks = Set<String>()
    var site: [String: Any]?
    var lines = 0
    generator.generate { bytes in
      lines += 1
      let line = String(decoding: bytes, as: UTF8.self)
      if site == nil, line.hasPrefix("{\"type\":\"site\"") { site = Self.object(line) }
      guard line.hasPrefix("{\"type\":\"rack\""), let m = Self.object(line), let id = m["id"] as? String
      else {
        return
      }
      racks.insert(id)
    }
    #expect(racks.count == 15_625)
    #expect(lines > 100_000)
    let plan = try #require(site)
    let halls = try #require(plan["halls"] as? [[String: Any]])
    #expect(halls.count == 40)
    #expect(halls.last?["id"] as? String == "AN")
    #expect(halls.last?["rows"] as? Int == 2)
    let capacity = halls.reduce(0) { $0 + ($1["rows"] as? Int ?? 0) * ($1["racks_per_row"] as? Int ?? 0) }
    #expect(capacity >= 15_625)
    #expect((plan["job"] as? [String: Any])?["gpus"] as? Int == 960_000)
  }

  @Test(arguments: [(1, 122), (64, 122), (1_000, 10), (5_000, 1), (30_000, 365)])
  func otherSizesAndLengthsWork(gpus: Int, days: Int) throws {
    let lines = ScenarioGenerator(options: ScenarioOptions(gpus: gpus, days: days, seed: 3)).lines()
    let stages = Self.rackStages(lines)
    #expect(stages.count == (gpus + 63) / 64)
    #expect(stages.values.allSatisfy { $0 == "in_pool" })
    let site = try #require(Self.object(lines[0]))
    #expect(site["target_gpus"] as? Int == gpus)
    let deadline = try #require(site["deadline"] as? String)
    let last = try #require(lines.last.flatMap(Self.timestamp))
    #expect(last == deadline[...])
    for pair in zip(lines, lines.dropFirst()) {
      #expect((Self.timestamp(pair.0) ?? "") <= (Self.timestamp(pair.1) ?? ""))
    }
  }

  // MARK: - The story

  @Test func everyRackAndNodeEndsInThePool() {
    let stages = Self.rackStages(Self.defaultLines)
    #expect(stages.count == 1_600)
    let notInPool = stages.filter { $0.value != "in_pool" }
    #expect(notInPool.isEmpty, "not in the pool: \(notInPool.keys.sorted().prefix(5))")
    var nodes: [String: String] = [:]
    for line in Self.defaultLines where line.hasPrefix("{\"type\":\"node\"") {
      guard let m = Self.object(line), let id = m["id"] as? String, let stage = m["stage"] as? String else {
        continue
      }
      nodes[id] = stage
    }
    #expect(!nodes.isEmpty)
    #expect(nodes.values.allSatisfy { $0 == "in_pool" })
    let lastJob = Self.defaultLines.last { $0.hasPrefix("{\"type\":\"job\"") }.flatMap(Self.object)
    #expect(lastJob?["state"] as? String == "running")
    #expect(lastJob?["gpus"] as? Int == 98_304)
  }

  /// Replays the default feed and checks the story against itself: power within capacity,
  /// the job within the pool, links within totals, the slip, the swap and the failures.
  @Test func theStoryIsConsistent() throws {
    var capacity: [String: Double] = [:]
    var online: [String: Bool] = [:]
    var racks: [String: String] = [:]
    var nodes: [String: (stage: String, rack: String)] = [:]
    var shipments: [String: [String: Any]] = [:]
    var maxLate = 0
    var sawShort = false
    var gateStatuses: [String: [String]] = [:]
    var failedNodes = 0
    var jobAtDay80: Int?
    for (i, line) in Self.defaultLines.enumerated() {
      let m = try #require(Self.object(line), "line \(i + 1) is not a JSON object")
      let type = try #require(m["type"] as? String)
      let ts = try #require(m["ts"] as? String)
      let src = try #require(m["src"] as? String)
      #expect(["dcim", "supply", "bms", "scheduler", "fabric"].contains(src))
      switch type {
      case "rack":
        if let stage = m["stage"] as? String, let id = m["id"] as? String { racks[id] = stage }
        if let up = m["links_up"] as? Int { #expect(up >= 0 && up <= 72, "line \(i + 1)") }
      case "node":
        if let id = m["id"] as? String, let stage = m["stage"] as? String, let rack = m["rack"] as? String {
          nodes[id] = (stage, rack)
          if stage == "failed" { failedNodes += 1 }
        }
        if let ok = m["gpus_ok"] as? Int, let gpus = m["gpus"] as? Int { #expect(ok <= gpus) }
      case "power_source":
        let id = try #require(m["id"] as? String)
        capacity[id] = m["cap_mw"] as? Double ?? Double(m["cap_mw"] as? Int ?? 0)
        online[id] = m["status"] as? String == "online"
      case "power":
        let draw = try #require(m["facility_mw"] as? Double)
        let cap = capacity.filter { online[$0.key] == true }.values.reduce(0, +)
        #expect(draw <= cap, "line \(i + 1): \(draw) MW drawn with \(cap) MW online")
      case "fabric":
        let total = try #require(m["links_total"] as? Int)
        #expect(total == 115_200)
        #expect((m["links_up"] as? Int ?? 0) <= total)
      case "shipment":
        let id = try #require(m["id"] as? String)
        shipments[id] = m
        if m["status"] as? String == "short" { sawShort = true }
        let late = shipments.values.filter {
          ["allocated", "shipped", "in_transit"].contains($0["status"] as? String ?? "")
            && ($0["eta"] as? String ?? "") > "2024-09-02T00:00:00Z"
        }
        maxLate = max(maxLate, late.reduce(0) { $0 + ($1["gpus"] as? Int ?? 0) })
      case "gate":
        let id = try #require(m["id"] as? String)
        gateStatuses[id, default: []].append(try #require(m["status"] as? String))
      case "job":
        let gpus = try #require(m["gpus"] as? Int)
        let pool = racks.values.filter { $0 == "in_pool" }.count * 64
        let out = nodes.values.filter { $0.stage != "in_pool" && racks[$0.rack] == "in_pool" }.count * 8
        #expect(gpus <= pool - out, "line \(i + 1): job on \(gpus) GPUs, pool has \(pool - out)")
        if jobAtDay80 == nil, m["state"] as? String == "running" {
          jobAtDay80 = gpus
          #expect(ts.hasPrefix("2024-07-22"))
        }
      default:
        break
      }
    }
    #expect(maxLate == 12_288)
    #expect(sawShort)
    #expect(jobAtDay80 == 30_720)
    #expect(shipments.values.allSatisfy { ["delivered", "short"].contains($0["status"] as? String ?? "") })
    #expect((200...320).contains(failedNodes), "\(failedNodes) nodes failed burn-in")
    #expect(gateStatuses["nccl-full"] == ["pending", "running", "failed", "running", "passed"])
    for (id, statuses) in gateStatuses { #expect(statuses.last == "passed", "gate \(id)") }
  }

  // MARK: - The JSON Schema

  /// Validates an NDJSON file against `schema/feed-v1.schema.json` with Python's `jsonschema`.
  ///
  /// Returns the exit status and what Python printed (the first failing line and its error).
  static func validate(_ lines: [String]) throws -> (status: Int32, output: String) {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("gigatop-feed-\(UUID()).ndjson")
    try lines.map { $0 + "\n" }.joined().write(to: data, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: data) }
    let schema = repoRoot.appendingPathComponent("schema/feed-v1.schema.json")
    let script = """
      import json, sys
      from jsonschema import Draft202012Validator
      schema = json.load(open(sys.argv[1]))
      Draft202012Validator.check_schema(schema)
      validator = Draft202012Validator(schema)
      count = 0
      for number, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
          if not line.strip():
              continue
          count += 1
          error = next(iter(validator.iter_errors(json.loads(line))), None)
          if error is not None:
              print(f"line {number}: {line.strip()[:400]}")
              print(f"error: {error.message} (at {list(error.absolute_path)})")
              sys.exit(1)
      print(f"{count} lines valid")
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, schema.path, data.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  @Test func defaultScenarioMatchesTheSchema() throws {
    let result = try Self.validate(Self.defaultLines)
    #expect(result.status == 0, "\(result.output)")
  }

  @Test func schemaRejectsABadLine() throws {
    let lines = [
      "{\"type\":\"weather\",\"ts\":1714694400,\"wind_kn\":12}",
      "{\"type\":\"rack\",\"ts\":\"2024-07-22T04:20:00Z\",\"id\":\"A-R03-K07\",\"stage\":\"bogus\"}",
    ]
    let result = try Self.validate(lines)
    #expect(result.status != 0)
    #expect(result.output.contains("line 2"), "\(result.output)")
  }
}
