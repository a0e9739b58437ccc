import Foundation
import Testing

/// A whole-file `summary` asks for huge pages for the state's large tables and its GPU records,
/// and so takes far fewer page faults than with them turned off (`GIGATOP_HUGE_PAGES=0`), for
/// the same output.
@Suite(.serialized)
struct HugePagesEndToEndTests {
  /// Runs `arguments` in a plain environment with `GIGATOP_HUGE_PAGES` set to `setting` (or
  /// unset), its output to `output`; prints its exit status and its minor page faults.
  static let script = #"""
    import os, resource, subprocess, sys
    output, setting = sys.argv[1], sys.argv[2]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if setting != "unset":
        env["GIGATOP_HUGE_PAGES"] = setting
    with open(output, "wb") as f:
        r = subprocess.run(sys.argv[3:], stdout=f, env=env)
    print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt)
    """#

  /// Whether transparent huge pages are on for programs that ask, or for all.
  static var systemLeavesHugePagesToPrograms: Bool {
    guard
      let handle = FileHandle(forReadingAtPath: "/sys/kernel/mm/transparent_hugepage/enabled"),
      let data = try? handle.readToEnd()
    else { return false }
    let mode = String(decoding: data, as: UTF8.self)
    return mode.contains("[madvise]") || mode.contains("[always]")
  }

  static var canRun: Bool { PtyHarness.isAvailable && systemLeavesHugePagesToPrograms }

  /// The exit status and page faults of `gigatop arguments`, its output written to `output`.
  static func faults(
    of arguments: [String], setting: String, output: String, in folder: URL
  ) throws -> (status: Int, faults: Int) {
    let python = try #require(PtyHarness.python, "python3 is not installed")
    let gigatop = try #require(GigatopBinary.path, "the gigatop executable was not found")
    let scriptPath = folder.appendingPathComponent("faults.py")
    try script.write(to: scriptPath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [scriptPath.path, output, setting, gigatop] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let words = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
    let status = try #require(words.first.flatMap { Int($0) }, "no status from the harness")
    let faults = try #require(words.dropFirst().first.flatMap { Int($0) }, "no faults from the harness")
    return (status, faults)
  }

  @Test(.enabled(if: canRun, "python3 or transparent huge pages are missing"))
  func aWholeFileSummaryTakesFewerPageFaultsInHugePages() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gigatop-huge-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    // A 200,000-GPU site and 200,000 lines about it: about 3 MB of node table and 6 MB of GPU
    // records, which the summary builds as it reads.
    let site = try Self.faults(
      of: ["demo", "--gpus", "200000"], setting: "unset", output: path("site.ndjson"), in: folder)
    #expect(site.status == 0)
    let feed = try Self.faults(
      of: ["bench", "gen", path("site.ndjson"), "--lines", "200000"], setting: "unset",
      output: path("feed.ndjson"), in: folder)
    #expect(feed.status == 0)
    let huge = try Self.faults(
      of: ["summary", "--json", path("feed.ndjson")], setting: "unset", output: path("huge.json"), in: folder)
    let small = try Self.faults(
      of: ["summary", "--json", path("feed.ndjson")], setting: "0", output: path("small.json"), in: folder)
    #expect(huge.status == 0 && small.status == 0)
    let hugeOutput = try Data(contentsOf: URL(fileURLWithPath: path("huge.json")))
    let smallOutput = try Data(contentsOf: URL(fileURLWithPath: path("small.json")))
    #expect(hugeOutput.count > 100)
    #expect(hugeOutput == smallOutput, "the summary differs with huge pages turned off")
    // Measured here: about 2,100 faults fewer (4,400 against 6,500 run from a shell; the other
    // faults of the process vary with where it runs from, these do not): the tables and records
    // in 2 MB pages are a few dozen faults instead of some 2,100.
    #expect(
      small.faults - huge.faults >= 1000,
      "\(huge.faults) page faults with huge pages, \(small.faults) without")
  }
}
